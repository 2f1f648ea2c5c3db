/**
 * The alerts fire on the situations they describe and stay quiet otherwise: `promtool test rules` evaluates the
 * synthesized PrometheusRule against synthetic exporter series.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { ElasticsearchCluster } from '../../src';

const app = Testing.app();
const chart = new Chart(app, 'test', { namespace: 'obs' });
new ElasticsearchCluster(chart, 'logs', {
  snapshots: { repository: { bucket: 'es-snapshots', endpoint: 'http://minio:9000', credentialsSecret: 's3' } },
});
const rule = (Testing.synth(chart) as any[]).find((o) => o.kind === 'PrometheusRule');
const L = 'job="logs-metrics",namespace="obs"';

function promtoolTest(tests: unknown[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'es-alerts-'));
  try {
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: rule.spec.groups }));
    writeFileSync(join(dir, 'test.yaml'), stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }));
    const r = spawnSync('promtool', ['test', 'rules', join(dir, 'test.yaml')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const runbook = (alert: string) => `https://github.com/cdk8s-middleware/cdk8s-middleware/blob/main/docs/runbooks.md#${alert.toLowerCase()}`;
const descriptionOf = (alert: string) => rule.spec.groups[0].rules.find((r: any) => r.alert === alert).annotations.description as string;
const annotations = (alert: string, summary: string) => ({ summary, description: descriptionOf(alert), runbook_url: runbook(alert) });

const node = (name: string) => `${L},name="${name}",cluster="logs",host="10.0.0.1",es_master_node="false",es_data_node="true",es_ingest_node="true",es_client_node="true"`;

test('ElasticsearchClusterRed fires after 2 minutes of red, not on green', () => {
  promtoolTest([{
    interval: '1m',
    input_series: [
      { series: `elasticsearch_cluster_health_status{${L},cluster="logs",color="red"}`, values: '0 0 1 1 1 1' },
    ],
    alert_rule_test: [
      { eval_time: '1m', alertname: 'ElasticsearchClusterRed', exp_alerts: [] },
      {
        eval_time: '5m',
        alertname: 'ElasticsearchClusterRed',
        exp_alerts: [{
          exp_labels: { severity: 'critical', job: 'logs-metrics', namespace: 'obs', cluster: 'logs', color: 'red' },
          exp_annotations: {
            summary: 'Elasticsearch logs is red: some primary shards are unassigned',
            description: rule.spec.groups[0].rules.find((r: any) => r.alert === 'ElasticsearchClusterRed').annotations.description,
            runbook_url: 'https://github.com/cdk8s-middleware/cdk8s-middleware/blob/main/docs/runbooks.md#elasticsearchclusterred',
          },
        }],
      },
    ],
  }]);
});

test('disk and heap alerts fire above their thresholds only', () => {
  const fs = (name: string) => `${node(name)},mount="/usr/share/elasticsearch/data (/dev/sda)",path="/usr/share/elasticsearch/data"`;
  promtoolTest([{
    interval: '1m',
    input_series: [
      // logs-hot-0 is 92% full, logs-hot-1 80%.
      { series: `elasticsearch_filesystem_data_size_bytes{${fs('logs-hot-0')}}`, values: '100x20' },
      { series: `elasticsearch_filesystem_data_available_bytes{${fs('logs-hot-0')}}`, values: '8x20' },
      { series: `elasticsearch_filesystem_data_size_bytes{${fs('logs-hot-1')}}`, values: '100x20' },
      { series: `elasticsearch_filesystem_data_available_bytes{${fs('logs-hot-1')}}`, values: '20x20' },
      { series: `elasticsearch_jvm_memory_max_bytes{${node('logs-hot-0')},area="heap"}`, values: '100x20' },
      { series: `elasticsearch_jvm_memory_used_bytes{${node('logs-hot-0')},area="heap"}`, values: '90x20' },
    ],
    alert_rule_test: [
      {
        eval_time: '10m',
        alertname: 'ElasticsearchDiskAboveHighWatermark',
        exp_alerts: [{
          exp_labels: { ...labelsOf(fs('logs-hot-0')), severity: 'critical' },
          exp_annotations: annotations('ElasticsearchDiskAboveHighWatermark', 'Elasticsearch logs node logs-hot-0 disk is 92% full (high watermark 90%)'),
        }],
      },
      { eval_time: '10m', alertname: 'ElasticsearchDiskAboveLowWatermark', exp_alerts: [] },
      {
        eval_time: '20m',
        alertname: 'ElasticsearchDiskAboveLowWatermark',
        exp_alerts: [{
          exp_labels: { ...labelsOf(fs('logs-hot-0')), severity: 'warning' },
          exp_annotations: annotations('ElasticsearchDiskAboveLowWatermark', 'Elasticsearch logs node logs-hot-0 disk is 92% full (low watermark 85%)'),
        }],
      },
      {
        eval_time: '20m',
        alertname: 'ElasticsearchHeapUsageHigh',
        exp_alerts: [{
          exp_labels: { ...labelsOf(node('logs-hot-0')), area: 'heap', severity: 'warning' },
          exp_annotations: annotations('ElasticsearchHeapUsageHigh', 'Elasticsearch logs node logs-hot-0 uses 90% of its heap'),
        }],
      },
    ],
  }]);
});

test('a missing hot node fires ElasticsearchHotNodesMissing; three nodes keep it quiet', () => {
  const heap = (name: string, values: string) => ({ series: `elasticsearch_jvm_memory_max_bytes{${node(name)},area="heap"}`, values });
  promtoolTest([{
    interval: '1m',
    input_series: [heap('logs-hot-0', '1x30'), heap('logs-hot-1', '1x30'), heap('logs-hot-2', '1x5 _x25'), heap('logs-master-0', '1x30')],
    alert_rule_test: [
      { eval_time: '5m', alertname: 'ElasticsearchHotNodesMissing', exp_alerts: [] },
      {
        eval_time: '25m',
        alertname: 'ElasticsearchHotNodesMissing',
        exp_alerts: [{
          exp_labels: { severity: 'warning' },
          exp_annotations: annotations('ElasticsearchHotNodesMissing', 'Elasticsearch logs hot tier has fewer than 3 nodes'),
        }],
      },
    ],
  }]);
});

test('ElasticsearchSnapshotTooOld: quiet before any snapshot attempt, fires when the latest success is older than 36 hours', () => {
  const r = `${L},repository="backups"`;
  promtoolTest([{
    // A cluster whose first scheduled snapshot has not run yet: quiet however long.
    interval: '1m',
    input_series: [
      { series: `elasticsearch_snapshot_stats_number_of_snapshots{${r}}`, values: '0x2600' },
      { series: `elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{${r}}`, values: '0x2600' },
    ],
    alert_rule_test: [{ eval_time: '40h', alertname: 'ElasticsearchSnapshotTooOld', exp_alerts: [] }],
  }, {
    interval: '1m',
    input_series: [
      // No snapshot for 10 hours; then snapshots exist but the latest success stays at timestamp 0.
      { series: `elasticsearch_snapshot_stats_number_of_snapshots{${r}}`, values: '0x600 1x2000' },
      { series: `elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{${r}}`, values: '0x2600' },
    ],
    alert_rule_test: [
      { eval_time: '9h', alertname: 'ElasticsearchSnapshotTooOld', exp_alerts: [] },
      { eval_time: '30h', alertname: 'ElasticsearchSnapshotTooOld', exp_alerts: [] },
      {
        eval_time: '40h',
        alertname: 'ElasticsearchSnapshotTooOld',
        exp_alerts: [{
          exp_labels: { ...labelsOf(r), severity: 'critical' },
          exp_annotations: annotations('ElasticsearchSnapshotTooOld', 'Elasticsearch logs has no successful or partial snapshot in repository backups started in the last 36 hours'),
        }],
      },
    ],
  }]);
});

function labelsOf(matchers: string): Record<string, string> {
  return Object.fromEntries([...matchers.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}
