/**
 * The data tier of an e-commerce platform like the reference's "mall": every store a production service needs, in
 * one namespace, each reachable only from the application services that use it (and from Prometheus):
 *
 * - MySQL primary/replicas (`mall-db`): orders, products and members databases, one user per service, semi-synchronous
 *   replication, nightly physical backups. Writes go to `mall-db.mall.svc`, reads to `mall-db-read.mall.svc`.
 * - Redis Cluster (`mall-cache`): 3 masters x 1 replica for sessions, carts and hot product data, nightly RDB backups.
 * - Elasticsearch (`mall-search`): 3 dedicated masters, 3 hot and 2 cold nodes. The product catalogue lives on the hot
 *   tier; search-history indices roll over daily, move to cold after 7 days and are deleted after 90. Nightly snapshots.
 * - Kafka (`mall-events`): 3 brokers and 3 dedicated controllers (KRaft), SCRAM logins per service, the order, payment
 *   and stock topics declared here, nightly metadata backups.
 *
 * The application services are expected with the label `app.kubernetes.io/name` = order-service, product-service,
 * member-service, cart-service, search-service or payment-service. Backups go to the MinIO bucket of each store with
 * the credentials in the Secret `mall-backup-s3` (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
 *
 * Prerequisites: cert-manager (Elasticsearch TLS), the Prometheus Operator (kube-prometheus-stack release
 * `kube-prometheus-stack`), Grafana's dashboard sidecar, a CNI that enforces NetworkPolicies, and
 * `vm.max_map_count >= 262144` on the nodes.
 *
 * Run `cdk8s synth` in this folder (or `npm run synth` at the repository root); the YAML lands in dist/.
 */
import { App, Chart, ChartProps, Cron, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ElasticsearchCluster, ElasticsearchWorkload, KafkaAuthentication, KafkaCluster, MonitoringProps, MysqlBackupMethod, MysqlCluster,
  NetworkPeer, RedisCluster, S3Target,
} from '../../src';

/** A service of the application tier, by its `app.kubernetes.io/name` label. */
const service = (name: string) => NetworkPeer.pods({ 'app.kubernetes.io/name': name });

export class EcommercePlatformChart extends Chart {
  public readonly mysql: MysqlCluster;
  public readonly redis: RedisCluster;
  public readonly elasticsearch: ElasticsearchCluster;
  public readonly kafka: KafkaCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'mall', ...props });
    const partOf = 'mall';
    const monitoring: MonitoringProps = { selectorLabels: { release: 'kube-prometheus-stack' } };
    const bucket = (name: string): S3Target => ({ endpoint: 'http://minio.minio.svc:9000', bucket: name, credentialsSecret: 'mall-backup-s3' });
    const nightly = (hour: string) => Cron.schedule({ minute: '0', hour });

    this.mysql = new MysqlCluster(this, 'db', {
      name: 'mall-db',
      partOf,
      instances: 3,
      resources: {
        cpu: { request: Cpu.units(2), limit: Cpu.units(4) },
        memory: { request: Size.gibibytes(8), limit: Size.gibibytes(8) },
      },
      storage: { size: Size.gibibytes(200) },
      databases: ['mall_oms', 'mall_pms', 'mall_ums'],
      users: [
        { name: 'order_svc', databases: ['mall_oms'] },
        { name: 'product_svc', databases: ['mall_pms'] },
        { name: 'member_svc', databases: ['mall_ums'] },
        { name: 'payment_svc', databases: ['mall_oms'] },
        { name: 'search_sync', databases: ['mall_pms'], readOnly: true },
      ],
      networkPolicy: {
        allowedClients: ['order-service', 'product-service', 'member-service', 'payment-service', 'search-service'].map(service),
      },
      monitoring,
      backup: { target: bucket('mall-mysql-backups'), schedule: nightly('2'), retentionDays: 14 },
      backupMethod: MysqlBackupMethod.PHYSICAL,
    });

    this.redis = new RedisCluster(this, 'cache', {
      name: 'mall-cache',
      partOf,
      masters: 3,
      replicasPerMaster: 1,
      resources: {
        cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
        memory: { request: Size.gibibytes(4), limit: Size.gibibytes(4) },
      },
      storage: { size: Size.gibibytes(20) },
      networkPolicy: { allowedClients: ['cart-service', 'member-service', 'product-service', 'order-service'].map(service) },
      monitoring,
      backup: { target: bucket('mall-redis-backups'), schedule: nightly('3'), retentionDays: 7 },
    });

    this.elasticsearch = new ElasticsearchCluster(this, 'search', {
      name: 'mall-search',
      partOf,
      masters: { replicas: 3 },
      hot: {
        replicas: 3,
        resources: { cpu: { request: Cpu.units(2), limit: Cpu.units(4) }, memory: { limit: Size.gibibytes(8) } },
        storage: { size: Size.gibibytes(150) },
      },
      cold: {
        replicas: 2,
        resources: { cpu: { request: Cpu.units(1), limit: Cpu.units(2) }, memory: { limit: Size.gibibytes(8) } },
        storage: { size: Size.gibibytes(200) },
      },
      ilmPolicies: [{
        name: 'search-history',
        hot: { rollover: { maxPrimaryShardSize: Size.gibibytes(20), maxAge: Duration.days(1) } },
        cold: { minAge: Duration.days(7) },
        delete: { minAge: Duration.days(90) },
      }],
      indexTemplates: [{ name: 'search-history', indexPatterns: ['search-history-*'], ilmPolicy: 'search-history', shards: 2, replicas: 1 }],
      snapshots: { repository: bucket('mall-es-snapshots'), schedule: '0 0 4 * * ?', expireAfter: Duration.days(14) },
      capacity: { sourceData: Size.gibibytes(120), replicas: 1, workload: ElasticsearchWorkload.GENERAL },
      networkPolicy: { allowedClients: ['search-service', 'product-service'].map(service) },
      monitoring,
    });

    this.kafka = new KafkaCluster(this, 'events', {
      name: 'mall-events',
      partOf,
      brokers: 3,
      controllers: 3,
      brokerResources: {
        cpu: { request: Cpu.units(1), limit: Cpu.units(2) },
        memory: { request: Size.gibibytes(4), limit: Size.gibibytes(4) },
      },
      brokerStorage: { size: Size.gibibytes(100) },
      authentication: KafkaAuthentication.SCRAM_SHA_512,
      users: [{ name: 'order-service' }, { name: 'payment-service' }, { name: 'product-service' }, { name: 'search-service' }],
      topics: [
        { name: 'order-created', partitions: 12 },
        { name: 'order-paid', partitions: 12 },
        { name: 'stock-changed', partitions: 6, config: { 'cleanup.policy': 'compact' } },
        { name: 'product-indexed', partitions: 6, config: { 'retention.ms': String(Duration.days(3).toMilliseconds()) } },
      ],
      networkPolicy: { allowedClients: ['order-service', 'payment-service', 'product-service', 'search-service'].map(service) },
      monitoring,
      backup: { target: bucket('mall-kafka-backups'), schedule: nightly('4'), retentionDays: 30 },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new EcommercePlatformChart(app, 'ecommerce-platform');
  app.synth();
}
