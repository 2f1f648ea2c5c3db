import { Duration } from 'cdk8s';
import { AlertRule, AlertSeverity } from '../monitoring/alerts';

export interface KafkaAlertOptions {
  /** Matchers of the JMX exporter series (brokers and controllers), e.g. `job="events-metrics",namespace="shop"`. */
  readonly jmxSelector: string;
  /** Matchers of the kafka_exporter series. */
  readonly lagSelector: string;
  readonly instance: string;
  readonly brokers: number;
  /** Name prefix of the broker pods (`<name>-broker-`), to tell brokers from controllers. */
  readonly brokerPodPrefix: string;
  /** Per-broker volume size, for the disk alerts. */
  readonly brokerVolumeBytes: number;
  readonly consumerLagThreshold: number;
}

/** Built-in alerts: JMX exporter rules of this library (see jmx.ts) and danielqsj/kafka_exporter. */
export function kafkaAlerts(o: KafkaAlertOptions): AlertRule[] {
  const s = o.jmxSelector;
  const b = `${s},pod=~"${o.brokerPodPrefix}[0-9]+"`;
  const e = o.lagSelector;
  const who = `Kafka ${o.instance}`;
  const diskRatio = `sum by (pod) (kafka_log_log_size{${b}}) / ${o.brokerVolumeBytes}`;
  return [
    {
      name: 'KafkaBrokerDown',
      expr: `up{${s}} == 0`,
      for: Duration.minutes(2),
      severity: AlertSeverity.CRITICAL,
      summary: `${who} node {{ $labels.pod }} does not answer metrics scrapes`,
      description: 'A broker or controller is down or restarting. Partitions it led moved to other brokers; those it followed are under-replicated until it returns.',
    },
    {
      name: 'KafkaBrokersMissing',
      // No series while the exporter is down: KafkaLagExporterDown says so, this alert does not guess.
      expr: `max(kafka_brokers{${e}}) < ${o.brokers}`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `${who} has {{ $value }} of ${o.brokers} brokers registered`,
      description: 'Fewer brokers are registered in the cluster metadata than configured. Pending pods usually mean the required anti-affinity found no free node.',
    },
    {
      name: 'KafkaOfflinePartitions',
      expr: `max(kafka_controller_kafkacontroller_offlinepartitionscount{${s}}) > 0`,
      for: Duration.minutes(1),
      severity: AlertSeverity.CRITICAL,
      summary: `${who} has {{ $value }} offline partitions`,
      description: 'Partitions without a leader: producers and consumers of those partitions fail. All replicas of a partition are down; bring the brokers back (unclean election is disabled to avoid data loss).',
    },
    {
      name: 'KafkaUnderReplicatedPartitions',
      expr: `sum(kafka_server_replicamanager_underreplicatedpartitions{${s}}) > 0`,
      for: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: `${who} has {{ $value }} under-replicated partitions`,
      description: 'Some partitions have fewer in-sync replicas than replicas: a broker is down, slow, or its disk or network is saturated.',
    },
    {
      name: 'KafkaUnderMinIsrPartitions',
      expr: `sum(kafka_server_replicamanager_underminisrpartitioncount{${s}}) > 0`,
      for: Duration.minutes(2),
      severity: AlertSeverity.CRITICAL,
      summary: `${who} has {{ $value }} partitions below min.insync.replicas`,
      description: 'Producers with acks=all get NotEnoughReplicas errors on these partitions: writes are refused until replicas catch up.',
    },
    {
      name: 'KafkaActiveControllerCountNotOne',
      expr: `(sum(kafka_controller_kafkacontroller_activecontrollercount{${s}}) or vector(0)) != 1`,
      for: Duration.minutes(2),
      severity: AlertSeverity.CRITICAL,
      summary: `${who} has {{ $value }} active controllers`,
      description: 'Exactly one controller must be active. None: the KRaft quorum lost its majority (metadata changes and leader elections stop). More than one: a split quorum.',
    },
    {
      name: 'KafkaIsrShrinking',
      expr: `sum by (pod) (rate(kafka_server_replicamanager_isrshrinks_total{${s}}[5m])) > 0`,
      for: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: `In-sync replica sets keep shrinking on ${who} {{ $labels.pod }}`,
      description: 'Followers fall out of sync repeatedly: a slow or overloaded broker, network trouble, or replica.lag.time.max.ms too low for the load.',
    },
    {
      name: 'KafkaConsumerGroupLagHigh',
      expr: `sum by (consumergroup, topic) (kafka_consumergroup_lag{${e}}) > ${o.consumerLagThreshold}`,
      for: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Consumer group {{ $labels.consumergroup }} is {{ $value }} messages behind on {{ $labels.topic }}',
      description: 'The consumers read slower than producers write, or they stopped (rebalancing loop, crashed members). Check the group\'s members and their logs.',
    },
    {
      name: 'KafkaDiskFilling',
      expr: `${diskRatio} > 0.8`,
      for: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: `${who} {{ $labels.pod }} log segments fill {{ $value | humanizePercentage }} of its volume`,
      description: 'The partition logs approach the volume size. Expand the PVC (StorageClass with allowVolumeExpansion), shorten retention, or add brokers and reassign partitions.',
    },
    {
      name: 'KafkaDiskFull',
      expr: `${diskRatio} > 0.9`,
      for: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: `${who} {{ $labels.pod }} log segments fill {{ $value | humanizePercentage }} of its volume`,
      description: 'A broker stops when its log directory is full, taking its partitions offline. Act now: expand the volume or delete data (retention).',
    },
    {
      name: 'KafkaLagExporterDown',
      expr: `up{${e}} == 0`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `The kafka_exporter of ${who} does not answer`,
      description: 'Consumer lag and broker count are not measured: check the exporter pod, its credentials and the NetworkPolicy.',
    },
  ];
}
