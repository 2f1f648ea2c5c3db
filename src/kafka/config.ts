/**
 * server.properties rendering. The ConfigMap holds everything shared by the nodes of one role; the entrypoint
 * appends what is per pod (node.id, listeners, advertised.listeners, broker.rack) and the SASL login lines whose
 * passwords come from Secrets, into a file in a memory-backed volume. No password is ever in the ConfigMap.
 */

export type KafkaRole = 'broker' | 'controller' | 'combined';

export interface KafkaServerConfig {
  readonly role: KafkaRole;
  /** `id@host:port` of every controller. */
  readonly voters: string[];
  /** Security protocol of the client/inter-broker listener (PLAINTEXT, SASL_PLAINTEXT, SSL, SASL_SSL). */
  readonly internalProtocol: string;
  /** Security protocol of the external listener, when there is one. */
  readonly externalProtocol?: string;
  readonly scram: boolean;
  readonly tls: boolean;
  readonly rackAware: boolean;
  readonly logDirs: string;
  readonly brokers: number;
  readonly defaultReplicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly numPartitions: number;
  readonly retentionMs: number;
  /** -1: no size limit. */
  readonly retentionBytes: number;
  readonly messageMaxBytes: number;
  readonly autoCreateTopics: boolean;
  readonly overrides: Readonly<Record<string, string>>;
}

export const INTERNAL_PORT = 9092;
export const CONTROLLER_PORT = 9093;
export const EXTERNAL_CONTAINER_PORT = 9094;
export const SCRAM_MECHANISM = 'SCRAM-SHA-512';
/** Where the PEM key+certificate chain is assembled at start (Kafka's PEM keystore wants both in one file). */
export const KEYSTORE_PEM = '/run/kafka/tls/keystore.pem';
export const TRUSTSTORE_PEM = '/etc/kafka/tls/ca.crt';

/**
 * Keys the construct owns: identity, roles, listeners, quorum, storage and security follow the topology and the
 * typed props. Setting them through `config` would break the cluster or bypass validation.
 */
export const RESERVED_KEYS = [
  'node.id', 'broker.id', 'process.roles', 'controller.quorum.voters', 'controller.quorum.bootstrap.servers', 'controller.listener.names',
  'listeners', 'advertised.listeners', 'listener.security.protocol.map', 'inter.broker.listener.name', 'security.inter.broker.protocol',
  'log.dirs', 'log.dir', 'metadata.log.dir', 'broker.rack', 'sasl.enabled.mechanisms', 'sasl.mechanism.inter.broker.protocol',
  'sasl.mechanism.controller.protocol', 'ssl.keystore.location', 'ssl.keystore.type', 'ssl.truststore.location', 'ssl.truststore.type',
  'ssl.keystore.password', 'ssl.key.password', 'ssl.truststore.password', 'ssl.keystore.key', 'ssl.keystore.certificate.chain',
  'default.replication.factor', 'min.insync.replicas', 'num.partitions', 'log.retention.ms', 'log.retention.hours', 'log.retention.minutes',
  'log.retention.bytes', 'message.max.bytes', 'auto.create.topics.enable', 'zookeeper.connect',
];

export function isReservedKey(key: string): boolean {
  return RESERVED_KEYS.includes(key) || key.startsWith('listener.name.');
}

/** Replication factor of the internal topics: 3 when there are enough brokers. */
export function internalTopicReplication(brokers: number): number {
  return Math.min(3, brokers);
}

/** Renders the shared part of server.properties for one role. */
export function renderServerProperties(c: KafkaServerConfig): string {
  const broker = c.role !== 'controller';
  const controller = c.role !== 'broker';
  const roles = c.role === 'combined' ? 'broker,controller' : c.role;
  const map = ['CONTROLLER:PLAINTEXT', `INTERNAL:${c.internalProtocol}`];
  if (c.externalProtocol) map.push(`EXTERNAL:${c.externalProtocol}`);
  const opts: [string, string][] = [
    ['process.roles', roles],
    ['controller.quorum.voters', c.voters.join(',')],
    ['controller.listener.names', 'CONTROLLER'],
    ['listener.security.protocol.map', map.join(',')],
    ['log.dirs', c.logDirs],
  ];
  if (broker) {
    const isr = internalTopicReplication(c.brokers);
    opts.push(
      ['inter.broker.listener.name', 'INTERNAL'],
      ['default.replication.factor', String(c.defaultReplicationFactor)],
      ['min.insync.replicas', String(c.minInsyncReplicas)],
      ['num.partitions', String(c.numPartitions)],
      ['log.retention.ms', String(c.retentionMs)],
      ['log.retention.bytes', String(c.retentionBytes)],
      ['message.max.bytes', String(c.messageMaxBytes)],
      // A follower must be able to fetch the largest batch the leader accepted.
      ['replica.fetch.max.bytes', String(Math.max(c.messageMaxBytes, 1048576))],
      ['auto.create.topics.enable', String(c.autoCreateTopics)],
      // Internal topics get the same durability as user topics.
      ['offsets.topic.replication.factor', String(isr)],
      ['transaction.state.log.replication.factor', String(isr)],
      ['transaction.state.log.min.isr', String(Math.min(2, isr))],
      // Never elect an out-of-sync replica: that silently loses acknowledged writes.
      ['unclean.leader.election.enable', 'false'],
      ['auto.leader.rebalance.enable', 'true'],
      ['group.initial.rebalance.delay.ms', '3000'],
    );
    if (c.rackAware) {
      // Consumers that set client.rack read from a replica in their own zone (KIP-392).
      opts.push(['replica.selector.class', 'org.apache.kafka.common.replica.RackAwareReplicaSelector']);
    }
  }
  if (broker && c.scram) {
    opts.push(['sasl.enabled.mechanisms', SCRAM_MECHANISM], ['sasl.mechanism.inter.broker.protocol', SCRAM_MECHANISM]);
  }
  if (broker && c.tls) {
    opts.push(
      ['ssl.keystore.type', 'PEM'],
      ['ssl.keystore.location', KEYSTORE_PEM],
      ['ssl.truststore.type', 'PEM'],
      ['ssl.truststore.location', TRUSTSTORE_PEM],
      ['ssl.endpoint.identification.algorithm', 'https'],
    );
  }
  if (controller) {
    opts.push(['controller.quorum.election.timeout.ms', '1000'], ['controller.quorum.fetch.timeout.ms', '2000']);
  }
  opts.push(['num.recovery.threads.per.data.dir', '2'], ['log.cleaner.enable', 'true']);
  const lines = new Map<string, string>();
  for (const [k, v] of opts) lines.set(k, v);
  for (const [k, v] of Object.entries(c.overrides)) lines.set(k, v);
  const body = [...lines.entries()].map(([k, v]) => `${k}=${v}`).join('\n');
  return `# Generated by cdk8s-middleware (KRaft ${roles}). The entrypoint appends node.id, listeners and SASL logins.\n${body}\n`;
}

/** Log4j 2 configuration (Kafka 4): everything to stdout; the request log only at WARN. */
export function renderLog4j2Yaml(): string {
  return `Configuration:
  name: cdk8s-middleware
  Appenders:
    Console:
      name: STDOUT
      target: SYSTEM_OUT
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: INFO
      AppenderRef:
        - ref: STDOUT
    Logger:
      - name: kafka.request.logger
        level: WARN
        additivity: false
        AppenderRef:
          - ref: STDOUT
`;
}

/** reload4j configuration (Kafka 3.9): everything to stdout; the request log only at WARN. */
export function renderLog4jProperties(): string {
  return `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
`;
}
