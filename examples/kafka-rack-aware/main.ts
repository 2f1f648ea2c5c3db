/**
 * A zone-aware Kafka for telemetry across three availability zones: six brokers and three dedicated controllers
 * spread over the zones, `broker.rack` taken from each node's `topology.kubernetes.io/zone` label so every partition
 * keeps its three replicas in three zones, consumers reading from a replica in their own zone (set `client.rack`),
 * SASL/SCRAM users for the producer and consumer services with passwords generated in the cluster, TLS from a
 * cert-manager ClusterIssuer, and a read-only kafka-ui console. Clients use `telemetry.iot.svc:9092` with
 * SASL_SSL / SCRAM-SHA-512 and trust `ca.crt` of the `telemetry-tls` Secret.
 *
 * The ClusterRole `iot-telemetry-kafka-rack` may only `get` nodes: an init container reads the zone label of its own
 * node before the broker starts.
 *
 * Run `cdk8s synth` in this folder (or `npm run synth` at the repository root); the YAML lands in dist/.
 */
import { App, Chart, ChartProps, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AntiAffinityMode, KafkaAuthentication, KafkaCluster, CertificateIssuerKind, NetworkPeer, SpreadMode, TopologyKey,
} from '../../src';

export class TelemetryKafkaChart extends Chart {
  public readonly kafka: KafkaCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'iot', ...props });
    this.kafka = new KafkaCluster(this, 'telemetry', {
      brokers: 6,
      controllers: 3,
      rackAwareness: { topologyKey: TopologyKey.ZONE },
      scheduling: {
        antiAffinity: { mode: AntiAffinityMode.REQUIRED, topologyKey: TopologyKey.HOSTNAME },
        // Two brokers per zone, one controller per zone: a zone outage leaves a controller majority and two replicas.
        zoneSpread: { maxSkew: 1, whenUnsatisfiable: SpreadMode.DO_NOT_SCHEDULE },
      },
      brokerResources: {
        cpu: { request: Cpu.units(2), limit: Cpu.units(4) },
        memory: { request: Size.gibibytes(16), limit: Size.gibibytes(16) },
      },
      heapPercent: 40,
      brokerStorage: { size: Size.tebibytes(1), storageClassName: 'gp3' },
      numPartitions: 12,
      authentication: KafkaAuthentication.SCRAM_SHA_512,
      users: [{ name: 'ingest' }, { name: 'analytics' }],
      tls: { issuerName: 'internal-ca', issuerKind: CertificateIssuerKind.CLUSTER_ISSUER },
      topics: [
        { name: 'device-events', partitions: 48, config: { 'retention.ms': '604800000', 'compression.type': 'zstd' } },
        { name: 'device-state', partitions: 12, config: { 'cleanup.policy': 'compact' } },
      ],
      ui: { readOnly: true },
      networkPolicy: {
        allowedClients: [
          NetworkPeer.pods({ 'app.kubernetes.io/name': 'ingest' }),
          NetworkPeer.namespaces({ 'kubernetes.io/metadata.name': 'analytics' }),
        ],
      },
      monitoring: { selectorLabels: { release: 'kube-prometheus-stack' } },
      consumerLagThreshold: 100000,
    });
  }
}

if (require.main === module) {
  const app = new App();
  new TelemetryKafkaChart(app, 'kafka-rack-aware');
  app.synth();
}
