/**
 * A production Redis Cluster for a shop: 3 masters x 1 replica, a generated password, backups to MinIO
 * every night, and only the checkout service (and Prometheus) allowed to connect.
 *
 * Run `cdk8s synth` in this folder (or `npm run synth` at the repository root); the YAML lands in dist/.
 */
import { App, Chart, ChartProps, Cron, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { NetworkPeer, RedisCluster } from '../../src';

export class ShopCacheChart extends Chart {
  public readonly redis: RedisCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'shop', ...props });
    this.redis = new RedisCluster(this, 'cache', {
      masters: 3,
      replicasPerMaster: 1,
      resources: {
        cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
        memory: { request: Size.gibibytes(2), limit: Size.gibibytes(2) },
      },
      storage: { size: Size.gibibytes(20), storageClassName: 'standard' },
      networkPolicy: { allowedClients: [NetworkPeer.pods({ 'app.kubernetes.io/name': 'checkout' })] },
      monitoring: { selectorLabels: { release: 'kube-prometheus-stack' } },
      backup: {
        target: {
          endpoint: 'http://minio.minio.svc:9000',
          bucket: 'redis-backups',
          credentialsSecret: 'minio-backup-credentials',
        },
        schedule: Cron.schedule({ minute: '30', hour: '1' }),
        retentionDays: 14,
      },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new ShopCacheChart(app, 'redis-cluster');
  app.synth();
}
