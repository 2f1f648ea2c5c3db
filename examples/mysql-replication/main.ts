/**
 * The orders database of a shop: one primary and two semi-synchronous replicas (MySQL 8.4), the `orders` database
 * with a read-write user for the orders service and a read-only user for reporting, nightly dumps to MinIO, and
 * only those services (and Prometheus) allowed to connect. Writes go to `orders.shop.svc`, reads may go to
 * `orders-read.shop.svc`.
 *
 * Run `cdk8s synth` in this folder (or `npm run synth` at the repository root); the YAML lands in dist/.
 */
import { App, Chart, ChartProps, Cron, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MysqlCluster, MysqlTopology, NetworkPeer } from '../../src';

export class OrdersDatabaseChart extends Chart {
  public readonly mysql: MysqlCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'shop', ...props });
    this.mysql = new MysqlCluster(this, 'orders', {
      topology: MysqlTopology.REPLICATION,
      instances: 3,
      resources: {
        cpu: { request: Cpu.units(1), limit: Cpu.units(4) },
        memory: { request: Size.gibibytes(8), limit: Size.gibibytes(8) },
      },
      storage: { size: Size.gibibytes(100), storageClassName: 'standard' },
      databases: ['orders'],
      users: [
        { name: 'orders_svc', databases: ['orders'] },
        { name: 'reporting', databases: ['orders'], readOnly: true },
      ],
      networkPolicy: {
        allowedClients: [
          NetworkPeer.pods({ 'app.kubernetes.io/name': 'orders' }),
          NetworkPeer.pods({ 'app.kubernetes.io/name': 'reporting' }),
        ],
      },
      monitoring: { selectorLabels: { release: 'kube-prometheus-stack' } },
      backup: {
        target: { endpoint: 'http://minio.minio.svc:9000', bucket: 'mysql-backups', credentialsSecret: 'minio-backup-credentials' },
        schedule: Cron.schedule({ minute: '0', hour: '3' }),
        retentionDays: 14,
      },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new OrdersDatabaseChart(app, 'mysql-replication');
  app.synth();
}
