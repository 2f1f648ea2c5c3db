import { Duration } from 'cdk8s';
import { AlertRule, AlertSeverity } from '../monitoring/alerts';

/** One node tier as the alerts and the dashboard see it: its node names start with `prefix`. */
export interface TierMetricsInfo {
  /** Tier title, e.g. `Hot`. */
  readonly title: string;
  /** Node (pod) name prefix of the tier, e.g. `logs-hot-`. */
  readonly prefix: string;
  /** Configured node count. */
  readonly nodes: number;
}

export interface ElasticsearchAlertOptions {
  /** PromQL label matchers selecting this cluster's exporter, e.g. `job="logs-metrics",namespace="obs"`. */
  readonly selector: string;
  readonly instance: string;
  readonly tiers: TierMetricsInfo[];
  readonly totalNodes: number;
  readonly dataNodes: number;
  /** The snapshot repository, when snapshots are configured (the exporter then runs its snapshots collector). */
  readonly snapshotRepository?: string;
  /** Age of the latest successful or partial snapshot (its start) above which ElasticsearchSnapshotTooOld fires, in seconds. */
  readonly maxSnapshotAgeSeconds?: number;
}

/** Regex-escapes a node name prefix for a PromQL `=~` matcher. */
export function prefixRegex(prefix: string): string {
  return `${prefix.replace(/[.]/g, '\\\\.')}.*`;
}

