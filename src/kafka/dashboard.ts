import { DashboardSpec, PanelKind } from '../monitoring/dashboard';

export interface KafkaDashboardOptions {
  readonly uid: string;
  readonly title: string;
  /** Job of the JMX exporter series; the kafka_exporter job is `<job>-lag`. */
  readonly job: string;
  readonly namespace?: string;
}

const SEL = 'namespace="$namespace",job="$job"';
const LAG = 'namespace="$namespace",job="$job-lag"';

/** The Kafka dashboard: cluster health, throughput, request latency, consumer lag, JVM. */
export function kafkaDashboard(o: KafkaDashboardOptions): DashboardSpec {
  const rate = (m: string) => `rate(${m}{${SEL}}[$__rate_interval])`;
  return {
    uid: o.uid,
    title: o.title,
    tags: ['kafka', 'cdk8s-middleware'],
    variableMetric: 'kafka_server_replicamanager_partitioncount',
    defaultJob: o.job,
    defaultNamespace: o.namespace,
    rows: [
      {
        title: 'Cluster health',
        panels: [
          { title: 'Brokers registered', kind: PanelKind.STAT, queries: [{ expr: `max(kafka_brokers{${LAG}})` }] },
          { title: 'Active controllers', kind: PanelKind.STAT, queries: [{ expr: `sum(kafka_controller_kafkacontroller_activecontrollercount{${SEL}})` }] },
          { title: 'Offline partitions', kind: PanelKind.STAT, queries: [{ expr: `max(kafka_controller_kafkacontroller_offlinepartitionscount{${SEL}})` }] },
          { title: 'Under-replicated partitions', kind: PanelKind.STAT, queries: [{ expr: `sum(kafka_server_replicamanager_underreplicatedpartitions{${SEL}})` }] },
          { title: 'Under min ISR', kind: PanelKind.STAT, queries: [{ expr: `sum(kafka_server_replicamanager_underminisrpartitioncount{${SEL}})` }] },
          { title: 'Topics', kind: PanelKind.STAT, queries: [{ expr: `max(kafka_controller_kafkacontroller_globaltopiccount{${SEL}})` }] },
        ],
      },
      {
        title: 'Throughput',
        panels: [
          { title: 'Messages in per second', unit: 'ops', queries: [{ expr: `sum by (pod) (${rate('kafka_server_brokertopicmetrics_messagesin_total')})`, legend: '{{pod}}' }] },
          {
            title: 'Bytes in / out per second',
            unit: 'Bps',
            queries: [
              { expr: `sum by (pod) (${rate('kafka_server_brokertopicmetrics_bytesin_total')})`, legend: '{{pod}} in' },
              { expr: `sum by (pod) (${rate('kafka_server_brokertopicmetrics_bytesout_total')})`, legend: '{{pod}} out' },
            ],
          },
          {
            title: 'Failed requests per second',
            unit: 'ops',
            queries: [
              { expr: `sum by (pod) (${rate('kafka_server_brokertopicmetrics_failedproducerequests_total')})`, legend: '{{pod}} produce' },
              { expr: `sum by (pod) (${rate('kafka_server_brokertopicmetrics_failedfetchrequests_total')})`, legend: '{{pod}} fetch' },
            ],
          },
        ],
      },
      {
        title: 'Replication and load',
        panels: [
          { title: 'Partitions per broker', queries: [{ expr: `kafka_server_replicamanager_partitioncount{${SEL}}`, legend: '{{pod}}' }] },
          { title: 'Leaders per broker', queries: [{ expr: `kafka_server_replicamanager_leadercount{${SEL}}`, legend: '{{pod}}' }] },
          {
            title: 'ISR shrinks / expands per second',
            unit: 'ops',
            queries: [
              { expr: `sum by (pod) (${rate('kafka_server_replicamanager_isrshrinks_total')})`, legend: '{{pod}} shrink' },
              { expr: `sum by (pod) (${rate('kafka_server_replicamanager_isrexpands_total')})`, legend: '{{pod}} expand' },
            ],
          },
          {
            title: 'Request handler idle',
            unit: 'percentunit',
            queries: [{ expr: `kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent{${SEL}}`, legend: '{{pod}}' }],
          },
          {
            title: 'Network processor idle',
            unit: 'percentunit',
            queries: [{ expr: `kafka_network_socketserver_networkprocessoravgidlepercent{${SEL}}`, legend: '{{pod}}' }],
          },
          {
            title: 'Request time p99',
            unit: 'ms',
            queries: [{ expr: `max by (request) (kafka_network_requestmetrics_totaltimems{${SEL},percentile="99"})`, legend: '{{request}}' }],
          },
        ],
      },
      {
        title: 'Consumers and storage',
        panels: [
          { title: 'Consumer group lag', queries: [{ expr: `sum by (consumergroup, topic) (kafka_consumergroup_lag{${LAG}})`, legend: '{{consumergroup}} / {{topic}}' }] },
          { title: 'Consumer group members', queries: [{ expr: `kafka_consumergroup_members{${LAG}}`, legend: '{{consumergroup}}' }] },
          { title: 'Log size per broker', unit: 'bytes', queries: [{ expr: `sum by (pod) (kafka_log_log_size{${SEL}})`, legend: '{{pod}}' }] },
          { title: 'JVM heap used', unit: 'bytes', queries: [{ expr: `jvm_memory_used_bytes{${SEL},area="heap"}`, legend: '{{pod}}' }] },
          { title: 'GC time per second', unit: 's', queries: [{ expr: `sum by (pod) (${rate('jvm_gc_collection_seconds_sum')})`, legend: '{{pod}}' }] },
        ],
      },
    ],
  };
}
