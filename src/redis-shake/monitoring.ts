import { Duration } from 'cdk8s';
import { AlertRule, AlertSeverity } from '../monitoring/alerts';
import { DashboardSpec, PanelKind } from '../monitoring/dashboard';

/**
 * RedisShake has no Prometheus endpoint, only a JSON status page (v4 `status_port`, v3 `metrics_port`). The
 * prometheus-community json_exporter, a sidecar in each RedisShake pod, turns that page into these metrics.
 * The metric names are defined here, so the alerts and the dashboard can only use names that exist.
 */
export interface ShakeMetric {
  readonly name: string;
  readonly help: string;
  /** JSONPath in the v4 status document, or undefined when v4 has no such field. */
  readonly v4?: string;
  /** JSONPath in the v3 metrics document, or undefined when v3 has no such field. */
  readonly v3?: string;
}

export const SHAKE_METRICS: ShakeMetric[] = [
  {
    name: 'redisshake_consistent',
    help: '1 when RedisShake has applied everything it received from the source (v4 status "consistent")',
    v4: '{ .consistent }',
  },
  {
    name: 'redisshake_reader_aof_received_offset_bytes',
    help: 'Replication offset received from the source; grows with every write and with the source\'s pings',
    v4: '{ .reader.aof_received_offset }',
    v3: '{ .aof_received_offset }',
  },
  {
    name: 'redisshake_reader_aof_sent_offset_bytes',
    help: 'Replication offset handed on to the writer',
    v4: '{ .reader.aof_sent_offset }',
    v3: '{ .aof_applied_offset }',
  },
  {
    name: 'redisshake_reader_rdb_received_bytes',
    help: 'Bytes of the initial RDB received from the source',
    v4: '{ .reader.rdb_received_bytes }',
    v3: '{ .rdb_received_size }',
  },
  {
    name: 'redisshake_reader_rdb_file_size_bytes',
    help: 'Size of the initial RDB the source sends',
    v4: '{ .reader.rdb_file_size_bytes }',
    v3: '{ .rdb_file_size }',
  },
];

/** json_exporter configuration (JSON is valid YAML) with one module, `redisshake`. */
export function jsonExporterConfig(v3: boolean): string {
  const metrics = SHAKE_METRICS.filter((m) => (v3 ? m.v3 : m.v4)).map((m) => ({
    name: m.name,
    help: m.help,
    path: v3 ? m.v3 : m.v4,
    valuetype: 'gauge',
  }));
  return JSON.stringify({ modules: { redisshake: { metrics } } }, undefined, 2);
}

/** Names of the metrics the exporter configuration defines for a RedisShake version. */
export function shakeMetricNames(v3: boolean): string[] {
  return SHAKE_METRICS.filter((m) => (v3 ? m.v3 : m.v4)).map((m) => m.name);
}

export interface ShakeAlertOptions {
  readonly namespace?: string;
  /** Deployment name prefix of the group, e.g. `dr-sync` (deployments `dr-sync-0`, `dr-sync-1`, ...). */
  readonly groupPrefix: string;
  /** `sync` or `recovery`. */
  readonly group: string;
  /** Whether the disaster-recovery state wants this group running. */
  readonly shouldRun: boolean;
  /** Job label of the metrics Service. */
  readonly job: string;
  readonly v3: boolean;
  readonly state: string;
}

/**
 * Alerts on one RedisShake group, from the state the code declares: a group that should run must be running and
 * progressing; a group that should be stopped must have no pods (both directions at once overwrite new data).
 */
