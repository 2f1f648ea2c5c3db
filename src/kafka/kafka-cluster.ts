import { createHash } from 'crypto';
import { ApiObject, Chart, Duration, JsonPatch, Lazy, Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { kafkaAlerts } from './alerts';
import {
  CONTROLLER_PORT, EXTERNAL_CONTAINER_PORT, INTERNAL_PORT, isReservedKey, KafkaRole, KEYSTORE_PEM, renderLog4j2Yaml, renderLog4jProperties,
  renderServerProperties,
} from './config';
import { kafkaDashboard } from './dashboard';
import { JMX_EXPORTER_SHA256, JMX_EXPORTER_URL, renderJmxExporterConfig } from './jmx';
import {
  jmxAgentDownloadScript, kafkaBackupScript, kafkaEntrypointScript, kafkaRestoreScript, kafkaSetupScript, rackLookupScript,
} from './scripts';
import { createDisruptionBudget } from '../availability/disruption-budget';
import { createNetworkPolicy } from '../availability/network-policy';
import { backupFailedAlert, BackupProps, createBackupCronJob, restoreDownloadContainer, RestoreProps } from '../backup/backup';
import { MiddlewareClusterProps } from '../core/cluster-props';
import { ImageProps, pullSecrets, resolveImage } from '../core/images';
import { oneShotJob } from '../core/jobs';
import { componentLabels, InstanceIdentity, selectorLabels } from '../core/labels';
import { fixedResources, renderResources, ResolvedResources, resolveResources, sizeBytes } from '../core/resources';
import { checkDnsLabel, checkInteger, checkOptionalBoolean, checkRule, warn } from '../core/validation';
import { SIDECAR_IMAGES } from '../core/versions';
import { CertificateIssuerKind } from '../credentials/certificates';
import { bindCredentials, Credentials, secretEnv, SecretKeyRef } from '../credentials/credentials';
import {
  Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyEncoding, CertificateSpecPrivateKeyRotationPolicy, CertificateSpecUsages,
} from '../imports/cert-manager.io';
import { AlertRule } from '../monitoring/alerts';
import { createMonitoring } from '../monitoring/monitoring';
import { renderScheduling, SchedulingProps, TopologyKey } from '../scheduling/scheduling';
import { ResolvedStorage, resolveStorage, retentionPolicy, StorageProps, volumeClaimTemplate } from '../storage/storage';

/** How KRaft roles are laid out. */
export enum KafkaTopology {
  /**
   * A dedicated controller quorum (its own StatefulSet, 1, 3 or 5 pods) plus brokers: controllers are never slowed
   * down by client traffic, and brokers can be scaled alone. The production layout.
   */
  DEDICATED_CONTROLLERS = 'dedicated-controllers',
  /** Every node is broker and controller (1, 3 or 5 nodes): fewer pods, for small clusters. */
  COMBINED = 'combined',
}

/** An Apache Kafka version and the tag of the official image (`docker.io/apache/kafka`). */
export class KafkaVersion {
  /** Kafka 4.4, the newest line (the default). */
  public static readonly V4_4 = new KafkaVersion('4.4', '4.4.0');
  /** Kafka 4.3. */
  public static readonly V4_3 = new KafkaVersion('4.3', '4.3.2');
  /** Kafka 4.1. */
  public static readonly V4_1 = new KafkaVersion('4.1', '4.1.2');
  /** Kafka 3.9, the last 3.x line. */
  public static readonly V3_9 = new KafkaVersion('3.9', '3.9.2');
  /**
   * A specific tag of the official image, 3.9.x or 4.x (KRaft only: ZooKeeper mode is not supported).
   * @param tag image tag, e.g. `4.1.2`
   */
  public static ofTag(tag: string): KafkaVersion {
    const m = /^(\d+)\.(\d+)\.(\d+)([-.][A-Za-z0-9.-]+)?$/.exec(tag);
    return new KafkaVersion(m ? `${m[1]}.${m[2]}` : tag, tag);
  }
  private constructor(
    /** `major.minor`, e.g. `4.1`. */
    public readonly majorMinor: string,
    /** Image tag. */
    public readonly imageTag: string,
  ) {}
}

/** Client authentication on the internal (and external) listener. */
export enum KafkaAuthentication {
  /** No authentication: only the NetworkPolicy decides who connects. */
  NONE = 'none',
  /** SASL/SCRAM-SHA-512 users with passwords from Secrets; brokers authenticate to each other as the admin user. */
  SCRAM_SHA_512 = 'scram-sha-512',
}

/**
 * TLS on the broker listeners. The Secret holds `tls.crt`, `tls.key` (PKCS#8, unencrypted) and `ca.crt`, and the
 * certificate names `<name>`, `<name>.<namespace>.svc` and `*.<name>-brokers.<namespace>.svc` (plus the external
 * host names). With an issuer, a cert-manager Certificate with exactly those names is created.
 */
export interface KafkaTlsProps {
  /**
   * cert-manager issuer that signs the broker certificate.
   * @default none: `secretName` must name an existing Secret
   */
  readonly issuerName?: string;
  /**
   * Kind of the issuer.
   * @default CertificateIssuerKind.ISSUER
   */
  readonly issuerKind?: CertificateIssuerKind;
  /**
   * Secret holding the certificate: the one cert-manager writes, or your own.
   * @default `<name>-tls`
   */
  readonly secretName?: string;
}

/** How the external listener is exposed. */
export enum KafkaExternalAccessType {
  /** One NodePort Service per broker; clients reach `<advertised host>:<node port>`. */
  NODE_PORT = 'NodePort',
  /** One LoadBalancer Service per broker. */
  LOAD_BALANCER = 'LoadBalancer',
}

/**
 * An external listener: one Service per broker, because Kafka clients talk to each partition's leader directly and
 * must reach every broker at the address it advertises. Kubernetes cannot tell a broker the address a client will
 * use, so you supply it.
 */
export interface KafkaExternalListenerProps {
  /** NodePort or LoadBalancer. */
  readonly type: KafkaExternalAccessType;
  /**
   * Address clients use for each broker, by ordinal: host names or IPs. For NodePort one entry may stand for every
   * broker (a DNS name that resolves to the nodes); for LoadBalancer give one per broker (e.g. DNS names you point
   * at the load balancers, for example with external-dns annotations).
   */
  readonly advertisedHosts: string[];
  /**
   * Port of each broker, by ordinal: the node port (30000-32767, unique) or the load balancer port.
   * @default NodePort: 31090 + ordinal; LoadBalancer: 9094
   */
  readonly ports?: number[];
  /**
   * Annotations of the external Services (cloud load balancer settings, external-dns host names).
   * @default none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Source ranges allowed to reach the external port (NetworkPolicy and LoadBalancer source ranges).
   * @default ['0.0.0.0/0']
   */
  readonly allowedCidrs?: string[];
  /**
   * Expose the listener although the cluster has no authentication (`KafkaAuthentication.NONE`). Without
   * authentication there is no authorizer: anyone who reaches the port can read, write and delete every topic, so
   * synth refuses an external listener on such a cluster unless this is true (and warns while `allowedCidrs` is open).
   * @default false
   */
  readonly allowUnauthenticated?: boolean;
}

/** `broker.rack` from a node label, so replicas of a partition land in different zones. */
export interface KafkaRackAwarenessProps {
  /**
   * Node label whose value becomes `broker.rack`.
   * @default TopologyKey.ZONE
   */
  readonly topologyKey?: TopologyKey;
}

/** A topic declared in code, created (or updated) by the setup Job. */
export interface KafkaTopic extends KafkaTopicOptions {
  /** Topic name: letters, digits, '.', '_' and '-', at most 249 characters. */
  readonly name: string;
}

/** Partitions, replication factor and configs of a topic. */
export interface KafkaTopicOptions {
  /**
   * Partitions. Raising it later adds partitions (keys then map to other partitions); lowering it is refused by Kafka
   * and only logged.
   * @default the cluster's `numPartitions`
   */
  readonly partitions?: number;
  /**
   * Replication factor (at most the broker count). Fixed at creation: changing it needs a partition reassignment.
   * @default the cluster's `defaultReplicationFactor`
   */
  readonly replicationFactor?: number;
  /**
   * Topic configs, e.g. `{ 'retention.ms': '86400000', 'cleanup.policy': 'compact' }`.
   * @default none
   */
  readonly config?: { [key: string]: string };
}

/** A SASL/SCRAM user. */
export interface KafkaUser {
  /** User name (letters, digits, '.', '_', '-'). */
  readonly name: string;
  /**
   * Password.
   * @default Credentials.generate(): a Secret `<name>-user-<user>` generated in the cluster
   */
  readonly password?: Credentials;
}

/** The kafbat kafka-ui web console. */
export interface KafkaUiProps {
  /**
   * Read-only console: browse topics, messages and consumer groups, change nothing.
   * @default true
   */
  readonly readOnly?: boolean;
  /**
   * kafka-ui image.
   * @default docker.io/kafbat/kafka-ui pinned by this library
   */
  readonly image?: ImageProps;
}

/** Where the JMX exporter javaagent is downloaded from (e.g. an internal mirror). */
export interface KafkaJmxExporterProps {
  /**
   * URL of `jmx_prometheus_javaagent-<version>.jar`.
   * @default the GitHub release of the version pinned by this library
   */
  readonly jarUrl?: string;
  /**
   * SHA-256 of that jar (checked before the JVM loads it).
   * @default the checksum of the pinned version
   */
  readonly sha256?: string;
}

/** Props of a KafkaCluster. */
export interface KafkaClusterProps extends MiddlewareClusterProps {
  /**
   * Kafka version.
   * @default KafkaVersion.V4_4
   */
  readonly version?: KafkaVersion;
  /**
   * KRaft layout.
   * @default KafkaTopology.DEDICATED_CONTROLLERS
   */
  readonly topology?: KafkaTopology;
  /**
   * Brokers (1 to 100). With COMBINED every broker is also a controller, so 1, 3 or 5.
   * @default 3
   */
  readonly brokers?: number;
  /**
   * Dedicated controllers: 1, 3 or 5 (a quorum needs a majority; an odd size tolerates the most failures).
   * @default 3
   */
  readonly controllers?: number;
  /**
   * `default.replication.factor` for topics created without one.
   * @default 3 (the broker count when there are fewer)
   */
  readonly defaultReplicationFactor?: number;
  /**
   * `min.insync.replicas`: replicas that must have a write before acks=all producers get an acknowledgement.
   * @default 2 (1 with fewer than 3 brokers)
   */
  readonly minInsyncReplicas?: number;
  /**
   * `num.partitions` for topics created without a count.
   * @default 3
   */
  readonly numPartitions?: number;
  /**
   * `log.retention.ms`: how long messages are kept.
   * @default Duration.days(7)
   */
  readonly retention?: Duration;
  /**
   * `log.retention.bytes`: size kept per partition.
   * @default no size limit
   */
  readonly retentionBytes?: Size;
  /**
   * `message.max.bytes`: largest record batch the brokers accept.
   * @default Size.mebibytes(1)
   */
  readonly messageMaxBytes?: Size;
  /**
   * `auto.create.topics.enable`. Off: topics come from `topics`/`addTopic`, so a typo never creates a topic.
   * @default false
   */
  readonly autoCreateTopics?: boolean;
  /**
   * Free-form broker settings (`key` -> `value`) added to server.properties. Keys the construct owns (identity,
   * roles, listeners, quorum, storage, security and the typed props above) are refused.
   * @default none
   */
  readonly config?: { [key: string]: string };
  /**
   * Resources of each broker. The memory limit also sizes the heap (`heapPercent`); the rest is page cache.
   * @default cpu 500m request / 2 limit, memory 4Gi request and limit
   */
  readonly brokerResources?: ContainerResources;
  /**
   * Resources of each dedicated controller.
   * @default cpu 250m request / 1 limit, memory 1Gi request and limit
   */
  readonly controllerResources?: ContainerResources;
  /**
   * Share of the memory limit given to the JVM heap (`-Xms`/`-Xmx`), in percent.
   * @default 50
   */
  readonly heapPercent?: number;
  /**
   * Volume of each broker (partition logs).
   * @default 50Gi, the default StorageClass, PVCs retained
   */
  readonly brokerStorage?: StorageProps;
  /**
   * Volume of each dedicated controller (metadata log).
   * @default 10Gi, the default StorageClass, PVCs retained
   */
  readonly controllerStorage?: StorageProps;
  /**
   * Scheduling of brokers and controllers (each group spreads on its own).
   * @default required anti-affinity on the hostname, zone spread preferred
   */
  readonly scheduling?: SchedulingProps;
  /**
   * Client authentication.
   * @default KafkaAuthentication.NONE
   */
  readonly authentication?: KafkaAuthentication;
  /**
   * Password of the SCRAM admin user (`admin`): inter-broker traffic, the setup, backup and restore Jobs, the
   * exporter and the console.
   * @default Credentials.generate(): a Secret `<name>-admin` generated in the cluster
   */
  readonly adminPassword?: Credentials;
  /**
   * SCRAM users to create (needs SCRAM_SHA_512).
   * @default none
   */
  readonly users?: KafkaUser[];
  /**
   * TLS on the broker listeners (the controller listener stays inside the cluster, limited by the NetworkPolicy).
   * @default no TLS
   */
  readonly tls?: KafkaTlsProps;
  /**
   * An external listener, one Service per broker.
   * @default no external access
   */
  readonly external?: KafkaExternalListenerProps;
  /**
   * Rack awareness: `broker.rack` from the node's zone label, read at start by an init container (needs `get` on
   * nodes: a ClusterRole).
   * @default off
   */
  readonly rackAwareness?: KafkaRackAwarenessProps;
  /**
   * Topics to create after the cluster is up (more with `addTopic`).
   * @default none
   */
  readonly topics?: KafkaTopic[];
  /**
   * The kafka-ui web console.
   * @default no console
   */
  readonly ui?: KafkaUiProps;
  /**
   * Kafka image (also runs the setup, backup and restore Jobs).
   * @default docker.io/apache/kafka with the version's tag
   */
  readonly image?: ImageProps;
  /**
   * kafka_exporter image (consumer lag, broker count).
   * @default docker.io/danielqsj/kafka-exporter pinned by this library
   */
  readonly exporterImage?: ImageProps;
  /**
   * Image with `curl` and `sha256sum` (JMX agent download, rack lookup, password generators).
   * @default docker.io/curlimages/curl pinned by this library
   */
  readonly toolsImage?: ImageProps;
  /**
   * Source of the JMX exporter javaagent.
   * @default the pinned GitHub release, checked by SHA-256
   */
  readonly jmxExporter?: KafkaJmxExporterProps;
  /**
   * Consumer group lag (messages, per group and topic) above which KafkaConsumerGroupLagHigh fires.
   * @default 10000
   */
  readonly consumerLagThreshold?: number;
  /**
   * Scheduled metadata backups: topic configs, ACLs and consumer group offsets (not messages: use MirrorMaker 2).
   * @default no backups
   */
  readonly backup?: BackupProps;
  /**
   * Re-create topics, ACLs and consumer group offsets of a backup in this cluster (a Job run once it is up).
   * @default no restore
   */
  readonly restore?: RestoreProps;
  /**
   * Also reset consumer group offsets to the backup's committed offsets (`kafka-consumer-groups.sh --reset-offsets`).
   * Raw offsets are right only where the partitions hold the same records at the same offsets as when the backup
   * ran: the same cluster, after group offsets were deleted or reset by mistake. Never turn it on for a cluster fed by
   * MirrorMaker 2: MM2 does not preserve offsets (a mirrored partition starts at 0 from the oldest retained record),
   * so the backup's offsets would skip unread records or point past the end; translate offsets with MM2's
   * checkpoints instead (`sync.group.offsets.enabled=true`, and IdentityReplicationPolicy to keep topic names).
   * @default false: topics and ACLs are restored, offsets are not
   */
  readonly restoreConsumerOffsets?: boolean;
}

const KAFKA_IMAGE = 'docker.io/apache/kafka';
const UI_IMAGE = 'docker.io/kafbat/kafka-ui';
const UI_TAG = 'v1.5.0';
// The official image's appuser (created by adduser in the image: the first user, uid 1000).
const KAFKA_UID = 1000;
export const JMX_PORT = 9404;
export const KAFKA_EXPORTER_PORT = 9308;
const UI_PORT = 8080;
const ADMIN_USER = 'admin';
const CONTROLLER_ID_OFFSET = 1000;
const DATA_MOUNT = '/var/lib/kafka/data';
const LOG_DIR = `${DATA_MOUNT}/logs`;
const TLS_DIR = '/etc/kafka/tls';
const SA_DIR = '/var/run/secrets/cdk8s-middleware/rack';
const NODE_LABEL = 'kafka.cdk8s-middleware.io/node';
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const CONFIG_KEY = /^[a-z0-9][a-z0-9._-]*$/;
const HOST = /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*|\d{1,3}(\.\d{1,3}){3})$/;
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/**
 * A production Apache Kafka in KRaft mode, with no operator: dedicated controller quorum and brokers (or combined
 * nodes) as StatefulSets, storage formatted once with a stable cluster ID, PLAINTEXT / SASL-SCRAM / TLS listeners, an
 * optional external listener per broker, rack awareness, typed broker settings, declared topics and users applied
 * by a Job, PodDisruptionBudgets, NetworkPolicy, JMX exporter and kafka_exporter metrics with ServiceMonitor, alerts
 * and dashboard, metadata backups to S3 with a restore Job, and an optional kafka-ui console.
 */
