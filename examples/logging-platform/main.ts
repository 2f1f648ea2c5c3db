/**
 * A logging platform: Elasticsearch with hot, warm and cold tiers behind 3 dedicated masters, Kibana, and one
 * lifecycle for every application log index. Log shippers (Fluent Bit in the `logging` namespace) write to
 * `logs.logging.svc:9200` over HTTPS; data rolls over daily or at 25 GiB per primary shard on the hot tier, is
 * force-merged and moved to the warm tier after 2 days, to the cold tier (no replica: the nightly snapshot is the second
 * copy) after 14 days, and is deleted after 60. Snapshots of every index go to S3 every night and are kept 30 days.
 *
 * Sizing follows the reference's capacity rules for a logging workload (disk at most memory x 50 per node, <= 85% disk
 * usage), checked at synth against 1 TiB of logs with one replica: the construct warns when the tiers are too small.
 *
 * Prerequisites: cert-manager, the Prometheus Operator, `vm.max_map_count >= 262144` on the nodes, and a Secret
 * `logs-snapshots-s3` with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for the bucket `acme-log-snapshots`.
 *
 * Run `cdk8s synth` in this folder (or `npm run synth` at the repository root); the YAML lands in dist/.
 */
import { App, Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ElasticsearchCluster, ElasticsearchWorkload, NetworkPeer } from '../../src';

export class LoggingPlatformChart extends Chart {
  public readonly elasticsearch: ElasticsearchCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'logging', ...props });
    const tier = (replicas: number, cpu: number, memoryGi: number, diskGi: number, storageClassName: string) => ({
      replicas,
      resources: { cpu: { request: Cpu.units(cpu / 2), limit: Cpu.units(cpu) }, memory: { limit: Size.gibibytes(memoryGi) } },
      storage: { size: Size.gibibytes(diskGi), storageClassName },
    });
    this.elasticsearch = new ElasticsearchCluster(this, 'logs', {
      masters: { replicas: 3 },
      hot: tier(3, 4, 16, 500, 'fast-ssd'),
      warm: tier(3, 2, 16, 800, 'standard'),
      cold: tier(2, 2, 16, 800, 'standard-hdd'),
      kibana: {},
      ilmPolicies: [{
        name: 'logs-60d',
        hot: { rollover: { maxPrimaryShardSize: Size.gibibytes(25), maxAge: Duration.days(1) } },
        warm: { minAge: Duration.days(2), forceMergeSegments: 1 },
        cold: { minAge: Duration.days(14), replicas: 0 },
        delete: { minAge: Duration.days(60) },
      }],
      indexTemplates: [
        { name: 'logs-apps', indexPatterns: ['logs-apps-*'], ilmPolicy: 'logs-60d', shards: 3, replicas: 1 },
        { name: 'logs-platform', indexPatterns: ['logs-platform-*'], ilmPolicy: 'logs-60d', shards: 1, replicas: 1 },
      ],
      snapshots: {
        repository: { bucket: 'acme-log-snapshots', region: 'eu-west-1', credentialsSecret: 'logs-snapshots-s3' },
        schedule: '0 0 2 * * ?',
        expireAfter: Duration.days(30),
      },
      capacity: { sourceData: Size.tebibytes(1), replicas: 1, workload: ElasticsearchWorkload.LOGGING },
      networkPolicy: {
        allowedClients: [
          NetworkPeer.podsInNamespaces({ 'app.kubernetes.io/name': 'fluent-bit' }, { 'kubernetes.io/metadata.name': 'logging' }),
          NetworkPeer.namespaces({ 'kubernetes.io/metadata.name': 'ingress-nginx' }),
        ],
      },
      monitoring: { selectorLabels: { release: 'kube-prometheus-stack' } },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new LoggingPlatformChart(app, 'logging-platform');
  app.synth();
}
