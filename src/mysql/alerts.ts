import { Duration } from 'cdk8s';
import { AlertRule, AlertSeverity } from '../monitoring/alerts';

export interface MysqlAlertOptions {
  /** PromQL label matchers selecting this instance's exporters, e.g. `job="orders-metrics",namespace="shop"`. */
  readonly selector: string;
  readonly topology: string;
  readonly instances: number;
  readonly instance: string;
  readonly lagSeconds: number;
  readonly slowQueriesPerSecond: number;
}

// Replica metrics come from SHOW REPLICA STATUS on current exporters and MySQL 8.4 (replica_*/..._source)
// and from SHOW SLAVE STATUS on older ones (slave_*/..._master); group replication channels are excluded.
const CHANNEL = 'channel_name!~"group_replication_.*"';

/** Built-in alerts for one MySQL instance (mysqld_exporter metrics). */
export function mysqlAlerts(o: MysqlAlertOptions): AlertRule[] {
  const s = o.selector;
  const r = `${s},${CHANNEL}`;
  const who = `MySQL ${o.instance} pod {{ $labels.pod }}`;
  const ioRunning = `(mysql_slave_status_replica_io_running{${r}} or mysql_slave_status_slave_io_running{${r}})`;
  const sqlRunning = `(mysql_slave_status_replica_sql_running{${r}} or mysql_slave_status_slave_sql_running{${r}})`;
  const lag = `(mysql_slave_status_seconds_behind_source{${r}} or mysql_slave_status_seconds_behind_master{${r}})`;
  const alerts: AlertRule[] = [
    {
      name: 'MySQLDown',
      expr: `mysql_up{${s}} == 0`,
      for: Duration.minutes(1),
      severity: AlertSeverity.CRITICAL,
      summary: `${who} is down`,
      description: 'The exporter cannot query MySQL in its pod. Check the pod, the mysql container log (a full disk or a crash loop) and the exporter user.',
    },
    {
      name: 'MySQLExporterScrapeFailing',
      expr: `up{${s}} == 0`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `Prometheus cannot scrape the exporter of ${who}`,
      description: 'The metrics endpoint does not answer: the pod is gone, the exporter crashed, or a NetworkPolicy blocks the monitoring namespace.',
    },
    {
      name: 'MySQLInstancesMissing',
      expr: `count(mysql_up{${s}} == 1) < ${o.instances} or absent(mysql_up{${s}} == 1)`,
      for: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: `MySQL ${o.instance} has fewer than ${o.instances} healthy servers`,
      description: 'Some MySQL pods are not running or not scraped. Pending pods usually mean the required anti-affinity found no free node.',
    },
    {
      name: 'MySQLTooManyConnections',
      expr: `mysql_global_status_threads_connected{${s}} / mysql_global_variables_max_connections{${s}} > 0.8`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `${who} uses {{ $value | humanizePercentage }} of max_connections`,
      description: 'Connections approach max_connections; new clients will soon get "Too many connections". Look for connection leaks or pool sizes, or raise maxConnections.',
    },
    {
      name: 'MySQLSlowQueries',
      expr: `rate(mysql_global_status_slow_queries{${s}}[5m]) > ${o.slowQueriesPerSecond}`,
      for: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: `${who} logs {{ $value | humanize }} slow queries per second`,
      description: 'Queries slower than long_query_time are frequent. Read the slow log (slow.log in the data directory) and add indexes or fix the queries.',
    },
    {
      name: 'MySQLBufferPoolMissesHigh',
      expr: `rate(mysql_global_status_innodb_buffer_pool_reads{${s}}[5m]) / (rate(mysql_global_status_innodb_buffer_pool_read_requests{${s}}[5m]) > 0) > 0.05`,
      for: Duration.minutes(30),
      severity: AlertSeverity.WARNING,
      summary: `${who} reads {{ $value | humanizePercentage }} of pages from disk`,
      description: 'The InnoDB buffer pool does not hold the working set. Raise the memory limit (the buffer pool follows it) or bufferPoolPercent.',
    },
  ];
  if (o.topology === 'replication') {
    alerts.push(
      {
        name: 'MySQLReplicationIOThreadStopped',
        expr: `${ioRunning} == 0`,
        for: Duration.minutes(2),
        severity: AlertSeverity.CRITICAL,
        summary: `Replication IO thread of ${who} is stopped`,
        description: 'The replica no longer receives binary logs from its source (network, credentials, or the source purged logs it needs: error 1236).',
      },
      {
        name: 'MySQLReplicationSQLThreadStopped',
        expr: `${sqlRunning} == 0`,
        for: Duration.minutes(2),
        severity: AlertSeverity.CRITICAL,
        summary: `Replication SQL thread of ${who} is stopped`,
        description: 'The replica stopped applying transactions, usually on an error (duplicate key 1062, missing row 1032). Read Last_SQL_Error in SHOW REPLICA STATUS.',
      },
      {
        name: 'MySQLReplicationLag',
        expr: `${lag} > ${o.lagSeconds}`,
        for: Duration.minutes(5),
        severity: AlertSeverity.WARNING,
        summary: `${who} is {{ $value }} s behind its source`,
        description: 'The replica applies slower than the primary writes, or it is catching up after a restart. Reads from the read-only Service are stale.',
      },
      {
        name: 'MySQLReplicasMissing',
        expr: `(count(${sqlRunning} == 1) or vector(0)) < ${o.instances - 1}`,
        for: Duration.minutes(10),
        severity: AlertSeverity.WARNING,
        summary: `MySQL ${o.instance} has {{ $value }} of ${o.instances - 1} replicas replicating`,
        description: 'Fewer replicas replicate than configured: a failover would have fewer candidates, and semi-synchronous commits may fall back to asynchronous.',
      },
    );
  }
  if (o.topology !== 'standalone') {
    const writable = `mysql_global_variables_read_only{${s}} == 0`;
    alerts.push(
      {
        name: 'MySQLNoPrimary',
        expr: `(count(${writable}) or vector(0)) == 0`,
        for: Duration.minutes(2),
        severity: AlertSeverity.CRITICAL,
        summary: `MySQL ${o.instance} has no writable primary`,
        description: o.topology === 'replication'
          ? 'No server accepts writes. If the primary pod is not coming back, promote the most advanced replica (runbook).'
          : 'The group has no PRIMARY member: it lost its majority or every member is offline. Follow the runbook to restore it.',
      },
      {
        name: 'MySQLMultiplePrimaries',
        expr: `count(${writable}) > 1`,
        for: Duration.minutes(1),
        severity: AlertSeverity.CRITICAL,
        summary: `MySQL ${o.instance} has {{ $value }} writable servers`,
        description: 'More than one server accepts writes (split brain). Make all but the real primary read-only at once and compare their GTID sets.',
      },
    );
  }
  if (o.topology === 'group-replication') {
    const members = (state: string) => `mysql_perf_schema_replication_group_member_info{${s},member_state${state}}`;
    const quorum = Math.floor(o.instances / 2) + 1;
    alerts.push(
      {
        name: 'MySQLGroupMemberNotOnline',
        expr: `max by (member_host, member_state) (${members('!="ONLINE"')}) == 1`,
        for: Duration.minutes(5),
        severity: AlertSeverity.WARNING,
        summary: 'MySQL group member {{ $labels.member_host }} is {{ $labels.member_state }}',
        description: 'A member is not ONLINE (RECOVERING for long, UNREACHABLE or ERROR). The agent restarts group replication on members that left; read its log.',
      },
      {
        name: 'MySQLGroupSmallerThanConfigured',
        expr: `(max(count by (pod) (${members('="ONLINE"')})) or vector(0)) < ${o.instances}`,
        for: Duration.minutes(5),
        severity: AlertSeverity.WARNING,
        summary: `MySQL group ${o.instance} has {{ $value }} of ${o.instances} members ONLINE`,
        description: 'The group tolerates fewer failures than designed until the missing members rejoin.',
      },
      {
        name: 'MySQLGroupQuorumAtRisk',
        expr: `(max(count by (pod) (${members('="ONLINE"')})) or vector(0)) < ${quorum}`,
        for: Duration.minutes(1),
        severity: AlertSeverity.CRITICAL,
        summary: `MySQL group ${o.instance} has {{ $value }} members ONLINE, fewer than its majority of ${quorum}`,
        description: 'Without a majority the group cannot commit. Bring members back; if every member is offline, follow the runbook to reboot the group.',
      },
    );
  }
  return alerts;
}
