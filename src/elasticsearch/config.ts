/** A rendered elasticsearch.yml value: scalars, or a list. */
export type YmlValue = string | number | boolean | string[];

/**
 * Renders flat elasticsearch.yml settings, one `key: value` line each, values as JSON (valid YAML, so no value can
 * break the document). Keys keep their insertion order for stable snapshots. `${VAR}` is substituted by
 * Elasticsearch from the environment.
 */
export function renderElasticsearchYml(settings: Record<string, YmlValue>): string {
  return Object.entries(settings).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n') + '\n';
}

/** The `${NAME}` and `${NAME:default}` placeholders of a single-line value, as Elasticsearch's PropertyPlaceholder reads them. */
export function placeholdersOf(value: string): { name: string; hasDefault: boolean }[] {
  return [...value.matchAll(/\$\{([^}:]*)(:[^}]*)?\}/g)].map((m) => ({ name: m[1], hasDefault: m[2] !== undefined }));
}

/** Settings the construct owns: topology, discovery, network, paths, security, zone awareness and S3 clients. */
const RESERVED = [
  /^cluster\.name$/,
  /^node\.name$/,
  /^node\.roles$/,
  /^node\.attr\.zone$/,
  /^network\./,
  /^http\.port$/,
  /^transport\.port$/,
  /^discovery\./,
  /^cluster\.initial_master_nodes$/,
  /^path\./,
  /^xpack\.security\./,
  /^cluster\.routing\.allocation\.awareness\./,
  /^s3\.client\./,
  /^bootstrap\.password$/,
];

/** True when a setting is managed by the construct and may not be overridden in `config`. */
export function isReservedSetting(key: string): boolean {
  return RESERVED.some((r) => r.test(key));
}