export class KafkaCluster extends Construct {
  /** Instance name. */
  public readonly name: string;
  /** KRaft layout. */
  public readonly topology: KafkaTopology;
  /** Kafka `major.minor`. */
  public readonly versionMajorMinor: string;
  /** Number of brokers. */
  public readonly brokers: number;
  /** Number of controllers (voters): the dedicated ones, or every node with COMBINED. */
  public readonly controllers: number;
  /** The KRaft cluster ID (derived from namespace and name: stable across synths). */
  public readonly clusterId: string;
  /** Host of the bootstrap Service. */
  public readonly host: string;
  /** Client port of the brokers. */
  public readonly port: number;
  /** `host:port` for `bootstrap.servers`. */
  public readonly bootstrapServers: string;
  /** `bootstrap.servers` for clients outside the cluster (with an external listener). */
  public readonly externalBootstrapServers?: string;
  /** Client `security.protocol` (PLAINTEXT, SASL_PLAINTEXT, SSL or SASL_SSL). */
  public readonly securityProtocol: string;
  /** SASL mechanism clients use (with SCRAM). */
  public readonly saslMechanism?: string;
  /** Secret and key of the admin password (with SCRAM). */
  public readonly adminPasswordSecret?: SecretKeyRef;
  /** Secret and key of each SCRAM user's password, by user name. */
  public readonly userPasswordSecrets: { [user: string]: SecretKeyRef };
  /** Secret with the broker certificate and `ca.crt` (with TLS): clients trust `ca.crt`. */
  public readonly tlsSecretName?: string;
  /** Labels that select every broker pod. */
  public readonly brokerSelectorLabels: { [key: string]: string };
  /** ConfigMap with server.properties of each role and the JMX exporter rules. */
  public readonly configMap: ApiObject;
  /** ConfigMap with the entrypoint and setup scripts. */
  public readonly scriptsConfigMap: ApiObject;
  /** Bootstrap Service (all brokers). */
  public readonly service: ApiObject;
  /** Headless Service of the brokers (per-pod DNS names). */
  public readonly brokerHeadlessService: ApiObject;
  /** Headless Service of the dedicated controllers. */
  public readonly controllerHeadlessService?: ApiObject;
  /** Broker StatefulSet (with COMBINED, every broker is also a controller). */
  public readonly brokerStatefulSet: ApiObject;
  /** Controller StatefulSet (DEDICATED_CONTROLLERS). */
  public readonly controllerStatefulSet?: ApiObject;
  /** External Services, one per broker. */
  public readonly externalServices: ApiObject[];
  /** cert-manager Certificate of the brokers. */
  public readonly certificate?: ApiObject;
  /** Rack lookup ServiceAccount, ClusterRole (get nodes) and ClusterRoleBinding. */
  public readonly rackRbac: ApiObject[];
  /** PodDisruptionBudgets (brokers, controllers). */
  public readonly disruptionBudgets: ApiObject[];
  /** The NetworkPolicy. */
  public readonly networkPolicy?: ApiObject;
  /** Service exposing the JMX exporter of every node. */
  public readonly metricsService?: ApiObject;
  /** kafka_exporter Deployment. */
  public readonly lagExporter?: ApiObject;
  /** kafka_exporter Service. */
  public readonly lagExporterService?: ApiObject;
  /** ServiceMonitor (JMX exporter and kafka_exporter). */
  public readonly serviceMonitor?: ApiObject;
  /** PrometheusRule. */
  public readonly prometheusRule?: ApiObject;
  /** Dashboard ConfigMap or GrafanaDashboard. */
  public readonly dashboard?: ApiObject;
  /** The alerts as rendered. */
  public readonly alerts: AlertRule[];
  /** kafka-ui Deployment. */
  public readonly uiDeployment?: ApiObject;
  /** kafka-ui Service. */
  public readonly uiService?: ApiObject;
  /** Backup CronJob. */
  public readonly backupCronJob?: ApiObject;
  /** Restore Job. */
  public readonly restoreJob?: ApiObject;
  /** Password generator Jobs (one per generated Secret). */
  public readonly passwordGeneratorJobs: ApiObject[];

