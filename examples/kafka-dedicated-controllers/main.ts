/**
 * The event bus of a shop: three Kafka brokers and a dedicated quorum of three KRaft controllers (Apache Kafka 4.1),
 * replication factor 3 with min.insync.replicas 2, the topics the services use declared in code, the order and
 * billing services allowed to connect, metrics scraped by kube-prometheus-stack, and topic configurations, ACLs and
 * consumer offsets backed up nightly to MinIO. Clients use `events.shop.svc:9092`.
 *
 * Run `cdk8s synth` in this folder (or `npm run synth` at the repository root); the YAML lands in dist/.
 */
import { App, Chart, ChartProps, Cron, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KafkaCluster, KafkaTopology, NetworkPeer } from '../../src';

export class EventBusChart extends Chart {
  public readonly kafka: KafkaCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'shop', ...props });
    this.kafka = new KafkaCluster(this, 'events', {
      topology: KafkaTopology.DEDICATED_CONTROLLERS,
      brokers: 3,
      controllers: 3,
      brokerResources: {
        cpu: { request: Cpu.units(1), limit: Cpu.units(4) },
        memory: { request: Size.gibibytes(8), limit: Size.gibibytes(8) },
      },
      brokerStorage: { size: Size.gibibytes(200), storageClassName: 'standard' },
      controllerStorage: { size: Size.gibibytes(10), storageClassName: 'standard' },
      defaultReplicationFactor: 3,
      minInsyncReplicas: 2,
      retention: Duration.days(3),
      networkPolicy: {
        allowedClients: [
          NetworkPeer.pods({ 'app.kubernetes.io/name': 'orders' }),
          NetworkPeer.pods({ 'app.kubernetes.io/name': 'billing' }),
        ],
      },
      monitoring: { selectorLabels: { release: 'kube-prometheus-stack' } },
      backup: {
        target: { endpoint: 'http://minio.minio.svc:9000', bucket: 'kafka-backups', credentialsSecret: 'minio-backup-credentials' },
        schedule: Cron.schedule({ minute: '15', hour: '2' }),
        retentionDays: 14,
      },
    });
    this.kafka.addTopic('orders', { partitions: 12, config: { 'retention.ms': String(Duration.days(7).toMilliseconds()) } });
    this.kafka.addTopic('payments', { partitions: 6, config: { 'min.insync.replicas': '2' } });
    this.kafka.addTopic('order-status', { partitions: 6, config: { 'cleanup.policy': 'compact' } });
  }
}

if (require.main === module) {
  const app = new App();
  new EventBusChart(app, 'kafka-dedicated-controllers');
  app.synth();
}
