// smol-toml ships CommonJS, but its typings only describe the ES module, which TypeScript will not import from
// CommonJS: load it with require and declare the one function used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { stringify } = require('smol-toml') as { stringify: (value: unknown, options?: { numbersAsFloat?: boolean }) => string };

/** One end of a RedisShake pipe as the config file sees it. */
export interface ShakeEnd {
  /** `host:port` (for a cluster writer: any node, the others are found with CLUSTER NODES). */
  readonly address: string;
  /** Environment variable that holds the password at run time. */
  readonly passwordEnv: string;
  readonly cluster: boolean;
  /** Writer only: the address is a sentinel and this is the master name. */
  readonly sentinelMaster?: string;
  /** `major.minor` of the Redis server (v3 needs it). */
  readonly version: string;
}

export interface ShakeConfigOptions {
  readonly reader: ShakeEnd;
  readonly writer: ShakeEnd;
  /** Port of the JSON status endpoint (v4 status_port, v3 metrics_port). */
  readonly statusPort: number;
  /** GOMAXPROCS. */
  readonly ncpu: number;
  readonly dataDir: string;
}

// Keys and defaults of RedisShake v4's shake.toml (tair-opensource/RedisShake, shake.toml), with these changes:
// dir is the emptyDir, the status port is on for health and metrics, and an existing key is rewritten instead of
// panicking, because a restarted RedisShake replays the full RDB into a target that already holds the keys.
const ADVANCED_V4 = {
  pprof_port: 0,
  log_file: 'shake.log',
  log_level: 'info',
  log_interval: 5,
  rdb_restore_command_behavior: 'rewrite',
  pipeline_count_limit: 1024,
  target_redis_client_max_querybuf_len: 1073741824,
  target_redis_proto_max_bulk_len: 512_000_000,
  aws_psync: '',
  empty_db_before_sync: false,
};

/**
 * RedisShake v4 `shake.toml`: `[sync_reader]`, `[redis_writer]`, `[advanced]`, `[module]`. Passwords are `${VAR}`
 * references that RedisShake v4 (4.3 and later) expands from its environment when it loads the file.
 */
export function renderShakeTomlV4(o: ShakeConfigOptions): string {
  return stringify({
    sync_reader: {
      cluster: o.reader.cluster,
      address: o.reader.address,
      username: '',
      password: `\${${o.reader.passwordEnv}}`,
      tls: false,
      sync_rdb: true,
      sync_aof: true,
      prefer_replica: false,
      try_diskless: false,
    },
    redis_writer: {
      cluster: o.writer.cluster,
      sentinel: o.writer.sentinelMaster !== undefined,
      master: o.writer.sentinelMaster ?? '',
      address: o.writer.address,
      username: '',
      password: `\${${o.writer.passwordEnv}}`,
      tls: false,
      off_reply: false,
    },
    advanced: {
      dir: o.dataDir,
      ncpu: o.ncpu,
      status_port: o.statusPort,
      ...ADVANCED_V4,
    },
    module: {
      target_mbbloom_version: 20603,
    },
  });
}

/** Placeholders in the v3 template; the start script replaces them with the TOML-escaped passwords. */
export const V3_SOURCE_PASSWORD_PLACEHOLDER = '@SOURCE_PASSWORD@';
export const V3_TARGET_PASSWORD_PLACEHOLDER = '@TARGET_PASSWORD@';

/**
 * RedisShake v3 `sync.toml` (the reference platform's format): `type`, `[source]`, `[target]`, `[advanced]`.
 * v3 does not expand environment variables, so the passwords are placeholders filled in at container start.
 */
export function renderSyncTomlV3(o: ShakeConfigOptions): string {
  // go-toml decodes `version` into a float32: write it as a TOML float even when it is 7.0.
  const floats = stringify({
    source: {
      version: Number(o.reader.version),
    },
    target: {
      version: Number(o.writer.version),
    },
  }, { numbersAsFloat: true });
  const rest = stringify({
    source: {
      address: o.reader.address,
      username: '',
      password: V3_SOURCE_PASSWORD_PLACEHOLDER,
      tls: false,
      elasticache_psync: '',
    },
    target: {
      type: o.writer.cluster ? 'cluster' : 'standalone',
      address: o.writer.address,
      username: '',
      password: V3_TARGET_PASSWORD_PLACEHOLDER,
      tls: false,
    },
    advanced: {
      dir: o.dataDir,
      ncpu: o.ncpu,
      pprof_port: 0,
      metrics_port: o.statusPort,
      log_file: 'redis-shake.log',
      log_level: 'info',
      log_interval: 5,
      rdb_restore_command_behavior: 'rewrite',
      pipeline_count_limit: 1024,
      target_redis_client_max_querybuf_len: 1024_000_000,
      target_redis_proto_max_bulk_len: 512_000_000,
    },
  });
  // Both strings declare [source] and [target]; merge them section by section.
  return mergeTomlSections('type = "sync"\n', floats, rest);
}

/** Concatenates TOML documents whose tables may repeat, keeping one header per table. */
function mergeTomlSections(head: string, ...docs: string[]): string {
  const sections = new Map<string, string[]>();
  const order: string[] = [];
  for (const doc of docs) {
    let current = '';
    for (const line of doc.split('\n')) {
      const header = /^\[([^\]]+)\]$/.exec(line.trim());
      if (header) {
        current = header[1];
        if (!sections.has(current)) {
          sections.set(current, []);
          order.push(current);
        }
        continue;
      }
      if (line.trim() === '') continue;
      if (!current) throw new Error(`top-level key outside a table: ${line}`);
      sections.get(current)!.push(line);
    }
  }
  return [head.trimEnd(), ...order.map((s) => `\n[${s}]\n${sections.get(s)!.join('\n')}`)].join('\n') + '\n';
}

/**
 * Start script of the v3 render step: copies the template, replacing the placeholders with the passwords from
 * the environment, escaped for a TOML basic string. Runs with sh (busybox or dash).
 *
 * env: TEMPLATE, OUTPUT, SOURCE_PASSWORD, TARGET_PASSWORD.
 */
export function v3RenderScript(): string {
  return `set -eu
umask 077
: "\${SOURCE_PASSWORD:?}"
: "\${TARGET_PASSWORD:?}"
awk '
  # Escapes for a TOML basic string, one character at a time (awk implementations disagree on gsub escapes).
  function esc(s,   out, i, c) {
    out = ""
    for (i = 1; i <= length(s); i++) {
      c = substr(s, i, 1)
      if (c == "\\\\" || c == "\\"") out = out "\\\\"
      out = out c
    }
    return out
  }
  {
    line = $0
    i = index(line, "${V3_SOURCE_PASSWORD_PLACEHOLDER}")
    if (i > 0) line = substr(line, 1, i - 1) esc(ENVIRON["SOURCE_PASSWORD"]) substr(line, i + ${V3_SOURCE_PASSWORD_PLACEHOLDER.length})
    i = index(line, "${V3_TARGET_PASSWORD_PLACEHOLDER}")
    if (i > 0) line = substr(line, 1, i - 1) esc(ENVIRON["TARGET_PASSWORD"]) substr(line, i + ${V3_TARGET_PASSWORD_PLACEHOLDER.length})
    print line
  }' "\${TEMPLATE:?}" > "\${OUTPUT:?}"
`;
}
