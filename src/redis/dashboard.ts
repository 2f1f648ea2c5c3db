import { DashboardRow, DashboardSpec, PanelKind } from '../monitoring/dashboard';

export interface RedisDashboardOptions {
  readonly uid: string;
  readonly title: string;
  readonly job: string;
  readonly namespace?: string;
  readonly mode: string;
}

const SEL = 'namespace="$namespace",job="$job"';

/** The Redis dashboard: overview, traffic, memory, clients, replication, cluster, persistence, keys. */
export function redisDashboard(o: RedisDashboardOptions): DashboardSpec {
  const rows: DashboardRow[] = [
    {
      title: 'Overview',
      panels: [
        { title: 'Pods up', kind: PanelKind.STAT, queries: [{ expr: `count(redis_up{${SEL}} == 1)` }] },
        { title: 'Masters', kind: PanelKind.STAT, queries: [{ expr: `count(redis_instance_info{${SEL},role="master"})` }] },
        { title: 'Ops/s', kind: PanelKind.STAT, unit: 'ops', queries: [{ expr: `sum(rate(redis_commands_processed_total{${SEL}}[$__rate_interval]))` }] },
        { title: 'Clients', kind: PanelKind.STAT, queries: [{ expr: `sum(redis_connected_clients{${SEL}})` }] },
        { title: 'Keys', kind: PanelKind.STAT, queries: [{ expr: `sum(redis_db_keys{${SEL}} and on (namespace, pod) redis_instance_info{${SEL},role="master"})` }] },
        { title: 'Max memory used', kind: PanelKind.STAT, unit: 'percentunit', queries: [{ expr: `max(redis_memory_used_bytes{${SEL}} / (redis_memory_max_bytes{${SEL}} > 0))` }] },
      ],
    },
    {
      title: 'Traffic',
      panels: [
        { title: 'Commands per second', unit: 'ops', queries: [{ expr: `sum by (pod) (rate(redis_commands_processed_total{${SEL}}[$__rate_interval]))`, legend: '{{pod}}' }] },
        { title: 'Top commands', unit: 'ops', queries: [{ expr: `topk(10, sum by (cmd) (rate(redis_commands_total{${SEL}}[$__rate_interval])))`, legend: '{{cmd}}' }] },
        {
          title: 'Average latency by command',
          unit: 's',
          queries: [{
            expr: `sum by (cmd) (rate(redis_commands_duration_seconds_total{${SEL}}[$__rate_interval])) / sum by (cmd) (rate(redis_commands_total{${SEL}}[$__rate_interval]))`,
            legend: '{{cmd}}',
          }],
        },
        {
          title: 'Keyspace hit ratio',
          unit: 'percentunit',
          queries: [{
            expr: `sum by (pod) (rate(redis_keyspace_hits_total{${SEL}}[$__rate_interval])) / (sum by (pod) (rate(redis_keyspace_hits_total{${SEL}}[$__rate_interval])) + sum by (pod) (rate(redis_keyspace_misses_total{${SEL}}[$__rate_interval])))`,
            legend: '{{pod}}',
          }],
        },
        { title: 'Network in', unit: 'Bps', queries: [{ expr: `sum by (pod) (rate(redis_net_input_bytes_total{${SEL}}[$__rate_interval]))`, legend: '{{pod}}' }] },
        { title: 'Network out', unit: 'Bps', queries: [{ expr: `sum by (pod) (rate(redis_net_output_bytes_total{${SEL}}[$__rate_interval]))`, legend: '{{pod}}' }] },
      ],
    },
    {
      title: 'Memory',
      panels: [
        { title: 'Used memory', unit: 'bytes', queries: [{ expr: `redis_memory_used_bytes{${SEL}}`, legend: '{{pod}}' }, { expr: `max(redis_memory_max_bytes{${SEL}})`, legend: 'maxmemory' }] },
        { title: 'Memory used of maxmemory', unit: 'percentunit', queries: [{ expr: `redis_memory_used_bytes{${SEL}} / (redis_memory_max_bytes{${SEL}} > 0)`, legend: '{{pod}}' }] },
        { title: 'Fragmentation ratio', queries: [{ expr: `redis_mem_fragmentation_ratio{${SEL}}`, legend: '{{pod}}' }] },
        { title: 'Evicted keys/s', unit: 'ops', queries: [{ expr: `sum by (pod) (rate(redis_evicted_keys_total{${SEL}}[$__rate_interval]))`, legend: '{{pod}}' }] },
        { title: 'Expired keys/s', unit: 'ops', queries: [{ expr: `sum by (pod) (rate(redis_expired_keys_total{${SEL}}[$__rate_interval]))`, legend: '{{pod}}' }] },
      ],
    },
    {
      title: 'Clients',
      panels: [
        { title: 'Connected clients', queries: [{ expr: `redis_connected_clients{${SEL}}`, legend: '{{pod}}' }] },
        { title: 'Blocked clients', queries: [{ expr: `redis_blocked_clients{${SEL}}`, legend: '{{pod}}' }] },
        { title: 'Rejected connections/s', unit: 'ops', queries: [{ expr: `sum by (pod) (rate(redis_rejected_connections_total{${SEL}}[$__rate_interval]))`, legend: '{{pod}}' }] },
      ],
    },
    {
      title: 'Replication',
      panels: [
        { title: 'Replicas per master', queries: [{ expr: `redis_connected_slaves{${SEL}} and on (namespace, pod) redis_instance_info{${SEL},role="master"}`, legend: '{{pod}}' }] },
        { title: 'Replica link up', queries: [{ expr: `redis_master_link_up{${SEL}}`, legend: '{{pod}}' }] },
        { title: 'Seconds since last master I/O', unit: 's', queries: [{ expr: `redis_master_last_io_seconds_ago{${SEL}}`, legend: '{{pod}}' }] },
      ],
    },
  ];
  if (o.mode === 'cluster') {
    rows.push({
      title: 'Cluster',
      panels: [
        { title: 'Cluster state ok', queries: [{ expr: `redis_cluster_state{${SEL}}`, legend: '{{pod}}' }] },
        {
          title: 'Slots ok / pfail / fail',
          queries: [
            { expr: `min(redis_cluster_slots_ok{${SEL}})`, legend: 'ok' },
            { expr: `max(redis_cluster_slots_pfail{${SEL}})`, legend: 'pfail' },
            { expr: `max(redis_cluster_slots_fail{${SEL}})`, legend: 'fail' },
          ],
        },
        { title: 'Known nodes', queries: [{ expr: `redis_cluster_known_nodes{${SEL}}`, legend: '{{pod}}' }] },
      ],
    });
  }
  rows.push({
    title: 'Persistence and keys',
    panels: [
      { title: 'Changes since last RDB save', queries: [{ expr: `redis_rdb_changes_since_last_save{${SEL}}`, legend: '{{pod}}' }] },
      { title: 'Last RDB save status (1 = ok)', queries: [{ expr: `redis_rdb_last_bgsave_status{${SEL}}`, legend: '{{pod}}' }] },
      { title: 'Last AOF write status (1 = ok)', queries: [{ expr: `redis_aof_last_write_status{${SEL}}`, legend: '{{pod}}' }] },
      { title: 'Keys per database', queries: [{ expr: `sum by (db) (redis_db_keys{${SEL}} and on (namespace, pod) redis_instance_info{${SEL},role="master"})`, legend: '{{db}}' }] },
      { title: 'Keys with expiry', queries: [{ expr: `sum by (db) (redis_db_keys_expiring{${SEL}} and on (namespace, pod) redis_instance_info{${SEL},role="master"})`, legend: '{{db}}' }] },
    ],
  });
  return {
    uid: o.uid,
    title: o.title,
    tags: ['redis', 'cdk8s-middleware'],
    variableMetric: 'redis_up',
    defaultJob: o.job,
    defaultNamespace: o.namespace,
    rows,
  };
}
