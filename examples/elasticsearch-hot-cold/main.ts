/**
 * Log storage for an observability stack: 3 dedicated masters, 3 hot nodes that take all writes, 3 cold nodes with
 * large cheap disks for older data, Kibana, and a lifecycle that rolls indices over daily (or at 30 GiB per primary
 * shard), moves them to the cold tier after 7 days and deletes them after 30. Snapshots of every index go to MinIO every
 * night at 01:30 UTC and are kept 14 days. The storage is checked against 600 GiB of expected logs (1 replica): the
 * reference's formula asks for 2044 GiB at <= 85% disk usage, here 3 x 300 GiB hot + 3 x 400 GiB cold, and at most
 * 8 GiB x 50 = 400 GiB per node for a logging workload.
 *
 * Prerequisites: cert-manager, the Prometheus Operator, `vm.max_map_count >= 262144` on the nodes, and a Secret
 * `minio-es-snapshots` with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for the bucket `es-snapshots`.
 *
 * Run `cdk8s synth` in this folder; the YAML lands in dist/.
 */
import { App, Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ElasticsearchCluster, ElasticsearchWorkload, NetworkPeer } from '../../src';

export class LogStorageChart extends Chart {
  public readonly elasticsearch: ElasticsearchCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'observability', ...props });
    this.elasticsearch = new ElasticsearchCluster(this, 'logs', {
      masters: { replicas: 3 },
      hot: {
        replicas: 3,
        resources: { cpu: { request: Cpu.units(2), limit: Cpu.units(4) }, memory: { limit: Size.gibibytes(8) } },
        storage: { size: Size.gibibytes(300), storageClassName: 'fast-ssd' },
      },
      cold: {
        replicas: 3,
        resources: { cpu: { request: Cpu.units(1), limit: Cpu.units(2) }, memory: { limit: Size.gibibytes(8) } },
        storage: { size: Size.gibibytes(400), storageClassName: 'standard-hdd' },
      },
      kibana: {},
      ilmPolicies: [{
        name: 'logs-30d',
        hot: { rollover: { maxPrimaryShardSize: Size.gibibytes(30), maxAge: Duration.days(1) } },
        cold: { minAge: Duration.days(7), replicas: 1 },
        delete: { minAge: Duration.days(30) },
      }],
      indexTemplates: [{ name: 'logs-apps', indexPatterns: ['logs-apps-*'], ilmPolicy: 'logs-30d', shards: 3, replicas: 1 }],
      snapshots: {
        repository: { endpoint: 'http://minio.minio.svc:9000', bucket: 'es-snapshots', credentialsSecret: 'minio-es-snapshots' },
        schedule: '0 30 1 * * ?',
        expireAfter: Duration.days(14),
      },
      capacity: { sourceData: Size.gibibytes(600), replicas: 1, workload: ElasticsearchWorkload.LOGGING },
      networkPolicy: {
        allowedClients: [
          NetworkPeer.pods({ 'app.kubernetes.io/name': 'fluent-bit' }),
          NetworkPeer.namespaces({ 'kubernetes.io/metadata.name': 'ingress-nginx' }),
        ],
      },
      monitoring: { selectorLabels: { release: 'kube-prometheus-stack' } },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new LogStorageChart(app, 'elasticsearch-hot-cold');
  app.synth();
}
