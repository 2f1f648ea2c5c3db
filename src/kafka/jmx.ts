/**
 * The Prometheus JMX exporter (javaagent) configuration shipped with KafkaCluster. The rules below DEFINE the
 * Prometheus names of the broker and controller metrics: the alerts and the dashboard may only use names listed by
 * `jmxMetricNames()`, which is derived from the same rule data that renders the YAML, so the two cannot drift.
 *
 * Names follow the JMX exporter 1.x exposition: a COUNTER named `x` is exposed as `x_total`; names are lowercased
 * (`lowercaseOutputName`). MBean names are Apache Kafka's (docs "Monitoring": kafka.server:type=ReplicaManager, ...).
 */

/** The JMX exporter javaagent pinned by this library (GitHub release asset and its SHA-256). */
export const JMX_EXPORTER_VERSION = '1.4.0';
export const JMX_EXPORTER_URL = `https://github.com/prometheus/jmx_exporter/releases/download/${JMX_EXPORTER_VERSION}/jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar`;
export const JMX_EXPORTER_SHA256 = 'db1492e95a7ee95cd5e0a969875c0d4f0ef6413148d750351a41cc71d775f59a';

interface JmxRule {
  /** Pattern with one `(A|B|...)` alternation, referenced as `$1` in `name`. */
  readonly mbean: string;
  readonly attribute: string;
  readonly alternatives?: string[];
  readonly name: string;
  readonly type: 'GAUGE' | 'COUNTER';
}

const RULES: JmxRule[] = [
  {
    mbean: 'kafka.server<type=ReplicaManager, name=$ALT>',
    attribute: 'Value',
    alternatives: ['UnderReplicatedPartitions', 'UnderMinIsrPartitionCount', 'AtMinIsrPartitionCount', 'OfflineReplicaCount', 'PartitionCount', 'LeaderCount'],
    name: 'kafka_server_replicamanager_$1',
    type: 'GAUGE',
  },
  {
    mbean: 'kafka.server<type=ReplicaManager, name=$ALTPerSec>',
    attribute: 'Count',
    alternatives: ['IsrShrinks', 'IsrExpands'],
    name: 'kafka_server_replicamanager_$1',
    type: 'COUNTER',
  },
  {
    // The MBeans without a topic key: broker totals (per-topic series would multiply the cardinality).
    mbean: 'kafka.server<type=BrokerTopicMetrics, name=$ALTPerSec>',
    attribute: 'Count',
    alternatives: ['MessagesIn', 'BytesIn', 'BytesOut', 'FailedProduceRequests', 'FailedFetchRequests', 'TotalProduceRequests', 'TotalFetchRequests'],
    name: 'kafka_server_brokertopicmetrics_$1',
    type: 'COUNTER',
  },
  {
    // KRaft: the controllers register these (the active one reports the cluster-wide counts).
    mbean: 'kafka.controller<type=KafkaController, name=$ALT>',
    attribute: 'Value',
    alternatives: ['ActiveControllerCount', 'OfflinePartitionsCount', 'GlobalPartitionCount', 'GlobalTopicCount', 'ActiveBrokerCount',
      'FencedBrokerCount', 'PreferredReplicaImbalanceCount'],
    name: 'kafka_controller_kafkacontroller_$1',
    type: 'GAUGE',
  },
  {
    mbean: 'kafka.server<type=KafkaRequestHandlerPool, name=$ALT>',
    attribute: 'OneMinuteRate',
    alternatives: ['RequestHandlerAvgIdlePercent'],
    name: 'kafka_server_kafkarequesthandlerpool_$1',
    type: 'GAUGE',
  },
  {
    mbean: 'kafka.network<type=SocketServer, name=$ALT>',
    attribute: 'Value',
    alternatives: ['NetworkProcessorAvgIdlePercent'],
    name: 'kafka_network_socketserver_$1',
    type: 'GAUGE',
  },
];

/** Rules with extra labels, written out literally. */
const LABELLED_RULES = [
  {
    // A partition being moved to another log directory has a second, "future" log until the move completes: it takes
    // disk too, so it is kept, as its own series (without this rule `partition` would capture ", is-future=true").
    pattern: 'kafka.log<type=Log, name=Size, topic=(.+), partition=([0-9]+), is-future=true><>Value',
    name: 'kafka_log_log_size',
    type: 'GAUGE',
    labels: { topic: '$1', partition: '$2', future: 'true' },
  },
  {
    pattern: 'kafka.log<type=Log, name=Size, topic=(.+), partition=([0-9]+)><>Value',
    name: 'kafka_log_log_size',
    type: 'GAUGE',
    labels: { topic: '$1', partition: '$2', future: 'false' },
  },
  {
    pattern: 'kafka.network<type=RequestMetrics, name=TotalTimeMs, request=(Produce|FetchConsumer|FetchFollower)><>(50|99|999)thPercentile',
    name: 'kafka_network_requestmetrics_totaltimems',
    type: 'GAUGE',
    labels: { request: '$1', percentile: '$2' },
  },
];

/**
 * Object names the agent queries at all: the rest of the (large) MBean tree is never read. The JVM metrics (`jvm_*`)
 * come from the agent's built-in JVM collectors, not from these rules.
 */
const INCLUDE = [
  'kafka.server:type=ReplicaManager,*',
  'kafka.server:type=BrokerTopicMetrics,*',
  'kafka.server:type=KafkaRequestHandlerPool,*',
  'kafka.controller:type=KafkaController,*',
  'kafka.log:type=Log,name=Size,*',
  'kafka.network:type=SocketServer,*',
  'kafka.network:type=RequestMetrics,name=TotalTimeMs,*',
];

/** Every metric name the rules produce (as exposed), plus the agent's JVM and own metrics used by this library. */
export function jmxMetricNames(): string[] {
  const names: string[] = [];
  for (const r of RULES) {
    for (const alt of r.alternatives ?? []) {
      const n = r.name.replace('$1', alt).toLowerCase();
      names.push(r.type === 'COUNTER' ? `${n}_total` : n);
    }
  }
  for (const r of LABELLED_RULES) names.push(r.name);
  // JVM metrics the agent exports by default (its built-in client_java JvmMetrics; `excludeJvmMetrics` is not set).
  names.push('jvm_memory_used_bytes', 'jvm_memory_max_bytes', 'jvm_gc_collection_seconds_sum', 'jvm_gc_collection_seconds_count');
  return names;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** The agent's YAML configuration. */
export function renderJmxExporterConfig(): string {
  const lines = [
    '# Generated by cdk8s-middleware: the rules define the Prometheus names used by the alerts and dashboard.',
    'lowercaseOutputName: true',
    'lowercaseOutputLabelNames: true',
    'includeObjectNames:',
    ...INCLUDE.map((o) => `  - ${quote(o)}`),
    'rules:',
  ];
  for (const r of RULES) {
    const alt = `(${(r.alternatives ?? []).join('|')})`;
    lines.push(`  - pattern: ${quote(`${r.mbean.replace('$ALT', alt)}<>${r.attribute}`)}`);
    lines.push(`    name: ${r.name}`);
    lines.push(`    type: ${r.type}`);
  }
  for (const r of LABELLED_RULES) {
    lines.push(`  - pattern: ${quote(r.pattern)}`);
    lines.push(`    name: ${r.name}`);
    lines.push(`    type: ${r.type}`);
    lines.push('    labels:');
    for (const [k, v] of Object.entries(r.labels)) lines.push(`      ${k}: ${quote(v)}`);
  }
  return `${lines.join('\n')}\n`;
}