  private readonly topicSpecs: KafkaTopic[] = [];
  private readonly defaultRf: number;
  private readonly defaultPartitions: number;
  private readonly jobEnv: k8s.EnvVar[];
  private readonly jobVolumes: k8s.Volume[];
  private readonly jobMounts: k8s.VolumeMount[];
  private readonly userSpecs: { name: string; ref: SecretKeyRef }[];
  private readonly toolPod: () => Omit<k8s.PodSpec, 'containers'>;
  private readonly kafkaImage: { image: string; pullPolicy: string };
  private readonly ident: InstanceIdentity;
  private _setupJob?: ApiObject;

  constructor(scope: Construct, id: string, props: KafkaClusterProps = {}) {
    super(scope, id);
    const name = checkDnsLabel(this, 'name', props.name ?? id, 40);
    this.name = name;
    const version = props.version ?? KafkaVersion.V4_4;
    const vm = /^(\d+)\.(\d+)\.\d+/.exec(version.imageTag);
    checkRule(this, vm !== null && (Number(vm[1]) >= 4 || (Number(vm[1]) === 3 && Number(vm[2]) >= 9)), 'version', version.imageTag,
      'must be an Apache Kafka 3.9.x or 4.x image tag (KRaft), e.g. KafkaVersion.V4_4 or KafkaVersion.ofTag("4.4.0")');
    this.versionMajorMinor = version.majorMinor;
    const namespace = Chart.of(this).namespace;
    const topology = props.topology ?? KafkaTopology.DEDICATED_CONTROLLERS;
    this.topology = topology;
    const combined = topology === KafkaTopology.COMBINED;

    // Topology rules.
    const oddQuorum = (prop: string, n: number) => {
      checkInteger(this, prop, n, 1, 5);
      checkRule(this, n % 2 === 1, prop, n, 'must be odd (1, 3 or 5): a KRaft quorum needs a majority, and an even size tolerates no more failures than the odd size below it');
    };
    let brokers: number;
    let controllers: number;
    if (combined) {
      checkRule(this, props.controllers === undefined, 'controllers', props.controllers,
        'must not be set with KafkaTopology.COMBINED: every broker is a controller (set brokers to 1, 3 or 5)');
      brokers = props.brokers ?? 3;
      oddQuorum('brokers', brokers);
      controllers = brokers;
    } else {
      brokers = checkInteger(this, 'brokers', props.brokers ?? 3, 1, 100);
      controllers = props.controllers ?? 3;
      oddQuorum('controllers', controllers);
    }
    this.brokers = brokers;
    this.controllers = controllers;
    if (brokers < 3) warn(this, 'brokers', brokers, 'fewer than 3 brokers cannot keep replication factor 3 with min.insync.replicas 2: not highly available');

    // Broker settings.
    const rf = checkInteger(this, 'defaultReplicationFactor', props.defaultReplicationFactor ?? Math.min(3, brokers), 1);
    checkRule(this, rf <= brokers, 'defaultReplicationFactor', rf, `must be <= the broker count (${brokers})`);
    const minIsr = checkInteger(this, 'minInsyncReplicas', props.minInsyncReplicas ?? (rf >= 3 ? 2 : 1), 1);
    checkRule(this, minIsr <= rf, 'minInsyncReplicas', minIsr, `must be <= defaultReplicationFactor (${rf})`);
    if (minIsr === rf && rf > 1) warn(this, 'minInsyncReplicas', minIsr, 'equals the replication factor: acks=all writes stop whenever one replica is down');
    const numPartitions = checkInteger(this, 'numPartitions', props.numPartitions ?? 3, 1, 10000);
    this.defaultRf = rf;
    this.defaultPartitions = numPartitions;
    const retentionMs = (props.retention ?? Duration.days(7)).toMilliseconds();
    checkInteger(this, 'retention', retentionMs, 60_000);
    const retentionBytes = props.retentionBytes ? sizeBytes(props.retentionBytes) : -1;
    if (props.retentionBytes) checkInteger(this, 'retentionBytes', retentionBytes, 1024 * 1024);
    const messageMaxBytes = sizeBytes(props.messageMaxBytes ?? Size.mebibytes(1));
    checkInteger(this, 'messageMaxBytes', messageMaxBytes, 1024, 1024 * 1024 * 1024);
    const overrides: Record<string, string> = {};
    for (const [k, v] of Object.entries(props.config ?? {})) {
      checkRule(this, CONFIG_KEY.test(k), `config.${k}`, k, 'must be a Kafka config key (lowercase letters, digits, ".", "_", "-")');
      checkRule(this, !isReservedKey(k), `config.${k}`, k,
        'is set by the construct (identity, roles, listeners, quorum, storage, security) or by a typed prop: use the prop instead');
      checkRule(this, typeof v === 'string' && !/[\r\n]/.test(v), `config.${k}`, v, 'must be a single-line string');
      overrides[k] = v;
    }

    // Security.
    const scram = (props.authentication ?? KafkaAuthentication.NONE) === KafkaAuthentication.SCRAM_SHA_512;
    checkRule(this, scram || (props.users ?? []).length === 0, 'users', (props.users ?? []).map((u) => u.name),
      'need authentication: KafkaAuthentication.SCRAM_SHA_512');
    checkRule(this, scram || props.adminPassword === undefined, 'adminPassword', 'Credentials',
      'is only used with authentication: KafkaAuthentication.SCRAM_SHA_512');
    const tls = props.tls !== undefined;
    this.securityProtocol = scram ? (tls ? 'SASL_SSL' : 'SASL_PLAINTEXT') : (tls ? 'SSL' : 'PLAINTEXT');
    this.saslMechanism = scram ? 'SCRAM-SHA-512' : undefined;

    const ident: InstanceIdentity = { name: 'kafka', instance: name, version: version.imageTag, partOf: props.partOf ?? name };
    this.ident = ident;
    const labels = (component: string) => componentLabels(ident, component);
    const image = resolveImage(this, 'image', KAFKA_IMAGE, version.imageTag, props.image, props.registry);
    this.kafkaImage = image;
    const tools = resolveImage(this, 'toolsImage', SIDECAR_IMAGES.tools.repository, SIDECAR_IMAGES.tools.tag, props.toolsImage, props.registry);
    const imagePullSecrets = pullSecrets(props.registry);

    const credentialOptions = (component: string) => ({
      labels: labels(component), generatorImage: tools.image, imagePullPolicy: tools.pullPolicy, imagePullSecrets,
    });
    this.passwordGeneratorJobs = [];
    let adminRef: SecretKeyRef | undefined;
    if (scram) {
      const bound = bindCredentials(this, 'adminPassword', props.adminPassword, { defaultSecretName: `${name}-admin`, ...credentialOptions('admin') });
      adminRef = bound.ref;
      if (bound.generator) this.passwordGeneratorJobs.push(bound.generator.job);
    }
    this.adminPasswordSecret = adminRef;
    const seenUsers = new Set<string>();
    this.userSpecs = (props.users ?? []).map((u, i) => {
      checkRule(this, /^[A-Za-z0-9._-]{1,64}$/.test(u.name), `users[${i}].name`, u.name, 'must be 1-64 letters, digits, ".", "_" or "-"');
      checkRule(this, u.name !== ADMIN_USER && !seenUsers.has(u.name), `users[${i}].name`, u.name, `must be unique and not "${ADMIN_USER}"`);
      seenUsers.add(u.name);
      const secretName = `${name}-user-${u.name.toLowerCase().replace(/[._]/g, '-')}`.slice(0, 63).replace(/-+$/, '');
      const bound = bindCredentials(new Construct(this, `User${i}`), `users[${i}].password`, u.password, {
        defaultSecretName: secretName, ...credentialOptions('user'),
      });
      if (bound.generator) this.passwordGeneratorJobs.push(bound.generator.job);
      return { name: u.name, ref: bound.ref };
    });
    this.userPasswordSecrets = Object.fromEntries(this.userSpecs.map((u) => [u.name, u.ref]));

    // Names and addresses.
    const brokerSts = `${name}-broker`;
    const controllerSts = `${name}-controller`;
    const brokerHeadless = `${name}-brokers`;
    const controllerHeadless = `${name}-controllers`;
    const svcDomain = namespace ? `${namespace}.svc` : undefined;
    this.host = svcDomain ? `${name}.${svcDomain}` : name;
    this.port = INTERNAL_PORT;
    this.bootstrapServers = `${this.host}:${INTERNAL_PORT}`;
    // Tools in the same namespace use the short name, which the certificate also covers.
    const bootstrapInternal = `${name}:${INTERNAL_PORT}`;
    const voters = combined
      ? Array.from({ length: controllers }, (_, i) => `${i}@${brokerSts}-${i}.${brokerHeadless}:${CONTROLLER_PORT}`)
      : Array.from({ length: controllers }, (_, i) => `${CONTROLLER_ID_OFFSET + i}@${controllerSts}-${i}.${controllerHeadless}:${CONTROLLER_PORT}`);
    this.clusterId = clusterIdFrom(`${namespace ?? ''}/${name}`);

    // External listener.
    let externalHosts: string[] = [];
    let externalPorts: number[] = [];
    const ext = props.external;
    if (ext) {
      checkRule(this, ext.advertisedHosts.length === brokers || (ext.type === KafkaExternalAccessType.NODE_PORT && ext.advertisedHosts.length === 1),
        'external.advertisedHosts', ext.advertisedHosts,
        `must list one address per broker (${brokers})${ext.type === KafkaExternalAccessType.NODE_PORT ? ', or one address for all brokers' : ''}`);
      ext.advertisedHosts.forEach((h, i) => checkRule(this, HOST.test(h) && h.length <= 253, `external.advertisedHosts[${i}]`, h,
        'must be a DNS name or an IPv4 address'));
      externalHosts = ext.advertisedHosts.length === 1 ? Array(brokers).fill(ext.advertisedHosts[0]) : [...ext.advertisedHosts];
      externalPorts = ext.ports ?? Array.from({ length: brokers }, (_, i) => (ext.type === KafkaExternalAccessType.NODE_PORT ? 31090 + i : 9094));
      checkRule(this, externalPorts.length === brokers, 'external.ports', externalPorts, `must list one port per broker (${brokers})`);
      externalPorts.forEach((p, i) => {
        if (ext.type === KafkaExternalAccessType.NODE_PORT) checkInteger(this, `external.ports[${i}]`, p, 30000, 32767);
        else checkInteger(this, `external.ports[${i}]`, p, 1, 65535);
      });
      if (ext.type === KafkaExternalAccessType.NODE_PORT) {
        checkRule(this, new Set(externalPorts).size === externalPorts.length, 'external.ports', externalPorts,
          'must be unique: a node port belongs to one broker on every node');
      } else {
        const pairs = externalHosts.map((h, i) => `${h}:${externalPorts[i]}`);
        checkRule(this, new Set(pairs).size === pairs.length, 'external.ports', externalPorts,
          'must give every broker a distinct host:port: two brokers advertising the same address is a misrouting');
      }
      (ext.allowedCidrs ?? []).forEach((c, i) => checkRule(this, CIDR.test(c), `external.allowedCidrs[${i}]`, c, 'must be an IPv4 CIDR like 10.0.0.0/8'));
      // Without authentication there is no authorizer: whoever reaches the port can produce, consume and delete topics.
      checkRule(this, scram || ext.allowUnauthenticated === true, 'external.allowUnauthenticated', ext.allowUnauthenticated,
        'must be true to expose a listener without authentication (anyone who reaches it can read, write and delete every topic): '
        + 'set authentication: KafkaAuthentication.SCRAM_SHA_512, or opt in explicitly');
      checkOptionalBoolean(this, 'external.allowUnauthenticated', ext.allowUnauthenticated);
      if (!scram && (ext.allowedCidrs ?? ['0.0.0.0/0']).includes('0.0.0.0/0')) {
        warn(this, 'external.allowedCidrs', ext.allowedCidrs ?? ['0.0.0.0/0'], 'an unauthenticated external listener open to every address: limit allowedCidrs');
      }
      this.externalBootstrapServers = externalHosts.map((h, i) => `${h}:${externalPorts[i]}`).join(',');
    }

    // TLS.
    let tlsSecret: string | undefined;
    if (props.tls) {
      tlsSecret = checkDnsLabel(this, 'tls.secretName', props.tls.secretName ?? `${name}-tls`, 253);
      checkRule(this, props.tls.issuerKind === undefined || props.tls.issuerName !== undefined, 'tls.issuerKind', props.tls.issuerKind,
        'needs tls.issuerName');
      if (props.tls.issuerName !== undefined) {
        checkDnsLabel(this, 'tls.issuerName', props.tls.issuerName, 253);
        checkRule(this, namespace !== undefined, 'tls.issuerName', props.tls.issuerName,
          'needs the chart namespace: the certificate names the brokers by <pod>.<service>.<namespace>.svc');
        const dnsNames = [
          name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`,
          `*.${brokerHeadless}.${namespace}.svc`, `*.${brokerHeadless}.${namespace}.svc.cluster.local`,
          ...new Set(externalHosts.filter((h) => !/^\d/.test(h))),
        ];
        const ipAddresses = [...new Set(externalHosts.filter((h) => /^\d/.test(h)))];
        this.certificate = new Certificate(this, 'Certificate', {
          metadata: { name: `${name}-brokers`, labels: labels('tls') },
          spec: {
            secretName: tlsSecret,
            dnsNames,
            ipAddresses: ipAddresses.length ? ipAddresses : undefined,
            duration: '2160h',
            renewBefore: '720h',
            // Kafka's PEM keystore reads an unencrypted PKCS#8 key.
            privateKey: {
              algorithm: CertificateSpecPrivateKeyAlgorithm.RSA,
              size: 2048,
              encoding: CertificateSpecPrivateKeyEncoding.PKCS8,
              rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
            },
            usages: [CertificateSpecUsages.SERVER_AUTH, CertificateSpecUsages.CLIENT_AUTH],
            issuerRef: { name: props.tls.issuerName, kind: props.tls.issuerKind ?? CertificateIssuerKind.ISSUER, group: 'cert-manager.io' },
          },
        });
      }
    }
    this.tlsSecretName = tlsSecret;

    // Rack awareness.
    const rack = props.rackAwareness;
    const rackLabel = (rack?.topologyKey ?? TopologyKey.ZONE).key;
    this.rackRbac = [];
    const rackSa = `${name}-rack`;
    if (rack) {
      checkRule(this, rackLabel.length > 0, 'rackAwareness.topologyKey', rackLabel, 'must be a node label key');
      checkRule(this, namespace !== undefined, 'rackAwareness', 'enabled',
        'needs the chart namespace: the ClusterRoleBinding names the ServiceAccount with its namespace');
      const clusterRoleName = `${namespace}-${name}-kafka-rack`;
      const sa = new k8s.KubeServiceAccount(this, 'RackServiceAccount', {
        metadata: { name: rackSa, labels: labels('rack') }, automountServiceAccountToken: false,
      });
      // Nodes are cluster-scoped: reading one node's labels needs a ClusterRole. `get` cannot be limited to the
      // (unknown) node names, so it is the only verb granted; no list, no watch, nothing else.
      const role = new k8s.KubeClusterRole(this, 'RackClusterRole', {
        metadata: { name: clusterRoleName, labels: labels('rack') },
        rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
      });
      const binding = new k8s.KubeClusterRoleBinding(this, 'RackClusterRoleBinding', {
        metadata: { name: clusterRoleName, labels: labels('rack') },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
        subjects: [{ kind: 'ServiceAccount', name: rackSa, namespace }],
      });
      for (const o of [role, binding]) o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      this.rackRbac.push(sa, role, binding);
    }

    // Resources and storage.
    const heapPercent = checkInteger(this, 'heapPercent', props.heapPercent ?? 50, 25, 80);
    const brokerResources = resolveResources(this, 'brokerResources', props.brokerResources, {
      cpuRequest: Cpu.millis(500), cpuLimit: Cpu.units(2), memoryRequest: Size.gibibytes(4), memoryLimit: Size.gibibytes(4),
    });
    const controllerResources = resolveResources(this, 'controllerResources', props.controllerResources, {
      cpuRequest: Cpu.millis(250), cpuLimit: Cpu.units(1), memoryRequest: Size.gibibytes(1), memoryLimit: Size.gibibytes(1),
    });
    checkRule(this, !combined || props.controllerResources === undefined, 'controllerResources', 'set',
      'is only for dedicated controllers: with COMBINED, brokerResources apply to every node');
    checkRule(this, !combined || props.controllerStorage === undefined, 'controllerStorage', 'set',
      'is only for dedicated controllers: with COMBINED, brokerStorage applies to every node');
    const heapOf = (prop: string, r: ResolvedResources) => {
      const mib = Math.floor((sizeBytes(r.memoryLimit) / 2 ** 20) * heapPercent / 100);
      checkRule(this, mib >= 256, `${prop}.memory.limit`, `${Math.floor(sizeBytes(r.memoryLimit) / 2 ** 20)}Mi`,
        `must give the JVM at least 256Mi of heap at heapPercent ${heapPercent}`);
      return `-Xms${mib}m -Xmx${mib}m`;
    };
    const brokerStorage = resolveStorage(this, 'brokerStorage', props.brokerStorage, Size.gibibytes(50));
    const controllerStorage = resolveStorage(this, 'controllerStorage', props.controllerStorage, Size.gibibytes(10));

    // Configuration.
    const monitoringOn = props.monitoring?.enabled !== false;
    const base = {
      voters,
      internalProtocol: this.securityProtocol,
      externalProtocol: ext ? this.securityProtocol : undefined,
      scram,
      tls,
      rackAware: rack !== undefined,
      logDirs: LOG_DIR,
      brokers,
      defaultReplicationFactor: rf,
      minInsyncReplicas: minIsr,
      numPartitions,
      retentionMs,
      retentionBytes,
      messageMaxBytes,
      autoCreateTopics: props.autoCreateTopics ?? false,
      overrides,
    };
    const configData: Record<string, string> = combined
      ? { 'combined.properties': renderServerProperties({ ...base, role: 'combined' }) }
      : {
        'broker.properties': renderServerProperties({ ...base, role: 'broker' }),
        'controller.properties': renderServerProperties({ ...base, role: 'controller' }),
      };
    if (monitoringOn) configData['jmx-exporter.yaml'] = renderJmxExporterConfig();
    // Logs go to stdout only (kubectl logs, the cluster's log collector): the image's file appenders never delete old
    // files and would fill the pod's scratch volume. Kafka 4 uses Log4j 2, 3.9 reload4j.
    const log4j2 = Number(version.majorMinor.split('.')[0]) >= 4;
    const log4jOpts = log4j2 ? '-Dlog4j2.configurationFile=/etc/kafka-config/log4j2.yaml' : '-Dlog4j.configuration=file:/etc/kafka-config/log4j.properties';
    if (log4j2) configData['log4j2.yaml'] = renderLog4j2Yaml();
    else configData['log4j.properties'] = renderLog4jProperties();
    this.configMap = new k8s.KubeConfigMap(this, 'Config', { metadata: { name: `${name}-config`, labels: labels('config') }, data: configData });
    const scripts = { 'entrypoint.sh': kafkaEntrypointScript(), 'setup.sh': kafkaSetupScript() };
    this.scriptsConfigMap = new k8s.KubeConfigMap(this, 'Scripts', { metadata: { name: `${name}-scripts`, labels: labels('scripts') }, data: scripts });
    // Each role's pods roll only when what they read changes: their own properties file, the shared logging and JMX
    // files, and the entrypoint (setup.sh runs in the setup Job, whose name already follows its content).
    const configHashOf = (role: KafkaRole) => {
      const read = Object.fromEntries(Object.entries(configData).filter(([k]) => !k.endsWith('.properties') || k === `${role}.properties`));
      return createHash('sha256').update(JSON.stringify([read, scripts['entrypoint.sh']])).digest('hex').slice(0, 16);
    };

    // Services.
    const brokerComponent = 'broker';
    const brokerSelector = selectorLabels(ident, brokerComponent);
    const controllerSelector = selectorLabels(ident, 'controller');
    this.brokerSelectorLabels = brokerSelector;
    const tcp = (portName: string, port: number) => ({ name: portName, port, targetPort: k8s.IntOrString.fromString(portName), protocol: 'TCP' });
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name, labels: labels(brokerComponent) },
      spec: { type: 'ClusterIP', selector: brokerSelector, ports: [tcp('kafka', INTERNAL_PORT)] },
    });
    this.brokerHeadlessService = new k8s.KubeService(this, 'BrokerHeadlessService', {
      metadata: { name: brokerHeadless, labels: labels(brokerComponent) },
      spec: {
        clusterIp: 'None',
        // Quorum members and brokers must resolve each other before they are ready.
        publishNotReadyAddresses: true,
        selector: brokerSelector,
        ports: [tcp('kafka', INTERNAL_PORT), ...(combined ? [tcp('controller', CONTROLLER_PORT)] : [])],
      },
    });
    if (!combined) {
      this.controllerHeadlessService = new k8s.KubeService(this, 'ControllerHeadlessService', {
        metadata: { name: controllerHeadless, labels: labels('controller') },
        spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector: controllerSelector, ports: [tcp('controller', CONTROLLER_PORT)] },
      });
    }
    this.externalServices = [];
    if (ext) {
      for (let i = 0; i < brokers; i++) {
        const nodePort = ext.type === KafkaExternalAccessType.NODE_PORT;
        this.externalServices.push(new k8s.KubeService(this, `ExternalService${i}`, {
          metadata: { name: `${brokerSts}-${i}-external`, labels: labels('external'), annotations: ext.annotations },
          spec: {
            type: ext.type,
            // Each Service selects one broker, so any node may forward to it. NodePort keeps Cluster: with Local only
            // the node running the broker answers, and rescheduling or a DNS name over all nodes would drop
            // connections. A load balancer health-checks nodes, so Local keeps client source addresses there.
            externalTrafficPolicy: nodePort ? 'Cluster' : 'Local',
            loadBalancerSourceRanges: !nodePort && ext.allowedCidrs ? [...ext.allowedCidrs] : undefined,
            selector: { ...brokerSelector, 'statefulset.kubernetes.io/pod-name': `${brokerSts}-${i}` },
            ports: [{
              name: 'external',
              protocol: 'TCP',
              port: nodePort ? EXTERNAL_CONTAINER_PORT : externalPorts[i],
              targetPort: k8s.IntOrString.fromString('external'),
              nodePort: nodePort ? externalPorts[i] : undefined,
            }],
          },
        }));
      }
    }

    // Pods.
    const podSecurity: k8s.PodSecurityContext = {
      runAsNonRoot: true,
      runAsUser: KAFKA_UID,
      runAsGroup: KAFKA_UID,
      fsGroup: KAFKA_UID,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const hardened: k8s.SecurityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
    const jmxJar = '/opt/jmx/jmx_prometheus_javaagent.jar';
    const jarUrl = props.jmxExporter?.jarUrl ?? JMX_EXPORTER_URL;
    const jarSha = props.jmxExporter?.sha256 ?? JMX_EXPORTER_SHA256;
    checkRule(this, /^https?:\/\/\S+$/.test(jarUrl), 'jmxExporter.jarUrl', jarUrl, 'must be an http(s) URL');
    checkRule(this, /^[0-9a-f]{64}$/.test(jarSha), 'jmxExporter.sha256', jarSha, 'must be a SHA-256 in lowercase hex (64 characters)');
    checkRule(this, (props.jmxExporter?.jarUrl === undefined) === (props.jmxExporter?.sha256 === undefined), 'jmxExporter', props.jmxExporter,
      'must set jarUrl and sha256 together: a different jar needs its own checksum');
    // Brokers only: their key store is built from tls.key and tls.crt.
    const tlsVolume: k8s.Volume[] = tlsSecret ? [{ name: 'tls', secret: { secretName: tlsSecret, defaultMode: 0o440 } }] : [];
    const tlsMount: k8s.VolumeMount[] = tlsSecret ? [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }] : [];
    // Clients (exporter, console, Jobs) need only the CA, never the brokers' key. World-readable, as it is no secret: the
    // exporter and console pods have no fsGroup, and without one the kubelet leaves Secret files root:root.
    const caVolume: k8s.Volume[] = tlsSecret
      ? [{ name: 'tls-ca', secret: { secretName: tlsSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } }] : [];
    const caMount: k8s.VolumeMount[] = tlsSecret ? [{ name: 'tls-ca', mountPath: TLS_DIR, readOnly: true }] : [];
    const adminEnv: k8s.EnvVar[] = adminRef ? [{ name: 'ADMIN_USER', value: ADMIN_USER }, secretEnv('ADMIN_PASSWORD', adminRef)] : [];

    const nodeSet = (role: KafkaRole, stsName: string, headless: string, component: string, replicas: number, idOffset: number,
      resources: ResolvedResources, storage: ResolvedStorage, resourcesProp: string): ApiObject => {
      const isBroker = role !== 'controller';
      const selector = selectorLabels(ident, component);
      const podLabels = { ...labels(component), [NODE_LABEL]: 'true' };
      const rackHere = rack !== undefined && isBroker;
      const initContainers: k8s.Container[] = [];
      if (monitoringOn) {
        initContainers.push({
          name: 'jmx-agent',
          image: tools.image,
          imagePullPolicy: tools.pullPolicy,
          command: ['sh', '-c', jmxAgentDownloadScript()],
          env: [{ name: 'JAR_URL', value: jarUrl }, { name: 'JAR_SHA256', value: jarSha }, { name: 'JAR_PATH', value: jmxJar }],
          resources: fixedResources(10, 200, 16, 64),
          securityContext: hardened,
          volumeMounts: [{ name: 'jmx', mountPath: '/opt/jmx' }],
        });
      }
      if (rackHere) {
        initContainers.push({
          name: 'rack',
          image: tools.image,
          imagePullPolicy: tools.pullPolicy,
          command: ['sh', '-c', rackLookupScript()],
          env: [
            { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'RACK_LABEL', value: rackLabel },
            { name: 'RACK_LABEL_REGEX', value: rackLabel.replace(/[.]/g, '\\.') },
            { name: 'SA_DIR', value: SA_DIR },
            { name: 'RACK_FILE', value: '/run/rack/rack' },
          ],
          resources: fixedResources(10, 200, 16, 64),
          securityContext: hardened,
          volumeMounts: [{ name: 'rack', mountPath: '/run/rack' }, { name: 'rack-token', mountPath: SA_DIR, readOnly: true }],
        });
      }
      const mainPort = isBroker ? 'kafka' : 'controller';
      const probe = (timing: Partial<k8s.Probe>): k8s.Probe => ({
        tcpSocket: { port: k8s.IntOrString.fromString(mainPort) }, timeoutSeconds: 5, ...timing,
      });
      const ports: k8s.ContainerPort[] = [];
      if (isBroker) ports.push({ name: 'kafka', containerPort: INTERNAL_PORT, protocol: 'TCP' });
      if (role !== 'broker') ports.push({ name: 'controller', containerPort: CONTROLLER_PORT, protocol: 'TCP' });
      if (isBroker && ext) ports.push({ name: 'external', containerPort: EXTERNAL_CONTAINER_PORT, protocol: 'TCP' });
      if (monitoringOn) ports.push({ name: 'metrics', containerPort: JMX_PORT, protocol: 'TCP' });
      const scheduling = renderScheduling(this, 'scheduling', props.scheduling, selector);
      return new k8s.KubeStatefulSet(this, role === 'controller' ? 'ControllerStatefulSet' : 'BrokerStatefulSet', {
        metadata: { name: stsName, labels: podLabels },
        spec: {
          serviceName: headless,
          replicas,
          // The quorum forms only when a majority runs: start every node at once.
          podManagementPolicy: 'Parallel',
          updateStrategy: { type: 'RollingUpdate' },
          // A rolling update waits this long after a pod is ready before stopping the next one, so its replicas can
          // rejoin the in-sync sets first (Kafka reports readiness before followers have caught up).
          minReadySeconds: isBroker ? 60 : 20,
          persistentVolumeClaimRetentionPolicy: retentionPolicy(storage),
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: podLabels, annotations: { 'checksum/config': configHashOf(role) } },
            spec: {
              serviceAccountName: rackHere ? rackSa : undefined,
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              // A controlled shutdown moves partition leadership away before the broker stops.
              terminationGracePeriodSeconds: 120,
              imagePullSecrets,
              securityContext: podSecurity,
              ...scheduling,
              initContainers: initContainers.length ? initContainers : undefined,
              containers: [{
                name: 'kafka',
                image: image.image,
                imagePullPolicy: image.pullPolicy,
                command: ['bash', '/scripts/entrypoint.sh'],
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                  { name: 'HEADLESS', value: headless },
                  { name: 'NODE_ID_OFFSET', value: String(idOffset) },
                  { name: 'ROLE', value: role },
                  { name: 'BASE_CONF', value: `/etc/kafka-config/${role}.properties` },
                  { name: 'RUN_CONF', value: '/run/kafka/server.properties' },
                  { name: 'CLUSTER_ID', value: this.clusterId },
                  { name: 'DATA_DIR', value: LOG_DIR },
                  { name: 'INTERNAL_PORT', value: String(INTERNAL_PORT) },
                  { name: 'CONTROLLER_PORT', value: String(CONTROLLER_PORT) },
                  { name: 'EXTERNAL_PORT', value: String(EXTERNAL_CONTAINER_PORT) },
                  { name: 'EXTERNAL_HOSTS', value: isBroker ? externalHosts.join(' ') : '' },
                  { name: 'EXTERNAL_PORTS', value: isBroker ? externalPorts.join(' ') : '' },
                  { name: 'SCRAM', value: String(scram) },
                  // Controllers need it too: formatting writes the admin's SCRAM credential into the bootstrap metadata.
                  ...adminEnv,
                  { name: 'TLS', value: String(tls) },
                  { name: 'TLS_DIR', value: TLS_DIR },
                  { name: 'KEYSTORE', value: KEYSTORE_PEM },
                  { name: 'RACK_FILE', value: rackHere ? '/run/rack/rack' : '' },
                  // Server-only JVM settings: the entrypoint exports them for Kafka alone, so the tools you run with
                  // `kubectl exec` neither take the broker's heap nor start a second agent on the metrics port.
                  { name: 'SERVER_HEAP_OPTS', value: heapOf(resourcesProp, resources) },
                  { name: 'JMX_AGENT_JAR', value: monitoringOn ? jmxJar : '' },
                  { name: 'JMX_AGENT_OPTS', value: monitoringOn ? `-javaagent:${jmxJar}=${JMX_PORT}:/etc/kafka-config/jmx-exporter.yaml` : '' },
                  { name: 'SERVER_LOG4J_OPTS', value: log4jOpts },
                  // Kafka's own log files and GC log; the root filesystem is read-only.
                  { name: 'LOG_DIR', value: '/tmp/kafka-logs' },
                ],
                ports,
                resources: renderResources(resources),
                securityContext: hardened,
                // Log recovery after an unclean stop can take long on big volumes: allow 20 minutes.
                startupProbe: probe({ periodSeconds: 10, failureThreshold: 120 }),
                livenessProbe: probe({ periodSeconds: 20, failureThreshold: 6 }),
                readinessProbe: probe({ periodSeconds: 10, failureThreshold: 3 }),
                volumeMounts: [
                  { name: 'data', mountPath: DATA_MOUNT },
                  { name: 'config', mountPath: '/etc/kafka-config', readOnly: true },
                  { name: 'scripts', mountPath: '/scripts', readOnly: true },
                  { name: 'run', mountPath: '/run/kafka' },
                  { name: 'tmp', mountPath: '/tmp' },
                  ...(monitoringOn ? [{ name: 'jmx', mountPath: '/opt/jmx', readOnly: true }] : []),
                  ...(rackHere ? [{ name: 'rack', mountPath: '/run/rack', readOnly: true }] : []),
                  ...(isBroker ? tlsMount : []),
                ],
              }],
              volumes: [
                { name: 'config', configMap: { name: `${name}-config` } },
                { name: 'scripts', configMap: { name: `${name}-scripts`, defaultMode: 0o555 } },
                // server.properties with SASL logins and the PEM keystore: memory only.
                { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('4Mi') } },
                { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
                ...(monitoringOn ? [{ name: 'jmx', emptyDir: { sizeLimit: k8s.Quantity.fromString('32Mi') } }] : []),
                ...(rackHere ? [
                  { name: 'rack', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
                  {
                    name: 'rack-token',
                    projected: {
                      sources: [
                        { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
                        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                      ],
                    },
                  },
                ] : []),
                ...(isBroker ? tlsVolume : []),
              ],
            },
          },
          volumeClaimTemplates: [volumeClaimTemplate('data', storage, labels(component))],
        },
      });
    };
    if (!combined) {
      this.controllerStatefulSet = nodeSet('controller', controllerSts, controllerHeadless, 'controller', controllers, CONTROLLER_ID_OFFSET,
        controllerResources, controllerStorage, 'controllerResources');
    }
    this.brokerStatefulSet = nodeSet(combined ? 'combined' : 'broker', brokerSts, brokerHeadless, brokerComponent, brokers, 0,
      brokerResources, brokerStorage, 'brokerResources');

    this.disruptionBudgets = [];
    if (brokers > 1) {
      this.disruptionBudgets.push(createDisruptionBudget(this, 'BrokerDisruptionBudget', {
        name: brokerSts, labels: labels(brokerComponent), selector: brokerSelector, maxUnavailable: 1,
      }));
    }
    if (!combined && controllers > 1) {
      this.disruptionBudgets.push(createDisruptionBudget(this, 'ControllerDisruptionBudget', {
        name: controllerSts, labels: labels('controller'), selector: controllerSelector, maxUnavailable: 1,
      }));
    }

    // Tool pods (setup, backup, restore Jobs).
    this.jobEnv = [
      { name: 'BOOTSTRAP', value: bootstrapInternal },
      { name: 'SECURITY_PROTOCOL', value: this.securityProtocol },
      { name: 'SCRAM', value: String(scram) },
      ...adminEnv,
      { name: 'TLS', value: String(tls) },
      { name: 'TLS_DIR', value: TLS_DIR },
      { name: 'CLIENT_CONF', value: '/tmp/client.properties' },
      { name: 'KAFKA_HEAP_OPTS', value: '-Xms128m -Xmx384m' },
      { name: 'LOG_DIR', value: '/tmp' },
    ];
    this.jobVolumes = [{ name: 'scripts', configMap: { name: `${name}-scripts`, defaultMode: 0o555 } }, { name: 'tmp', emptyDir: {} }, ...caVolume];
    this.jobMounts = [{ name: 'tmp', mountPath: '/tmp' }, ...caMount];
    this.toolPod = () => ({
      restartPolicy: 'OnFailure',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      imagePullSecrets,
      securityContext: podSecurity,
    });
    if (this.userSpecs.length > 0) this.ensureSetupJob();
    for (const t of props.topics ?? []) this.addTopic(t.name, t);

    // Monitoring.
    const metricsPorts: number[] = [];
    if (monitoringOn) {
      const exporterImage = resolveImage(this, 'exporterImage', SIDECAR_IMAGES.kafkaExporter.repository, SIDECAR_IMAGES.kafkaExporter.tag, props.exporterImage, props.registry);
      const lagThreshold = checkInteger(this, 'consumerLagThreshold', props.consumerLagThreshold ?? 10000, 1);
      const metricsLabels = labels('metrics');
      this.metricsService = new k8s.KubeService(this, 'MetricsService', {
        metadata: { name: `${name}-metrics`, labels: metricsLabels },
        spec: {
          clusterIp: 'None',
          selector: { ...selectorLabels(ident), [NODE_LABEL]: 'true' },
          ports: [{ name: 'metrics', port: JMX_PORT, targetPort: k8s.IntOrString.fromString('metrics') }],
        },
      });
      const exporterSelector = selectorLabels(ident, 'exporter');
      const exporterArgs = [
        `--kafka.server=${bootstrapInternal}`,
        // Kafka 4 removed the oldest protocol versions (KIP-896): speak a 3.x protocol.
        '--kafka.version=3.0.0',
        `--web.listen-address=:${KAFKA_EXPORTER_PORT}`,
        '--refresh.metadata=30s',
      ];
      if (scram) exporterArgs.push('--sasl.enabled', '--sasl.mechanism=scram-sha512', `--sasl.username=${ADMIN_USER}`);
      if (tls) exporterArgs.push('--tls.enabled', `--tls.ca-file=${TLS_DIR}/ca.crt`);
      const exporterHttp = (timing: Partial<k8s.Probe>): k8s.Probe => ({
        httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('metrics') }, timeoutSeconds: 5, ...timing,
      });
      this.lagExporter = new k8s.KubeDeployment(this, 'LagExporter', {
        metadata: { name: `${name}-exporter`, labels: labels('exporter') },
        spec: {
          replicas: 1,
          selector: { matchLabels: exporterSelector },
          template: {
            metadata: { labels: labels('exporter') },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              imagePullSecrets,
              securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [{
                name: 'kafka-exporter',
                image: exporterImage.image,
                imagePullPolicy: exporterImage.pullPolicy,
                args: exporterArgs,
                // kafka_exporter reads the password from this variable when --sasl.password is empty: never an argument.
                env: adminRef ? [secretEnv('SASL_USER_PASSWORD', adminRef)] : undefined,
                ports: [{ name: 'metrics', containerPort: KAFKA_EXPORTER_PORT, protocol: 'TCP' }],
                resources: fixedResources(50, 500, 64, 256),
                securityContext: hardened,
                livenessProbe: exporterHttp({ periodSeconds: 30 }),
                readinessProbe: exporterHttp({ periodSeconds: 15 }),
                volumeMounts: caMount.length ? caMount : undefined,
              }],
              volumes: caVolume.length ? caVolume : undefined,
            },
          },
        },
      });
      this.lagExporterService = new k8s.KubeService(this, 'LagExporterService', {
        metadata: { name: `${name}-metrics-lag`, labels: metricsLabels },
        spec: { selector: exporterSelector, ports: [{ name: 'metrics', port: KAFKA_EXPORTER_PORT, targetPort: k8s.IntOrString.fromString('metrics') }] },
      });
      const job = `${name}-metrics`;
      const ns = namespace ? `,namespace="${namespace}"` : '';
      const mon = createMonitoring(this, props.monitoring, {
        name,
        namespace,
        labels: metricsLabels,
        serviceSelector: selectorLabels(ident, 'metrics'),
        metricsPortName: 'metrics',
        alerts: kafkaAlerts({
          jmxSelector: `job="${job}"${ns}`,
          lagSelector: `job="${job}-lag"${ns}`,
          instance: name,
          brokers,
          brokerPodPrefix: `${brokerSts}-`,
          brokerVolumeBytes: sizeBytes(brokerStorage.size),
          consumerLagThreshold: lagThreshold,
        }).concat(props.backup ? [backupFailedAlert({ engine: 'Kafka', cronJobName: `${name}-backup`, namespace, instance: name })] : []),
        ruleGroup: `kafka.${name}`,
        dashboard: kafkaDashboard({ uid: `kafka-${name}`.slice(0, 40), title: `Kafka / ${name}`, job, namespace }),
      });
      this.serviceMonitor = mon?.serviceMonitor;
      this.prometheusRule = mon?.prometheusRule;
      this.dashboard = mon?.dashboard;
      this.alerts = mon?.alerts ?? [];
      metricsPorts.push(JMX_PORT, KAFKA_EXPORTER_PORT);
    } else {
      this.alerts = [];
    }

    // Console.
    if (props.ui) {
      const ui = resolveImage(this, 'ui.image', UI_IMAGE, UI_TAG, props.ui.image, props.registry);
      const uiSelector = selectorLabels(ident, 'ui');
      const env: k8s.EnvVar[] = [
        { name: 'KAFKA_CLUSTERS_0_NAME', value: name },
        { name: 'KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS', value: bootstrapInternal },
        { name: 'KAFKA_CLUSTERS_0_READONLY', value: String(props.ui.readOnly ?? true) },
        { name: 'KAFKA_CLUSTERS_0_PROPERTIES_SECURITY_PROTOCOL', value: this.securityProtocol },
        { name: 'DYNAMIC_CONFIG_ENABLED', value: 'false' },
        { name: 'JAVA_OPTS', value: '-Xms256m -Xmx512m -Djava.io.tmpdir=/tmp' },
      ];
      if (adminRef) {
        env.push(
          secretEnv('KAFKA_ADMIN_PASSWORD', adminRef),
          { name: 'KAFKA_CLUSTERS_0_PROPERTIES_SASL_MECHANISM', value: 'SCRAM-SHA-512' },
          // Kubernetes substitutes $(KAFKA_ADMIN_PASSWORD) from the Secret-backed variable above at container start.
          {
            name: 'KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG',
            value: `org.apache.kafka.common.security.scram.ScramLoginModule required username="${ADMIN_USER}" password="$(KAFKA_ADMIN_PASSWORD)";`,
          },
        );
      }
      if (tls) {
        env.push(
          { name: 'KAFKA_CLUSTERS_0_PROPERTIES_SSL_TRUSTSTORE_TYPE', value: 'PEM' },
          { name: 'KAFKA_CLUSTERS_0_PROPERTIES_SSL_TRUSTSTORE_LOCATION', value: `${TLS_DIR}/ca.crt` },
        );
      }
      const uiProbe = (timing: Partial<k8s.Probe>): k8s.Probe => ({
        httpGet: { path: '/actuator/health', port: k8s.IntOrString.fromString('http') }, timeoutSeconds: 5, ...timing,
      });
      this.uiDeployment = new k8s.KubeDeployment(this, 'UiDeployment', {
        metadata: { name: `${name}-ui`, labels: labels('ui') },
        spec: {
          replicas: 1,
          selector: { matchLabels: uiSelector },
          template: {
            metadata: { labels: labels('ui') },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              imagePullSecrets,
              securityContext: { runAsNonRoot: true, runAsUser: KAFKA_UID, runAsGroup: KAFKA_UID, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [{
                name: 'kafka-ui',
                image: ui.image,
                imagePullPolicy: ui.pullPolicy,
                env,
                ports: [{ name: 'http', containerPort: UI_PORT, protocol: 'TCP' }],
                resources: fixedResources(100, 1000, 768, 768),
                securityContext: hardened,
                startupProbe: uiProbe({ periodSeconds: 10, failureThreshold: 30 }),
                livenessProbe: uiProbe({ periodSeconds: 30, failureThreshold: 3 }),
                readinessProbe: uiProbe({ periodSeconds: 10, failureThreshold: 3 }),
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...caMount],
              }],
              volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } }, ...caVolume],
            },
          },
        },
      });
      this.uiService = new k8s.KubeService(this, 'UiService', {
        metadata: { name: `${name}-ui`, labels: labels('ui') },
        spec: { selector: uiSelector, ports: [{ name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http') }] },
      });
    }

    // Network access: members on every port, clients on the client (and console) port, the scraper on metrics.
    this.networkPolicy = createNetworkPolicy(this, 'NetworkPolicy', props.networkPolicy, {
      name,
      labels: labels(brokerComponent),
      memberSelector: selectorLabels(ident),
      servicePorts: [INTERNAL_PORT, ...(props.ui ? [UI_PORT] : [])],
      metricsPorts,
    });
    if (this.networkPolicy && ext) {
      const cidrs = ext.allowedCidrs ?? ['0.0.0.0/0'];
      this.networkPolicy.addJsonPatch(JsonPatch.add('/spec/ingress/-', {
        from: cidrs.map((cidr) => ({ ipBlock: { cidr } })),
        // Values in a patch are resolved like the rest of the object: an int-or-string needs its wrapper.
        ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(EXTERNAL_CONTAINER_PORT) }],
      }));
    }

    // Backup and restore of metadata.
    if (props.backup) {
      this.backupCronJob = createBackupCronJob(this, props.backup, {
        name: `${name}-backup`,
        labels: labels('backup'),
        defaultPrefix: name,
        registry: props.registry,
        podSecurityContext: podSecurity,
        extraVolumes: caVolume,
        dumpContainer: {
          name: 'dump',
          image: image.image,
          imagePullPolicy: image.pullPolicy,
          command: ['bash', '-c', kafkaBackupScript()],
          env: [...this.jobEnv, { name: 'OUT_DIR', value: '/backup' }],
          resources: fixedResources(100, 1000, 512, 512),
          securityContext: hardened,
          volumeMounts: [{ name: 'backup', mountPath: '/backup' }, ...this.jobMounts],
        },
      });
    }
    checkOptionalBoolean(this, 'restoreConsumerOffsets', props.restoreConsumerOffsets);
    checkRule(this, !props.restoreConsumerOffsets || props.restore !== undefined, 'restoreConsumerOffsets', props.restoreConsumerOffsets,
      'needs restore (the backup whose offsets are restored)');
    if (props.restore) {
      const download = restoreDownloadContainer(this, props.restore, name, props.registry);
      const restoreLabels = labels('restore');
      // Named after its content (oneShotJob), so an upgrade applies. Kept when finished: re-created after a TTL, it
      // would reset the offsets of idle consumer groups again.
      this.restoreJob = oneShotJob(this, 'RestoreJob', {
        baseName: `${name}-restore`,
        labels: restoreLabels,
        keepFinished: true,
        spec: {
          backoffLimit: 10,
          activeDeadlineSeconds: 7200,
          template: {
            metadata: { labels: restoreLabels },
            spec: {
              ...this.toolPod(),
              initContainers: [download],
              containers: [{
                name: 'restore',
                image: image.image,
                imagePullPolicy: image.pullPolicy,
                command: ['bash', '-c', kafkaRestoreScript()],
                env: [...this.jobEnv, { name: 'RESTORE_DIR', value: '/restore' }, { name: 'WAIT_TIMEOUT_SECONDS', value: '1800' },
                  { name: 'RESTORE_OFFSETS', value: props.restoreConsumerOffsets ? 'true' : 'false' }],
                resources: fixedResources(100, 1000, 512, 512),
                securityContext: hardened,
                volumeMounts: [{ name: 'restore', mountPath: '/restore', readOnly: true }, ...this.jobMounts],
              }],
              volumes: [{ name: 'restore', emptyDir: {} }, { name: 'data', emptyDir: {} }, { name: 'tmp', emptyDir: {} }, ...caVolume],
            },
          },
        },
      });
    }
  }

  /** The Job that creates users and topics (present when there is any). */
  public get setupJob(): ApiObject | undefined {
    return this._setupJob;
  }

  /** Topics declared so far. */
  public get topics(): KafkaTopic[] {
    return [...this.topicSpecs];
  }

  /**
   * Declares a topic: the setup Job creates it once the cluster is up, raises its partitions and sets its configs
   * on later runs (partitions are never decreased; the replication factor is fixed at creation).
   * @param name topic name
   * @param options partitions, replication factor and configs
   */
  public addTopic(name: string, options: KafkaTopicOptions = {}): void {
    const i = this.topicSpecs.length;
    const p = `topics[${i}]`;
    checkRule(this, TOPIC_NAME.test(name) && name !== '.' && name !== '..', `${p}.name`, name,
      "must be 1-249 letters, digits, '.', '_' or '-'");
    checkRule(this, !name.startsWith('__'), `${p}.name`, name, "must not start with '__' (Kafka's internal topics)");
    checkRule(this, !this.topicSpecs.some((t) => t.name === name), `${p}.name`, name, 'is declared twice');
    const partitions = checkInteger(this, `${p}.partitions`, options.partitions ?? this.defaultPartitions, 1, 100000);
    const rf = checkInteger(this, `${p}.replicationFactor`, options.replicationFactor ?? this.defaultRf, 1);
    checkRule(this, rf <= this.brokers, `${p}.replicationFactor`, rf, `must be <= the broker count (${this.brokers})`);
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.config ?? {})) {
      checkRule(this, CONFIG_KEY.test(k), `${p}.config.${k}`, k, 'must be a topic config key (lowercase letters, digits, "." and "-")');
      checkRule(this, typeof v === 'string' && v.length > 0 && !/[\s;|[\]]/.test(v), `${p}.config.${k}`, v,
        "must be a non-empty value without spaces, ';', '|' or brackets");
      config[k] = v;
    }
    if (config['min.insync.replicas'] !== undefined) {
      const topicIsr = Number(config['min.insync.replicas']);
      checkRule(this, Number.isInteger(topicIsr) && topicIsr >= 1 && topicIsr <= rf, `${p}.config.min.insync.replicas`, config['min.insync.replicas'],
        `must be an integer from 1 to the topic's replication factor (${rf})`);
    }
    this.topicSpecs.push({ name, partitions, replicationFactor: rf, config });
    this.ensureSetupJob();
  }

  private ensureSetupJob(): void {
    if (this._setupJob) return;
    const spec = () => this.topicSpecs.map((t) => `${t.name}|${t.partitions}|${t.replicationFactor}|${Object.entries(t.config ?? {})
      .map(([k, v]) => `${k}=${v}`).join(';')}`).join('\n');
    const jobLabels = componentLabels(this.ident, 'setup');
    // Named after its content at synthesis (oneShotJob): changed topics, users or version run a new Job.
    this._setupJob = oneShotJob(this, 'SetupJob', {
      baseName: `${this.name}-setup`,
      labels: jobLabels,
      spec: {
        backoffLimit: 20,
        activeDeadlineSeconds: 3600,
        template: {
          metadata: { labels: jobLabels },
          spec: {
            ...this.toolPod(),
            containers: [{
              name: 'setup',
              image: this.kafkaImage.image,
              imagePullPolicy: this.kafkaImage.pullPolicy,
              command: ['bash', '/scripts/setup.sh'],
              env: [
                ...this.jobEnv,
                { name: 'USERS', value: this.userSpecs.map((u) => u.name).join(' ') },
                ...this.userSpecs.map((u, i) => secretEnv(`USER_PASSWORD_${i}`, u.ref)),
                { name: 'TOPICS', value: Lazy.any({ produce: () => spec() }) as unknown as string },
                { name: 'WAIT_TIMEOUT_SECONDS', value: '1800' },
              ],
              resources: fixedResources(100, 1000, 512, 512),
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'scripts', mountPath: '/scripts', readOnly: true }, ...this.jobMounts],
            }],
            volumes: this.jobVolumes,
          },
        },
      },
    });
  }
}

/**
 * A KRaft cluster ID from a string: 16 bytes of a SHA-256, base64url without padding (the form
 * `kafka-storage.sh random-uuid` prints), so the same namespace and name always give the same ID.
 */
export function clusterIdFrom(text: string): string {
  // Like Kafka's own generator, skip IDs starting with '-': the command line would read them as an option.
  for (let attempt = 0; ; attempt++) {
    const bytes = createHash('sha256').update(`cdk8s-middleware/kafka/${text}/${attempt}`).digest().subarray(0, 16);
    const id = bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    if (!id.startsWith('-')) return id;
  }
}