/** Built-in alerts of one Elasticsearch cluster (elasticsearch_exporter metrics, one exporter with --es.all). */
export function elasticsearchAlerts(o: ElasticsearchAlertOptions): AlertRule[] {
  const s = o.selector;
  const who = `Elasticsearch ${o.instance}`;
  const node = `${who} node {{ $labels.name }}`;
  const diskUsed = `(1 - elasticsearch_filesystem_data_available_bytes{${s}} / elasticsearch_filesystem_data_size_bytes{${s}})`;
  const alerts: AlertRule[] = [
    {
      name: 'ElasticsearchClusterRed',
      expr: `elasticsearch_cluster_health_status{${s},color="red"} == 1`,
      for: Duration.minutes(2),
      severity: AlertSeverity.CRITICAL,
      summary: `${who} is red: some primary shards are unassigned`,
      description: 'At least one primary shard is not allocated: searches miss data and writes to it fail. Check GET _cluster/allocation/explain; common causes are lost nodes, full disks (flood stage) and zone awareness without nodes in a zone.',
    },
    {
      name: 'ElasticsearchClusterYellow',
      expr: `elasticsearch_cluster_health_status{${s},color="yellow"} == 1`,
      for: Duration.minutes(30),
      severity: AlertSeverity.WARNING,
      summary: `${who} has been yellow for 30 minutes: replicas are unassigned`,
      description: 'Replica shards cannot be allocated: one more node loss may lose data. Usual causes: more replicas than data nodes of a tier, a node down, disks above the high watermark, or forced zone awareness with a zone missing.',
    },
    {
      name: 'ElasticsearchExporterDown',
      // The cluster health series vanish when the exporter cannot query Elasticsearch (no "up" gauge is relied on:
      // exporter versions differ there).
      expr: `up{${s}} == 0 or absent(elasticsearch_cluster_health_status{${s}})`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `The exporter of ${who} cannot read cluster health`,
      description: 'Either Prometheus cannot scrape the exporter, or the exporter cannot query Elasticsearch (cluster down, exporter user missing because the setup Job has not finished, or a certificate problem).',
    },
    {
      name: 'ElasticsearchNodesMissing',
      expr: `elasticsearch_cluster_health_number_of_nodes{${s}} < ${o.totalNodes}`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `${who} has {{ $value }} of ${o.totalNodes} nodes`,
      description: 'Nodes left the cluster. Check the pods (Pending with required anti-affinity means too few Kubernetes nodes; CrashLoopBackOff: read the log, e.g. OutOfMemoryError or a full disk).',
    },
    {
      name: 'ElasticsearchDataNodesMissing',
      expr: `elasticsearch_cluster_health_number_of_data_nodes{${s}} < ${o.dataNodes}`,
      for: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: `${who} has {{ $value }} of ${o.dataNodes} data nodes`,
      description: 'Data nodes are missing: their shards are being recovered elsewhere (or cannot be, when the tier is too small).',
    },
    {
      name: 'ElasticsearchUnassignedShards',
      expr: `elasticsearch_cluster_health_unassigned_shards{${s}} > 0`,
      for: Duration.minutes(30),
      severity: AlertSeverity.WARNING,
      summary: `${who} has {{ $value }} unassigned shards for 30 minutes`,
      description: 'Shards stay unassigned. GET _cluster/allocation/explain tells why (disk watermark, allocation filtering, replicas above the number of nodes in a tier).',
    },
    {
      name: 'ElasticsearchDiskAboveLowWatermark',
      expr: `${diskUsed} > 0.85`,
      for: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: `${node} disk is {{ $value | humanizePercentage }} full (low watermark 85%)`,
      description: 'Above the low watermark no new shards are allocated to the node. Delete or shrink old indices (ILM delete phase), add nodes, or expand the PVC.',
    },
    {
      name: 'ElasticsearchDiskAboveHighWatermark',
      expr: `${diskUsed} > 0.9`,
      for: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: `${node} disk is {{ $value | humanizePercentage }} full (high watermark 90%)`,
      description: 'Above the high watermark shards are moved away from the node; at 95% (flood stage) its indices become read-only and writes fail. Free space or expand the PVC now.',
    },
    {
      name: 'ElasticsearchHeapUsageHigh',
      expr: `elasticsearch_jvm_memory_used_bytes{${s},area="heap"} / elasticsearch_jvm_memory_max_bytes{${s},area="heap"} > 0.85`,
      for: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: `${node} uses {{ $value | humanizePercentage }} of its heap`,
      description: 'Sustained heap pressure precedes long GC pauses, circuit breaker errors and OutOfMemoryError. Reduce shards per node (20 per GiB of heap at most), heavy aggregations, or raise the memory limit (heap follows it).',
    },
    {
      name: 'ElasticsearchThreadPoolRejections',
      expr: `sum by (name, type) (increase(elasticsearch_thread_pool_rejected_count{${s},type=~"write|search|get|bulk|index"}[5m])) > 0`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `${node} rejects {{ $labels.type }} requests (429 es_rejected_execution_exception)`,
      description: 'A thread pool queue is full: clients get HTTP 429. Lower client concurrency or bulk size, add nodes, or raise thread_pool.write.queue_size in the tier config.',
    },
    {
      name: 'ElasticsearchPendingTasks',
      expr: `elasticsearch_cluster_health_number_of_pending_tasks{${s}} > 10`,
      for: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: `${who} has {{ $value }} pending cluster tasks`,
      description: 'The elected master cannot keep up with cluster state updates: too many shards or indices, or an overloaded master. Check GET _cluster/pending_tasks.',
    },
  ];
  if (o.snapshotRepository) {
    const r = `${s},repository="${o.snapshotRepository}"`;
    const hours = Math.round((o.maxSnapshotAgeSeconds ?? 36 * 3600) / 3600);
    alerts.push(
      {
        name: 'ElasticsearchSnapshotTooOld',
        // Quiet until a first snapshot was attempted (a fresh cluster has none before its first scheduled run).
        expr: `(time() - elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{${r}}) > ${o.maxSnapshotAgeSeconds ?? 36 * 3600}`
          + ` and on (repository) elasticsearch_snapshot_stats_number_of_snapshots{${r}} > 0`,
        for: Duration.minutes(30),
        severity: AlertSeverity.CRITICAL,
        // The exporter's gauge is the start time of the latest SUCCESS or PARTIAL snapshot (collector/snapshots.go, v1.9.0, unchanged in v1.11.0).
        summary: `${who} has no successful or partial snapshot in repository ${o.snapshotRepository} started in the last ${hours} hours`,
        description: 'Scheduled snapshots (SLM) fail or do not run: restores would lose more data than planned. Check GET _slm/policy and the last failure, the S3 credentials in the keystore and the bucket.',
      },
      {
        name: 'ElasticsearchSnapshotPartial',
        expr: `elasticsearch_snapshot_stats_snapshot_failed_shards{${r}} > 0`,
        for: Duration.minutes(10),
        severity: AlertSeverity.WARNING,
        summary: `The latest snapshot of ${who} in ${o.snapshotRepository} missed {{ $value }} shards`,
        description: 'The last snapshot is PARTIAL or FAILED: some shards were not copied (often red indices or S3 errors). GET _snapshot/<repository>/_all shows the failures.',
      },
    );
  }
  for (const t of o.tiers) {
    alerts.push({
      name: `Elasticsearch${t.title}NodesMissing`,
      expr: `count(elasticsearch_jvm_memory_max_bytes{${s},area="heap",name=~"${prefixRegex(t.prefix)}"}) < ${t.nodes}`
        + ` or absent(elasticsearch_jvm_memory_max_bytes{${s},area="heap",name=~"${prefixRegex(t.prefix)}"})`,
      for: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: `${who} ${t.title.toLowerCase()} tier has fewer than ${t.nodes} nodes`,
      description: `Nodes named ${t.prefix}* are missing from the cluster.`,
    });
  }
  return alerts;
}
