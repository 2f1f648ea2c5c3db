/** Everything the shared my.cnf is rendered from (the entrypoint appends the per-pod lines). */
export interface MysqlServerConfig {
  readonly topology: 'standalone' | 'replication' | 'group-replication';
  /** `8.4` or `8.0`. */
  readonly majorMinor: string;
  readonly port: number;
  readonly dataDir: string;
  readonly maxConnections: number;
  readonly bufferPoolBytes: number;
  readonly slowQueryLog: boolean;
  readonly longQueryTimeSeconds: number;
  readonly binlogFormat: string;
  readonly binlogExpireSeconds: number;
  readonly semiSync: boolean;
  readonly semiSyncTimeoutMs: number;
  /** Group replication: group name (a UUID) and the seeds `host:port`. */
  readonly groupName?: string;
  readonly groupSeeds?: string[];
  /** Free-form `[mysqld]` options; one with the name of a generated option replaces it. */
  readonly overrides: Readonly<Record<string, string>>;
}

/** Options the construct owns: the topology, identity, paths and replication depend on them. */
export const RESERVED_OPTIONS = [
  'datadir', 'socket', 'pid-file', 'port', 'bind-address', 'server-id', 'report-host', 'report-port', 'user',
  'gtid-mode', 'enforce-gtid-consistency', 'log-bin', 'skip-log-bin', 'disable-log-bin', 'read-only', 'super-read-only',
  'plugin-load', 'plugin-load-add', 'init-file', 'secure-file-priv', 'skip-networking', 'skip-grant-tables',
];

/** `max_connections` and `max-connections` name the same option. */
export function normalizeOption(name: string): string {
  return name.replace(/^loose[-_]/, '').replace(/_/g, '-');
}

export function isReservedOption(name: string): boolean {
  const n = normalizeOption(name);
  return RESERVED_OPTIONS.includes(n) || n.startsWith('group-replication-') || n.startsWith('rpl-semi-sync-');
}

/**
 * Renders the shared my.cnf. It holds no password and nothing per pod; a server reads only this file
 * (`--defaults-file`), so the image's own configuration cannot change behaviour behind our back.
 */
export function renderMyCnf(c: MysqlServerConfig): string {
  const replicated = c.topology !== 'standalone';
  const plugins = ['mysql_clone.so'];
  if (c.semiSync) plugins.push('semisync_source.so', 'semisync_replica.so');
  if (c.topology === 'group-replication') plugins.push('group_replication.so');
  const opts: [string, string][] = [
    ['datadir', c.dataDir],
    ['socket', '/var/run/mysqld/mysqld.sock'],
    ['pid-file', '/var/run/mysqld/mysqld.pid'],
    ['port', String(c.port)],
    ['bind-address', '*'],
    // LOAD DATA INFILE / SELECT INTO OUTFILE stay off: nothing in the pod should read or write server files.
    ['secure-file-priv', 'NULL'],
    // Grants use '%' hosts; pod IPs change, so reverse DNS would only slow connections down.
    ['skip-name-resolve', 'ON'],
    ['mysqlx', 'OFF'],
    ['character-set-server', 'utf8mb4'],
    ['collation-server', 'utf8mb4_0900_ai_ci'],
    ['max_connections', String(c.maxConnections)],
    ['innodb_buffer_pool_size', String(c.bufferPoolBytes)],
    // Durable commits: every transaction is on disk (redo log and binary log) before it is acknowledged.
    ['innodb_flush_log_at_trx_commit', '1'],
    ['sync_binlog', '1'],
    ['log-bin', 'binlog'],
    ['binlog_format', c.binlogFormat],
    ['binlog_expire_logs_seconds', String(c.binlogExpireSeconds)],
    ['gtid_mode', 'ON'],
    ['enforce_gtid_consistency', 'ON'],
    ['log_replica_updates', 'ON'],
    ['relay-log', 'relay-bin'],
    ['skip_replica_start', 'OFF'],
    ['slow_query_log', c.slowQueryLog ? 'ON' : 'OFF'],
    ['slow_query_log_file', `${c.dataDir}/slow.log`],
    ['long_query_time', String(c.longQueryTimeSeconds)],
    ['log_error_verbosity', '2'],
    ['plugin-load-add', plugins.join(';')],
  ];
  if (c.semiSync) {
    // Both sides on every server, so the semi-synchronous link survives a switchover.
    opts.push(
      ['loose_rpl_semi_sync_source_enabled', 'ON'],
      ['loose_rpl_semi_sync_replica_enabled', 'ON'],
      ['loose_rpl_semi_sync_source_wait_for_replica_count', '1'],
      ['loose_rpl_semi_sync_source_timeout', String(c.semiSyncTimeoutMs)],
    );
  }
  if (c.topology === 'group-replication') {
    opts.push(
      // Group replication needs transactional tables with primary keys.
      ['disabled_storage_engines', 'MyISAM,BLACKHOLE,FEDERATED,ARCHIVE,MEMORY'],
      ['loose_group_replication_group_name', c.groupName ?? ''],
      // The agent starts (or bootstraps) the group, so a restarted member never bootstraps a second group.
      ['loose_group_replication_start_on_boot', 'OFF'],
      ['loose_group_replication_bootstrap_group', 'OFF'],
      ['loose_group_replication_group_seeds', (c.groupSeeds ?? []).join(',')],
      ['loose_group_replication_single_primary_mode', 'ON'],
      ['loose_group_replication_enforce_update_everywhere_checks', 'OFF'],
      // The MySQL communication stack authenticates members as replication users over the server port:
      // no IP allowlist to keep in step with pod IPs, and TLS from the server's own certificates.
      ['loose_group_replication_communication_stack', 'MYSQL'],
      ['loose_group_replication_ssl_mode', 'REQUIRED'],
      ['loose_group_replication_recovery_use_ssl', 'ON'],
      ['loose_group_replication_recovery_get_public_key', 'ON'],
      // A new primary serves no stale reads after a failover.
      ['loose_group_replication_consistency', 'BEFORE_ON_PRIMARY_FAILOVER'],
      ['loose_group_replication_autorejoin_tries', '3'],
      ['loose_group_replication_exit_state_action', 'READ_ONLY'],
    );
  }
  const lines = new Map<string, [string, string]>();
  for (const [k, v] of opts) lines.set(normalizeOption(k), [k, v]);
  for (const [k, v] of Object.entries(c.overrides)) lines.set(normalizeOption(k), [k, v]);
  const body = [...lines.values()].map(([k, v]) => `${k}=${v}`).join('\n');
  return `# Generated by cdk8s-middleware (${replicated ? c.topology : 'standalone'}, MySQL ${c.majorMinor}).\n[mysqld]\n${body}\n`;
}
