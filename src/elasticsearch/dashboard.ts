import { prefixRegex, TierMetricsInfo } from './alerts';
import { DashboardRow, DashboardSpec, PanelKind } from '../monitoring/dashboard';

export interface ElasticsearchDashboardOptions {
  readonly uid: string;
  readonly title: string;
  readonly job: string;
  readonly namespace?: string;
  readonly tiers: TierMetricsInfo[];
  /** Snapshot repository, when snapshots are configured. */
  readonly snapshotRepository?: string;
}

const SEL = 'namespace="$namespace",job="$job"';

/** The Elasticsearch dashboard: cluster health and shards, then one row per node tier. */
export function elasticsearchDashboard(o: ElasticsearchDashboardOptions): DashboardSpec {
  const rows: DashboardRow[] = [
    {
      title: 'Cluster',
      panels: [
        {
          title: 'Health (0 green, 1 yellow, 2 red)',
          kind: PanelKind.STAT,
          queries: [{ expr: `max(elasticsearch_cluster_health_status{${SEL},color="yellow"}) + 2 * max(elasticsearch_cluster_health_status{${SEL},color="red"})` }],
        },
        { title: 'Nodes', kind: PanelKind.STAT, queries: [{ expr: `max(elasticsearch_cluster_health_number_of_nodes{${SEL}})` }] },
        { title: 'Data nodes', kind: PanelKind.STAT, queries: [{ expr: `max(elasticsearch_cluster_health_number_of_data_nodes{${SEL}})` }] },
        { title: 'Active shards', kind: PanelKind.STAT, queries: [{ expr: `max(elasticsearch_cluster_health_active_shards{${SEL}})` }] },
        { title: 'Unassigned shards', kind: PanelKind.STAT, queries: [{ expr: `max(elasticsearch_cluster_health_unassigned_shards{${SEL}})` }] },
        { title: 'Pending tasks', kind: PanelKind.STAT, queries: [{ expr: `max(elasticsearch_cluster_health_number_of_pending_tasks{${SEL}})` }] },
        {
          title: 'Shards by state',
          queries: [
            { expr: `max(elasticsearch_cluster_health_active_primary_shards{${SEL}})`, legend: 'active primary' },
            { expr: `max(elasticsearch_cluster_health_relocating_shards{${SEL}})`, legend: 'relocating' },
            { expr: `max(elasticsearch_cluster_health_initializing_shards{${SEL}})`, legend: 'initializing' },
            { expr: `max(elasticsearch_cluster_health_delayed_unassigned_shards{${SEL}})`, legend: 'delayed unassigned' },
          ],
        },
        { title: 'Documents', queries: [{ expr: `sum(elasticsearch_indices_docs{${SEL}})`, legend: 'documents' }] },
        { title: 'Stored data', unit: 'bytes', queries: [{ expr: `sum(elasticsearch_indices_store_size_bytes{${SEL}})`, legend: 'store size' }] },
      ],
    },
  ];
  if (o.snapshotRepository) {
    const r = `${SEL},repository="${o.snapshotRepository}"`;
    rows[0].panels.push(
      {
        title: 'Since last successful or partial snapshot',
        kind: PanelKind.STAT,
        unit: 's',
        queries: [{ expr: `time() - max(elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{${r}})` }],
      },
      { title: 'Snapshots in repository', kind: PanelKind.STAT, queries: [{ expr: `max(elasticsearch_snapshot_stats_number_of_snapshots{${r}})` }] },
    );
  }
  for (const t of o.tiers) {
    const n = `${SEL},name=~"${prefixRegex(t.prefix)}"`;
    rows.push({
      title: `${t.title} tier (${t.prefix}*)`,
      panels: [
        {
          title: `${t.title}: heap used`,
          unit: 'percentunit',
          queries: [{ expr: `elasticsearch_jvm_memory_used_bytes{${n},area="heap"} / elasticsearch_jvm_memory_max_bytes{${n},area="heap"}`, legend: '{{name}}' }],
        },
        {
          title: `${t.title}: disk used`,
          unit: 'percentunit',
          description: 'Low watermark 85%, high 90%, flood stage 95%.',
          queries: [{ expr: `1 - elasticsearch_filesystem_data_available_bytes{${n}} / elasticsearch_filesystem_data_size_bytes{${n}}`, legend: '{{name}}' }],
        },
        {
          title: `${t.title}: CPU`,
          unit: 'percent',
          queries: [{ expr: `elasticsearch_process_cpu_percent{${n}}`, legend: '{{name}}' }],
        },
        {
          title: `${t.title}: indexing rate`,
          unit: 'ops',
          queries: [{ expr: `sum by (name) (rate(elasticsearch_indices_indexing_index_total{${n}}[$__rate_interval]))`, legend: '{{name}}' }],
        },
        {
          title: `${t.title}: search rate`,
          unit: 'ops',
          queries: [{ expr: `sum by (name) (rate(elasticsearch_indices_search_query_total{${n}}[$__rate_interval]))`, legend: '{{name}}' }],
        },
        {
          title: `${t.title}: rejected thread pool tasks`,
          unit: 'ops',
          queries: [{ expr: `sum by (name, type) (rate(elasticsearch_thread_pool_rejected_count{${n}}[$__rate_interval])) > 0`, legend: '{{name}} {{type}}' }],
        },
        {
          title: `${t.title}: GC time`,
          unit: 's',
          queries: [{ expr: `sum by (name) (rate(elasticsearch_jvm_gc_collection_seconds_sum{${n}}[$__rate_interval]))`, legend: '{{name}}' }],
        },
        {
          title: `${t.title}: stored data`,
          unit: 'bytes',
          queries: [{ expr: `elasticsearch_indices_store_size_bytes{${n}}`, legend: '{{name}}' }],
        },
      ],
    });
  }
  return {
    uid: o.uid,
    title: o.title,
    tags: ['elasticsearch', 'cdk8s-middleware'],
    variableMetric: 'elasticsearch_cluster_health_number_of_nodes',
    defaultJob: o.job,
    defaultNamespace: o.namespace,
    rows,
  };
}