export function shakeAlerts(o: ShakeAlertOptions): AlertRule[] {
  const ns = o.namespace ? `namespace="${o.namespace}",` : '';
  const deployments = `${ns}deployment=~"${o.groupPrefix}-[0-9]+"`;
  const metrics = `${ns}job="${o.job}"`;
  const what = `RedisShake ${o.group} group ${o.groupPrefix}`;
  if (!o.shouldRun) {
    return [{
      name: 'RedisShakeGroupShouldBeStopped',
      expr: `kube_deployment_status_replicas{${deployments}} > 0`,
      for: Duration.minutes(1),
      severity: AlertSeverity.CRITICAL,
      summary: `${what} runs although the disaster-recovery state "${o.state}" stops it`,
      description: 'Someone scaled this group up by hand. If the other direction runs too, each side overwrites the other\'s new data: scale it to 0 now and change the state in code instead.',
    }];
  }
  const alerts: AlertRule[] = [
    {
      name: 'RedisShakeNotRunning',
      expr: `kube_deployment_status_replicas_available{${deployments}} < 1`,
      for: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: `${what}: {{ $labels.deployment }} is not running`,
      description: `The disaster-recovery state "${o.state}" wants this shard synchronized, but its RedisShake has no available pod: the standby is falling behind.`,
    },
    {
      name: 'RedisShakeStatusUnavailable',
      expr: `up{${metrics}} == 0`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `${what}: the status of {{ $labels.pod }} cannot be read`,
      description: 'The json_exporter sidecar cannot read the RedisShake status page: RedisShake is starting, hung or crashed.',
    },
    {
      name: 'RedisShakeNotProgressing',
      expr: `changes(redisshake_reader_aof_received_offset_bytes{${metrics}}[15m]) == 0 and changes(redisshake_reader_rdb_received_bytes{${metrics}}[15m]) == 0`,
      for: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: `${what}: {{ $labels.pod }} receives nothing from the source`,
      description: 'The source pings its replicas every 10 s, so the received offset always grows while the link is up. The cross-cluster link (NodePort, firewall, NetworkPolicy) or the source shard is down.',
    },
    {
      name: 'RedisShakeRestarting',
      expr: `increase(kube_pod_container_status_restarts_total{${ns}pod=~"${o.groupPrefix}-[0-9]+-.*",container="redis-shake"}[1h]) > 3`,
      severity: AlertSeverity.WARNING,
      summary: `${what}: {{ $labels.pod }} restarted more than 3 times in an hour`,
      description: 'RedisShake exits when its source link breaks (for example a failover in the source cluster); every restart begins with a full RDB transfer.',
    },
  ];
  if (!o.v3) {
    alerts.push({
      name: 'RedisShakeNotConsistent',
      expr: `redisshake_consistent{${metrics}} == 0`,
      for: Duration.minutes(30),
      severity: AlertSeverity.WARNING,
      summary: `${what}: {{ $labels.pod }} has not caught up for 30 minutes`,
      description: 'RedisShake is still transferring the RDB or has a backlog for the target. Check the target\'s memory and latency, and the link bandwidth.',
    });
  }
  return alerts;
}

export interface ShakeDashboardOptions {
  readonly uid: string;
  readonly title: string;
  readonly job: string;
  readonly namespace?: string;
  readonly groupPrefix: string;
  readonly v3: boolean;
}

const SEL = 'namespace="$namespace",job="$job"';

export function shakeDashboard(o: ShakeDashboardOptions): DashboardSpec {
  const deployments = `namespace="$namespace",deployment=~"${o.groupPrefix}-[0-9]+"`;
  return {
    uid: o.uid,
    title: o.title,
    tags: ['redis-shake', 'redis', 'disaster-recovery', 'cdk8s-middleware'],
    variableMetric: 'redisshake_reader_aof_received_offset_bytes',
    defaultJob: o.job,
    defaultNamespace: o.namespace,
    rows: [
      {
        title: 'Group',
        panels: [
          { title: 'Shards running', kind: PanelKind.STAT, queries: [{ expr: `sum(kube_deployment_status_replicas_available{${deployments}})` }] },
          { title: 'Shards desired', kind: PanelKind.STAT, queries: [{ expr: `sum(kube_deployment_spec_replicas{${deployments}})` }] },
          ...(o.v3 ? [] : [{ title: 'Shards caught up', kind: PanelKind.STAT, queries: [{ expr: `sum(redisshake_consistent{${SEL}})` }] }]),
          {
            title: 'Restarts (1h)',
            kind: PanelKind.STAT,
            queries: [{ expr: `sum(increase(kube_pod_container_status_restarts_total{namespace="$namespace",pod=~"${o.groupPrefix}-[0-9]+-.*",container="redis-shake"}[1h]))` }],
          },
        ],
      },
      {
        title: 'Replication stream',
        panels: [
          {
            title: 'Received from the source',
            unit: 'Bps',
            queries: [{ expr: `sum by (pod) (rate(redisshake_reader_aof_received_offset_bytes{${SEL}}[$__rate_interval]))`, legend: '{{pod}}' }],
          },
          {
            title: 'Backlog (received - handed to the writer)',
            unit: 'bytes',
            queries: [{
              expr: `redisshake_reader_aof_received_offset_bytes{${SEL}} - redisshake_reader_aof_sent_offset_bytes{${SEL}}`,
              legend: '{{pod}}',
            }],
          },
          {
            title: 'Initial RDB transfer',
            unit: 'percentunit',
            queries: [{
              expr: `redisshake_reader_rdb_received_bytes{${SEL}} / (redisshake_reader_rdb_file_size_bytes{${SEL}} > 0)`,
              legend: '{{pod}}',
            }],
          },
        ],
      },
    ],
  };
}
