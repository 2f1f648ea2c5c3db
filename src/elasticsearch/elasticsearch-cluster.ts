import { createHash } from 'crypto';
import { ApiObject, Chart, Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { elasticsearchAlerts, TierMetricsInfo } from './alerts';
import { ElasticsearchCapacity, ElasticsearchCapacityPlan, ElasticsearchWorkload } from './capacity';
import { isReservedSetting, placeholdersOf, renderElasticsearchYml, YmlValue } from './config';
import { elasticsearchDashboard } from './dashboard';
import {
  checkS3Target, checkSlmSchedule, claimWritableRepository, ElasticsearchRestoreProps, ElasticsearchSnapshotProps, esTime, IlmPolicy, IndexTemplate,
  overlaps, RepositoryLocation, repositoryLocation, showLocation,
  renderIlmPolicies, renderIndexTemplates, s3ClientSettings,
} from './lifecycle';
import { entrypointScript, preStopScript, prepareConfigScript, readinessScript, setupScript } from './scripts';
import { createDisruptionBudget } from '../availability/disruption-budget';
import { createNetworkPolicy } from '../availability/network-policy';
import { MiddlewareClusterProps } from '../core/cluster-props';
import { ImageProps, pullSecrets, resolveImage } from '../core/images';
import { oneShotJob } from '../core/jobs';
import { componentLabels, InstanceIdentity, selectorLabels } from '../core/labels';
import { cpuMillis, fixedResources, renderResources, ResolvedResources, resolveResources, sizeBytes, sizeQuantity } from '../core/resources';
import { checkDnsLabel, checkInteger, checkOneOf, checkRule, warn } from '../core/validation';
import { SIDECAR_IMAGES, warnIfEndOfLife } from '../core/versions';
import { CertificateIssuerKind } from '../credentials/certificates';
import { bindCredentials, Credentials, secretEnv, SecretKeyRef } from '../credentials/credentials';
import {
  Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyEncoding, CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages, Issuer,
} from '../imports/cert-manager.io';
import { AlertRule } from '../monitoring/alerts';
import { createMonitoring } from '../monitoring/monitoring';
import { AntiAffinityMode, NodeOperator, renderScheduling, SchedulingProps, TopologyKey } from '../scheduling/scheduling';
import { ResolvedStorage, resolveStorage, retentionPolicy, StorageProps, volumeClaimTemplate } from '../storage/storage';

/** An Elasticsearch version: the tag of the official image (Kibana uses the same tag). */
export class ElasticsearchVersion {
  /** Elasticsearch 8.19 (the default). */
  public static readonly V8_19 = new ElasticsearchVersion('8.19.20');
  /** Elasticsearch 7.17: end of life since 2026-01-15, for existing clusters only (synthesis warns). */
  public static readonly V7_17 = new ElasticsearchVersion('7.17.29');
  /**
   * A specific tag of docker.elastic.co/elasticsearch/elasticsearch: 8.x.y, or 7.17.x.
   * @param tag image tag, e.g. `8.18.3`
   */
  public static ofTag(tag: string): ElasticsearchVersion {
    return new ElasticsearchVersion(tag);
  }
  private constructor(
    /** Image tag. */
    public readonly imageTag: string,
  ) {}
}

/** How a Service of the cluster is exposed. */
export enum ElasticsearchServiceType {
  /** Inside the Kubernetes cluster only. */
  CLUSTER_IP = 'ClusterIP',
  /** On a port of every node. */
  NODE_PORT = 'NodePort',
  /** Through a cloud or MetalLB load balancer. */
  LOAD_BALANCER = 'LoadBalancer',
}

/** Kind of a cert-manager issuer. */
/**
 * Where the TLS certificates of the transport and HTTP layers (and Kibana) come from. TLS is always on.
 */
export class ElasticsearchTls {
  /**
   * cert-manager: a self-signed root issues a CA (Secret `<name>-ca`), and a CA Issuer signs the transport, HTTP and
   * Kibana certificates. Clients trust `ca.crt` of the HTTP Secret.
   */
  public static selfSigned(): ElasticsearchTls {
    return new ElasticsearchTls('self-signed');
  }
  /**
   * cert-manager with your own issuer (an internal CA, Vault, ...). The issuer must put `ca.crt` into the Secrets.
   * @param issuerName the Issuer or ClusterIssuer
   * @param kind its kind
   */
  public static fromIssuer(issuerName: string, kind: CertificateIssuerKind = CertificateIssuerKind.ISSUER): ElasticsearchTls {
    return new ElasticsearchTls('issuer', issuerName, kind);
  }
  /**
   * Existing `kubernetes.io/tls` Secrets with `tls.crt`, `tls.key` and `ca.crt`. The HTTP certificate must be valid
   * for the client Service name and `*.<name>-nodes`; the transport certificate is checked against the CA only.
   * @param httpSecretName Secret of the HTTP layer (REST clients, Kibana, the exporter)
   * @param transportSecretName Secret of node-to-node traffic
   * @param kibanaSecretName Secret of Kibana's HTTPS server; without it Kibana serves plain HTTP
   */
  public static fromSecrets(httpSecretName: string, transportSecretName: string, kibanaSecretName?: string): ElasticsearchTls {
    return new ElasticsearchTls('secrets', undefined, undefined, httpSecretName, transportSecretName, kibanaSecretName);
  }
  private constructor(
    /** @internal */ public readonly _mode: string,
    /** @internal */ public readonly _issuer?: string,
    /** @internal */ public readonly _issuerKind?: CertificateIssuerKind,
    /** @internal */ public readonly _httpSecret?: string,
    /** @internal */ public readonly _transportSecret?: string,
    /** @internal */ public readonly _kibanaSecret?: string,
  ) {}
}

/** One tier of Elasticsearch nodes: its own StatefulSet (one per zone with zone awareness). */
export interface ElasticsearchNodeTierProps {
  /**
   * Number of nodes.
   * @default masters 3, hot 3, warm 2, cold 3, coordinating 2
   */
  readonly replicas?: number;
  /**
   * Resources of each node. The memory limit sizes the heap.
   * @default masters: 500m/1 CPU, 2Gi; hot and warm: 1/2 CPU, 4Gi; cold: 500m/2 CPU, 4Gi; coordinating: 500m/2 CPU, 2Gi
   */
  readonly resources?: ContainerResources;
  /**
   * Java heap (-Xms = -Xmx). At most 75% of the memory limit and below 32 GiB (compressed object pointers).
   * @default half the memory limit, at most 31Gi
   */
  readonly heapSize?: Size;
  /**
   * Data volume of each node.
   * @default masters 10Gi, hot 100Gi, warm 200Gi, cold 500Gi, coordinating 5Gi; PVCs retained
   */
  readonly storage?: StorageProps;
  /**
   * Scheduling of the tier's pods.
   * @default required anti-affinity on the hostname, zone spread preferred
   */
  readonly scheduling?: SchedulingProps;
  /**
   * Extra elasticsearch.yml settings of this tier (e.g. `thread_pool.write.queue_size`). Settings the construct
   * owns (roles, discovery, network, paths, security, zone awareness, S3 clients) are refused, and so are `${VAR}`
   * placeholders other than `${POD_NAME}` and `${POD_IP}` without a default (`${VAR:value}`).
   * @default none
   */
  readonly config?: { [setting: string]: string };
}

/** The dedicated master tier. */
export interface ElasticsearchMasterTierProps extends ElasticsearchNodeTierProps {
  /**
   * Dedicated master nodes. Without them the hot nodes are master-eligible (and warm and cold tiers are refused).
   * @default true
   */
  readonly enabled?: boolean;
}

/** Kibana, connected to the cluster as `kibana_system`. */
export interface KibanaProps {
  /**
   * Resources.
   * @default 500m/1 CPU, 1Gi memory
   */
  readonly resources?: ContainerResources;
  /**
   * Scheduling.
   * @default preferred anti-affinity, no zone spread
   */
  readonly scheduling?: SchedulingProps;
  /**
   * Type of the Kibana Service (the reference offers LoadBalancer for Kibana). Allow the clients in
   * `networkPolicy.allowedClients` too.
   * @default ElasticsearchServiceType.CLUSTER_IP
   */
  readonly serviceType?: ElasticsearchServiceType;
  /**
   * Kibana image (same tag as Elasticsearch unless overridden).
   * @default docker.elastic.co/kibana/kibana with the Elasticsearch version's tag
   */
  readonly image?: ImageProps;
}

/**
 * Zone awareness: each tier gets one StatefulSet per zone, pinned to the zone by node affinity, whose nodes carry
 * `node.attr.zone`; shard copies are spread over zones by `cluster.routing.allocation.awareness.attributes: zone`.
 */
export interface ElasticsearchZoneAwarenessProps {
  /** Zone names: values of the node label `topologyKey` (at least 2, DNS labels). */
  readonly zones: string[];
  /**
   * Node label holding the zone.
   * @default TopologyKey.ZONE (topology.kubernetes.io/zone)
   */
  readonly topologyKey?: TopologyKey;
  /**
   * Forced awareness (`awareness.force.zone.values`): when a zone is lost, its shard copies are NOT re-created in
   * the surviving zones (so they are not overloaded); the cluster stays yellow until the zone is back.
   * @default false
   */
  readonly force?: boolean;
}

/** Expected data, to check the configured storage against the reference's capacity formulas. */
export interface ElasticsearchCapacityRequirements {
  /** Source data to hold (logs: daily volume x retention days). */
  readonly sourceData: Size;
  /**
   * Replicas per primary shard.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Expected growth on top of the source data.
   * @default none
   */
  readonly growth?: Size;
  /**
   * Workload type.
   * @default ElasticsearchWorkload.GENERAL
   */
  readonly workload?: ElasticsearchWorkload;
}

/** Props of an ElasticsearchCluster. */
export interface ElasticsearchClusterProps extends MiddlewareClusterProps {
  /**
   * Elasticsearch version.
   * @default ElasticsearchVersion.V8_19
   */
  readonly version?: ElasticsearchVersion;
  /**
   * Dedicated master nodes (3 or 5).
   * @default 3 dedicated masters
   */
  readonly masters?: ElasticsearchMasterTierProps;
  /**
   * Hot nodes: roles data_hot, data_content, ingest (plus master without dedicated masters); 1 to 50.
   * @default 3 nodes
   */
  readonly hot?: ElasticsearchNodeTierProps;
  /**
   * Warm nodes (role data_warm); 1 to 50. Needs dedicated masters.
   * @default no warm tier
   */
  readonly warm?: ElasticsearchNodeTierProps;
  /**
   * Cold nodes (role data_cold); 2 to 50. Needs dedicated masters.
   * @default no cold tier
   */
  readonly cold?: ElasticsearchNodeTierProps;
  /**
   * Coordinating-only nodes (no roles): they take the client traffic (the client Service selects them) and do
   * the reduce phase of searches; 1 to 20.
   * @default no coordinating nodes: the client Service selects the hot nodes
   */
  readonly coordinating?: ElasticsearchNodeTierProps;
  /**
   * Kibana (one replica).
   * @default no Kibana
   */
  readonly kibana?: KibanaProps;
  /**
   * Type of the client Service `<name>` (HTTPS 9200). Allow the clients in `networkPolicy.allowedClients` too.
   * @default ElasticsearchServiceType.CLUSTER_IP
   */
  readonly serviceType?: ElasticsearchServiceType;
  /**
   * Zone awareness.
   * @default none: pods are spread over zones by the scheduler only, shard allocation ignores zones
   */
  readonly zoneAwareness?: ElasticsearchZoneAwarenessProps;
  /**
   * TLS certificates (transport and HTTP are always TLS).
   * @default ElasticsearchTls.selfSigned()
   */
  readonly tls?: ElasticsearchTls;
  /**
   * Password of the `elastic` superuser (its bootstrap password; change it only through this Secret).
   * @default Credentials.generate(): a Secret `<name>-elastic` generated in the cluster
   */
  readonly elasticPassword?: Credentials;
  /**
   * ILM policies, applied by the setup Job.
   * @default none
   */
  readonly ilmPolicies?: IlmPolicy[];
  /**
   * Index templates, applied by the setup Job.
   * @default none
   */
  readonly indexTemplates?: IndexTemplate[];
  /**
   * S3 snapshot repository and SLM policy.
   * @default no snapshots
   */
  readonly snapshots?: ElasticsearchSnapshotProps;
  /**
   * Restore a snapshot into this (new, empty) cluster.
   * @default start empty
   */
  readonly restore?: ElasticsearchRestoreProps;
  /**
   * Expected data volume; the construct warns when the data tiers' storage is below the capacity formulas.
   * @default no capacity check
   */
  readonly capacity?: ElasticsearchCapacityRequirements;
  /**
   * Memory-mapped index files (`node.store.allow_mmap`). Needs `vm.max_map_count >= 262144` on every Kubernetes
   * node (a node prerequisite); false trades some performance for not needing it.
   * @default true
   */
  readonly allowMmap?: boolean;
  /**
   * Add a privileged init container that runs `sysctl -w vm.max_map_count=262144` on the node. It runs as root
   * with privileges: prefer setting the sysctl on the nodes (DaemonSet, node image, or kubelet config).
   * @default false
   */
  readonly sysctlInitContainer?: boolean;
  /**
   * Elasticsearch image (also runs the setup Job).
   * @default docker.elastic.co/elasticsearch/elasticsearch with the version's tag
   */
  readonly image?: ImageProps;
  /**
   * elasticsearch_exporter image.
   * @default quay.io/prometheuscommunity/elasticsearch-exporter pinned by this library
   */
  readonly exporterImage?: ImageProps;
  /**
   * Image of the password generator Jobs (needs `sh` and `curl`).
   * @default docker.io/curlimages/curl pinned by this library
   */
  readonly toolsImage?: ImageProps;
}

export const ELASTICSEARCH_HTTP_PORT = 9200;
export const ELASTICSEARCH_TRANSPORT_PORT = 9300;
export const ELASTICSEARCH_EXPORTER_PORT = 9114;
export const KIBANA_PORT = 5601;
const ES_IMAGE = 'docker.elastic.co/elasticsearch/elasticsearch';
const KIBANA_IMAGE = 'docker.elastic.co/kibana/kibana';
// The official images' user.
const ES_UID = 1000;
const NOBODY = 65534;
const LABEL_PREFIX = 'elasticsearch.cdk8s-middleware.io';
const TIER_LABEL = `${LABEL_PREFIX}/tier`;
const STS_LABEL = `${LABEL_PREFIX}/statefulset`;
const MASTER_LABEL = `${LABEL_PREFIX}/master-eligible`;
const CLIENT_LABEL = `${LABEL_PREFIX}/http-client`;
const EXPORTER_USER = 'cdk8s-metrics-exporter';
const ES_HOME = '/usr/share/elasticsearch';
const DATA_DIR = `${ES_HOME}/data`;
const CERTS = `${ES_HOME}/config/certs`;
// The image's jvm.options logs GC to logs/gc.log in 32 files of 64m (2 GiB), more than the 1Gi logs emptyDir: the kubelet
// would evict the pod. ES_JAVA_OPTS come after jvm.options: -Xlog:disable drops its outputs, then warnings go to stderr
// (as in the defaults) and the GC log to 4 files of 64m (256Mi).
const GC_LOG_OPTS = '-Xlog:disable -Xlog:all=warning:stderr:utctime,level,tags '
  + `-Xlog:gc*,gc+age=trace,safepoint:file=${ES_HOME}/logs/gc.log:utctime,level,pid,tags:filecount=4,filesize=64m`;
// elasticsearch.yml names the node with these. Every process that loads the file resolves its placeholders and fails on
// an unset one (InternalSettingsPreparer), the keystore CLI of the prepare-config init container included.
const NODE_IDENTITY_ENV: k8s.EnvVar[] = [
  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
];

type TierKey = 'master' | 'hot' | 'warm' | 'cold' | 'coordinating';

interface TierDefaults {
  readonly short: string;
  readonly title: string;
  readonly replicas: number;
  readonly min: number;
  readonly max: number;
  readonly resources: ResolvedResources;
  readonly storage: Size;
}

const TIER_DEFAULTS: Record<TierKey, TierDefaults> = {
  master: {
    short: 'master',
    title: 'Master',
    replicas: 3,
    min: 3,
    max: 5,
    storage: Size.gibibytes(10),
    resources: { cpuRequest: Cpu.millis(500), cpuLimit: Cpu.units(1), memoryRequest: Size.gibibytes(2), memoryLimit: Size.gibibytes(2) },
  },
  hot: {
    short: 'hot',
    title: 'Hot',
    replicas: 3,
    min: 1,
    max: 50,
    storage: Size.gibibytes(100),
    resources: { cpuRequest: Cpu.units(1), cpuLimit: Cpu.units(2), memoryRequest: Size.gibibytes(4), memoryLimit: Size.gibibytes(4) },
  },
  warm: {
    short: 'warm',
    title: 'Warm',
    replicas: 2,
    min: 1,
    max: 50,
    storage: Size.gibibytes(200),
    resources: { cpuRequest: Cpu.units(1), cpuLimit: Cpu.units(2), memoryRequest: Size.gibibytes(4), memoryLimit: Size.gibibytes(4) },
  },
  cold: {
    short: 'cold',
    title: 'Cold',
    replicas: 3,
    min: 2,
    max: 50,
    storage: Size.gibibytes(500),
    resources: { cpuRequest: Cpu.millis(500), cpuLimit: Cpu.units(2), memoryRequest: Size.gibibytes(4), memoryLimit: Size.gibibytes(4) },
  },
  coordinating: {
    short: 'coord',
    title: 'Coordinating',
    replicas: 2,
    min: 1,
    max: 20,
    storage: Size.gibibytes(5),
    resources: { cpuRequest: Cpu.millis(500), cpuLimit: Cpu.units(2), memoryRequest: Size.gibibytes(2), memoryLimit: Size.gibibytes(2) },
  },
};

/** A resolved tier. */
interface Tier {
  readonly key: TierKey;
  readonly d: TierDefaults;
  readonly props: ElasticsearchNodeTierProps;
  readonly replicas: number;
  readonly roles: string[];
  readonly masterEligible: boolean;
  readonly resources: ResolvedResources;
  readonly heapMiB: number;
  readonly storage: ResolvedStorage;
  /** One entry per StatefulSet: zone (or none) and its replicas. */
  readonly sets: { name: string; zone?: string; replicas: number }[];
}

/**
 * A production Elasticsearch cluster without an operator: dedicated masters and hot/warm/cold/coordinating tiers
 * (each its own StatefulSet, per zone with zone awareness), discovery and first-time bootstrapping, TLS everywhere
 * from cert-manager, the `elastic` password from a Secret, a setup Job applying users, ILM policies, index
 * templates, the S3 snapshot repository, SLM and restores, elasticsearch_exporter with alerts and a dashboard,
 * PodDisruptionBudgets, a NetworkPolicy, and optional Kibana.
 */
export class ElasticsearchCluster extends Construct {
  /** Instance name (cluster.name). */
  public readonly name: string;
  /** Image tag of Elasticsearch (and Kibana). */
  public readonly version: string;
  /** Host of the client Service. */
  public readonly host: string;
  /** HTTPS port. */
  public readonly port: number;
  /** `https://<host>:9200`. */
  public readonly url: string;
  /** Secret and key of the `elastic` password. */
  public readonly elasticPasswordSecret: SecretKeyRef;
  /** Secret whose `ca.crt` clients must trust (the HTTP certificate's Secret). */
  public readonly caSecretName: string;
  /** Key of the CA certificate in that Secret. */
  public readonly caSecretKey: string;
  /** Secret of the HTTP certificate. */
  public readonly httpTlsSecretName: string;
  /** Secret of the transport certificate. */
  public readonly transportTlsSecretName: string;
  /** Node names given to `cluster.initial_master_nodes` at first formation. */
  public readonly initialMasterNodes: string[];
  /** Labels that select every Elasticsearch node pod. */
  public readonly podSelectorLabels: { [key: string]: string };
  /** Whether dedicated masters exist. */
  public readonly dedicatedMasters: boolean;
  /** All StatefulSets. */
  public readonly statefulSets: ApiObject[];
  /** StatefulSets of the dedicated masters (empty without them). */
  public readonly masterStatefulSets: ApiObject[];
  /** StatefulSets of the hot tier. */
  public readonly hotStatefulSets: ApiObject[];
  /** StatefulSets of the warm tier. */
  public readonly warmStatefulSets: ApiObject[];
  /** StatefulSets of the cold tier. */
  public readonly coldStatefulSets: ApiObject[];
  /** StatefulSets of the coordinating tier. */
  public readonly coordinatingStatefulSets: ApiObject[];
  /** elasticsearch.yml of every StatefulSet (one key per StatefulSet). */
  public readonly configMap: ApiObject;
  /** Scripts (entrypoint, readiness probe, config preparation, setup). */
  public readonly scriptsConfigMap: ApiObject;
  /** Client Service (HTTPS 9200): coordinating nodes, else hot nodes. */
  public readonly service: ApiObject;
  /** Headless Service governing every node pod (stable DNS names). */
  public readonly nodesService: ApiObject;
  /** Headless Service of the master-eligible nodes (discovery.seed_hosts). */
  public readonly mastersService: ApiObject;
  /** One PodDisruptionBudget per tier. */
  public readonly disruptionBudgets: ApiObject[];
  /** The NetworkPolicy. */
  public readonly networkPolicy?: ApiObject;
  /** cert-manager Issuers created by the construct. */
  public readonly issuers: ApiObject[];
  /** cert-manager Certificates created by the construct. */
  public readonly certificates: ApiObject[];
  /** Bodies applied by the setup Job (ILM policies, templates, repositories, SLM, restore). */
  public readonly setupConfigMap: ApiObject;
  /** The setup Job. */
  public readonly setupJob: ApiObject;
  /** Exporter Deployment. */
  public readonly exporterDeployment?: ApiObject;
  /** Service of the exporter. */
  public readonly metricsService?: ApiObject;
  /** ServiceMonitor. */
  public readonly serviceMonitor?: ApiObject;
  /** PrometheusRule. */
  public readonly prometheusRule?: ApiObject;
  /** Dashboard ConfigMap or GrafanaDashboard. */
  public readonly dashboard?: ApiObject;
  /** The alerts as rendered. */
  public readonly alerts: AlertRule[];
  /** Kibana Deployment. */
  public readonly kibanaDeployment?: ApiObject;
  /** Kibana configuration (kibana.yml). */
  public readonly kibanaConfigMap?: ApiObject;
  /** Kibana Service. */
  public readonly kibanaService?: ApiObject;
  /** Kibana URL (https unless its certificate is missing). */
  public readonly kibanaUrl?: string;
  /** Password generator Jobs (one per generated Secret). */
  public readonly passwordGeneratorJobs: ApiObject[];
  /** The capacity plan for `capacity`, with the hot tier's memory. */
  public readonly capacityPlan?: ElasticsearchCapacityPlan;

  constructor(scope: Construct, id: string, props: ElasticsearchClusterProps = {}) {
    super(scope, id);
    const name = checkDnsLabel(this, 'name', props.name ?? id, 40);
    this.name = name;
    const version = props.version ?? ElasticsearchVersion.V8_19;
    const vm = /^(\d+)\.(\d+)\.(\d+)$/.exec(version.imageTag);
    checkRule(this, vm !== null && (vm[1] === '8' || (vm[1] === '7' && vm[2] === '17')), 'version', version.imageTag,
      'must be an Elasticsearch 8.x.y or 7.17.x image tag, e.g. ElasticsearchVersion.V8_19 or ElasticsearchVersion.ofTag("8.18.3")');
    const major = Number(vm![1]);
    warnIfEndOfLife(this, 'version', 'Elasticsearch', `${vm![1]}.${vm![2]}`);
    this.version = version.imageTag;
    const namespace = Chart.of(this).namespace;

    // Tiers and their combinations.
    const dedicated = props.masters?.enabled ?? true;
    this.dedicatedMasters = dedicated;
    const masterSettings = Object.entries(props.masters ?? {}).filter(([k, v]) => k !== 'enabled' && v !== undefined);
    checkRule(this, dedicated || masterSettings.length === 0, 'masters', 'enabled: false',
      'takes no other settings when dedicated masters are disabled (the hot nodes are master-eligible)');
    checkRule(this, dedicated || props.warm === undefined, 'warm', 'set', 'needs dedicated masters (masters.enabled must not be false)');
    checkRule(this, dedicated || props.cold === undefined, 'cold', 'set', 'needs dedicated masters (masters.enabled must not be false)');
    const zones = this.resolveZones(props);
    const tier = (key: TierKey, p: ElasticsearchNodeTierProps | undefined, roles: string[], masterEligible: boolean): Tier =>
      this.resolveTier(name, key, p ?? {}, roles, masterEligible, zones?.zones);
    const tiers: Tier[] = [];
    if (dedicated) tiers.push(tier('master', props.masters, ['master'], true));
    const hot = tier('hot', props.hot, dedicated ? ['data_hot', 'data_content', 'ingest'] : ['master', 'data_hot', 'data_content', 'ingest'], !dedicated);
    tiers.push(hot);
    if (!dedicated) {
      checkRule(this, hot.replicas !== 2, 'hot.replicas', hot.replicas,
        'must not be 2 without dedicated masters: two master-eligible nodes cannot elect a master when one is lost (use 1, or 3 and more)');
      if (hot.replicas > 1 && hot.replicas % 2 === 0) {
        warn(this, 'hot.replicas', hot.replicas, 'the hot nodes are master-eligible: an even count tolerates no more failures than one node less');
      }
    }
    if (props.warm) tiers.push(tier('warm', props.warm, ['data_warm'], false));
    if (props.cold) tiers.push(tier('cold', props.cold, ['data_cold'], false));
    if (props.coordinating) tiers.push(tier('coordinating', props.coordinating, [], false));
    if (zones) {
      for (const t of tiers) {
        if (t.key !== 'master' && t.key !== 'coordinating') {
          checkRule(this, t.replicas >= zones.zones.length, `${t.key}.replicas`, t.replicas,
            `must be at least the number of zones (${zones.zones.length}) so that every zone holds data nodes`);
        }
      }
      const m = tiers.find((t) => t.masterEligible)!;
      const largest = Math.max(...m.sets.map((s) => s.replicas));
      if (largest * 2 >= m.replicas) {
        warn(this, 'zoneAwareness.zones', zones.zones, `one zone holds ${largest} of the ${m.replicas} master-eligible nodes: losing that zone loses the master quorum (use 3 zones)`);
      }
    }

    // Identity and images.
    const ident: InstanceIdentity = { name: 'elasticsearch', instance: name, version: version.imageTag, partOf: props.partOf ?? name };
    const labels = (component: string) => componentLabels(ident, component);
    const nodeSelector = selectorLabels(ident, 'elasticsearch');
    this.podSelectorLabels = { ...nodeSelector };
    const image = resolveImage(this, 'image', ES_IMAGE, version.imageTag, props.image, props.registry);
    const exporterImage = resolveImage(this, 'exporterImage', SIDECAR_IMAGES.elasticsearchExporter.repository, SIDECAR_IMAGES.elasticsearchExporter.tag, props.exporterImage, props.registry);
    const toolsImage = resolveImage(this, 'toolsImage', SIDECAR_IMAGES.tools.repository, SIDECAR_IMAGES.tools.tag, props.toolsImage, props.registry);
    const imagePullSecrets = pullSecrets(props.registry);
    const monitoringOn = props.monitoring?.enabled !== false;

    // Credentials.
    this.passwordGeneratorJobs = [];
    const bind = (id2: string, prop: string, c: Credentials | undefined, secretName: string): SecretKeyRef => {
      const s = new Construct(this, id2);
      const b = bindCredentials(s, prop, c, {
        defaultSecretName: secretName,
        labels: labels('secret-generator'),
        generatorImage: toolsImage.image,
        imagePullPolicy: toolsImage.pullPolicy,
        imagePullSecrets,
      });
      if (b.generator) this.passwordGeneratorJobs.push(b.generator.job);
      return b.ref;
    };
    const elasticRef = bind('Elastic', 'elasticPassword', props.elasticPassword, `${name}-elastic`);
    this.elasticPasswordSecret = elasticRef;
    const kibanaRef = props.kibana ? bind('KibanaSystem', 'kibana', undefined, `${name}-kibana-system`) : undefined;
    const kibanaKeyRef = props.kibana ? bind('KibanaEncryption', 'kibana', undefined, `${name}-kibana-encryption`) : undefined;
    const exporterRef = monitoringOn ? bind('ExporterPassword', 'monitoring', undefined, `${name}-exporter`) : undefined;

    // Names.
    const nodesSvc = `${name}-nodes`;
    const mastersSvc = `${name}-masters`;
    const fqdn = (svc: string) => namespace ? `${svc}.${namespace}.svc` : svc;
    this.host = fqdn(name);
    this.port = ELASTICSEARCH_HTTP_PORT;
    this.url = `https://${this.host}:${ELASTICSEARCH_HTTP_PORT}`;

    // TLS.
    this.issuers = [];
    this.certificates = [];
    const tls = props.tls ?? ElasticsearchTls.selfSigned();
    let httpSecret: string;
    let transportSecret: string;
    let kibanaSecret: string | undefined;
    if (tls._mode === 'secrets') {
      httpSecret = checkDnsLabel(this, 'tls.httpSecretName', tls._httpSecret!, 253);
      transportSecret = checkDnsLabel(this, 'tls.transportSecretName', tls._transportSecret!, 253);
      kibanaSecret = tls._kibanaSecret === undefined ? undefined : checkDnsLabel(this, 'tls.kibanaSecretName', tls._kibanaSecret, 253);
    } else {
      let issuerRef: { name: string; kind: string };
      if (tls._mode === 'issuer') {
        issuerRef = { name: checkDnsLabel(this, 'tls.issuerName', tls._issuer!, 253), kind: tls._issuerKind ?? CertificateIssuerKind.ISSUER };
        checkOneOf(this, 'tls.kind', issuerRef.kind, [CertificateIssuerKind.ISSUER, CertificateIssuerKind.CLUSTER_ISSUER] as string[]);
      } else {
        const tlsLabels = labels('tls');
        this.issuers.push(new Issuer(this, 'SelfSignedIssuer', { metadata: { name: `${name}-selfsigned`, labels: tlsLabels }, spec: { selfSigned: {} } }));
        this.certificates.push(new Certificate(this, 'CaCertificate', {
          metadata: { name: `${name}-ca`, labels: tlsLabels },
          spec: {
            isCa: true,
            commonName: `${name}-ca`,
            secretName: `${name}-ca`,
            duration: '87600h',
            privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.RSA, size: 4096, encoding: CertificateSpecPrivateKeyEncoding.PKCS8 },
            issuerRef: { name: `${name}-selfsigned`, kind: 'Issuer', group: 'cert-manager.io' },
          },
        }));
        this.issuers.push(new Issuer(this, 'CaIssuer', { metadata: { name: `${name}-ca`, labels: tlsLabels }, spec: { ca: { secretName: `${name}-ca` } } }));
        issuerRef = { name: `${name}-ca`, kind: 'Issuer' };
      }
      const withNs = (n: string) => namespace ? [n, `${n}.${namespace}`, `${n}.${namespace}.svc`, `${n}.${namespace}.svc.cluster.local`] : [n];
      const cert = (id2: string, certName: string, dnsNames: string[], ips: string[] | undefined) => {
        this.certificates.push(new Certificate(this, id2, {
          metadata: { name: certName, labels: labels('tls') },
          spec: {
            secretName: `${certName}-tls`,
            commonName: dnsNames[0],
            dnsNames,
            ipAddresses: ips,
            duration: '8760h',
            renewBefore: '720h',
            privateKey: {
              algorithm: CertificateSpecPrivateKeyAlgorithm.RSA,
              size: 2048,
              encoding: CertificateSpecPrivateKeyEncoding.PKCS8,
              rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
            },
            usages: [
              CertificateSpecUsages.DIGITAL_SIGNATURE, CertificateSpecUsages.KEY_ENCIPHERMENT,
              CertificateSpecUsages.SERVER_AUTH, CertificateSpecUsages.CLIENT_AUTH,
            ],
            issuerRef: { ...issuerRef, group: 'cert-manager.io' },
          },
        }));
        return `${certName}-tls`;
      };
      httpSecret = cert('HttpCertificate', `${name}-http`, [...withNs(name), ...withNs(`*.${nodesSvc}`), 'localhost'], ['127.0.0.1']);
      transportSecret = cert('TransportCertificate', `${name}-transport`, [...withNs(`*.${nodesSvc}`), ...withNs(mastersSvc)], undefined);
      kibanaSecret = props.kibana ? cert('KibanaCertificate', `${name}-kibana`, withNs(`${name}-kibana`), undefined) : undefined;
    }
    this.httpTlsSecretName = httpSecret;
    this.transportTlsSecretName = transportSecret;
    this.caSecretName = httpSecret;
    this.caSecretKey = 'ca.crt';

    // Data lifecycle.
    const tierPresence = { warm: !!props.warm, cold: !!props.cold, hotNodes: hot.replicas };
    const policies = props.ilmPolicies ?? [];
    const ilmBodies = renderIlmPolicies(this, policies, tierPresence);
    const templates = renderIndexTemplates(this, props.indexTemplates ?? [], policies, tierPresence);
    const setupData: Record<string, string> = {};
    for (const [n, b] of Object.entries(ilmBodies)) setupData[`ilm.${n}.json`] = b;
    for (const [n, b] of Object.entries(templates.bodies)) setupData[`template.${n}.json`] = b;
    const s3Settings: Record<string, string> = {};
    let repositoryName: string | undefined;
    // Unique per Kubernetes cluster: two clusters of one name in two namespaces never share a repository by default.
    const defaultBasePath = namespace ? `${namespace}/${name}` : name;
    let writeLocation: RepositoryLocation | undefined;
    if (props.snapshots) {
      const sn = props.snapshots;
      const basePath = checkS3Target(this, 'snapshots.repository', sn.repository, defaultBasePath);
      writeLocation = repositoryLocation(sn.repository, basePath);
      claimWritableRepository(this, 'snapshots.repository', writeLocation);
      repositoryName = sn.repositoryName ?? 'backups';
      checkRule(this, /^[a-z0-9][a-z0-9_-]{0,63}$/.test(repositoryName) && repositoryName !== 'restore-source', 'snapshots.repositoryName', repositoryName,
        'must be 1-64 lowercase letters, digits, "_" or "-" (and not restore-source)');
      const schedule = checkSlmSchedule(this, 'snapshots.schedule', sn.schedule ?? '0 30 1 * * ?');
      const expire = sn.expireAfter ?? undefined;
      const minCount = checkInteger(this, 'snapshots.minCount', sn.minCount ?? 5, 1, 10_000);
      const maxCount = checkInteger(this, 'snapshots.maxCount', sn.maxCount ?? 50, 1, 10_000);
      checkRule(this, minCount <= maxCount, 'snapshots.minCount', minCount, `must be <= snapshots.maxCount (${maxCount})`);
      const expireAfter = expire ? esTime(expire) : '30d';
      if (expire) checkRule(this, expire.toSeconds() >= 3600, 'snapshots.expireAfter', expireAfter, 'must be at least 1 hour');
      const indices = sn.indices ?? ['*'];
      checkRule(this, indices.length > 0 && indices.every((i) => /^[-a-z0-9*._+]+$/.test(i)), 'snapshots.indices', indices,
        'must list index names or patterns (lowercase letters, digits, "*", ".", "_", "-", "+")');
      setupData['repository.json'] = JSON.stringify({ type: 's3', settings: { bucket: sn.repository.bucket, base_path: basePath, client: 'default' } });
      setupData['slm.json'] = JSON.stringify({
        schedule,
        name: `<${name}-snap-{now/d}>`,
        repository: repositoryName,
        config: { indices, include_global_state: sn.includeGlobalState ?? true },
        retention: { expire_after: expireAfter, min_count: minCount, max_count: maxCount },
      });
      Object.assign(s3Settings, s3ClientSettings('default', sn.repository));
      if (major < 8) warn(this, 'snapshots', 'set', 'Elasticsearch 7.17 images do not bundle repository-s3: use an image with the plugin installed (image prop)');
    }
    if (props.restore) {
      const r = props.restore;
      const basePath = checkS3Target(this, 'restore.repository', r.repository, defaultBasePath);
      const readLocation = repositoryLocation(r.repository, basePath);
      checkRule(this, !writeLocation || !overlaps(readLocation, writeLocation), 'restore.repository', showLocation(readLocation),
        `must not overlap the path that snapshots.repository writes there (${writeLocation ? showLocation(writeLocation) : ''}): `
        + 'restore reads another cluster\'s snapshots; give the two different prefixes');
      checkRule(this, r.snapshot === 'latest' || /^[a-z0-9][a-z0-9._-]{0,254}$/.test(r.snapshot), 'restore.snapshot', r.snapshot,
        'must be a snapshot name (lowercase letters, digits, ".", "_", "-") or "latest"');
      // Dot-prefixed names are system and most hidden indices; ilm-history-* is the hidden data stream without a dot that
      // every 8.x cluster creates on its own (slm history is .slm-history-*): restoring it would clash with the new one.
      const indices = r.indices ?? ['*', '-.*', '-ilm-history-*'];
      checkRule(this, indices.length > 0 && indices.every((i) => /^[-a-z0-9*._+]+$/.test(i)), 'restore.indices', indices,
        'must list index names or patterns (lowercase letters, digits, "*", ".", "_", "-", "+")');
      setupData['restore-repository.json'] = JSON.stringify({
        type: 's3', settings: { bucket: r.repository.bucket, base_path: basePath, client: 'restore', readonly: true },
      });
      setupData['restore.json'] = JSON.stringify({
        indices: indices.join(','), include_global_state: r.includeGlobalState ?? false, feature_states: ['none'], include_aliases: true,
      });
      Object.assign(s3Settings, s3ClientSettings('restore', r.repository));
      if (major < 8) warn(this, 'restore', 'set', 'Elasticsearch 7.17 images do not bundle repository-s3: use an image with the plugin installed (image prop)');
    }
    // Read-only monitoring; monitor_snapshot lets the exporter's snapshots collector list the repository.
    setupData['exporter-role.json'] = JSON.stringify({
      cluster: props.snapshots ? ['monitor', 'monitor_snapshot'] : ['monitor'], indices: [{ names: ['*'], privileges: ['monitor'] }],
    });
    const maxSnapshotAgeSeconds = props.snapshots
      ? checkInteger(this, 'snapshots.maxSnapshotAge', (props.snapshots.maxSnapshotAge ?? Duration.hours(36)).toSeconds(), 3600, 90 * 86400)
      : undefined;

    // Per-StatefulSet elasticsearch.yml.
    const masterEligible = tiers.filter((t) => t.masterEligible);
    this.initialMasterNodes = masterEligible.flatMap((t) => t.sets.flatMap((s) => [...Array(s.replicas).keys()].map((i) => `${s.name}-${i}`)));
    const ymls: Record<string, string> = {};
    for (const t of tiers) {
      for (const s of t.sets) {
        const settings: Record<string, YmlValue> = {
          'cluster.name': name,
          'node.name': '${POD_NAME}',
          'node.roles': t.roles,
          'network.host': '0.0.0.0',
          'network.publish_host': '${POD_IP}',
          'http.port': ELASTICSEARCH_HTTP_PORT,
          'transport.port': ELASTICSEARCH_TRANSPORT_PORT,
          'discovery.seed_hosts': [`${mastersSvc}:${ELASTICSEARCH_TRANSPORT_PORT}`],
          'path.data': DATA_DIR,
          'xpack.security.enabled': true,
          'xpack.security.transport.ssl.enabled': true,
          // One certificate for all nodes, checked against the CA (nodes connect to each other's pod IPs).
          'xpack.security.transport.ssl.verification_mode': 'certificate',
          'xpack.security.transport.ssl.key': 'certs/transport/tls.key',
          'xpack.security.transport.ssl.certificate': 'certs/transport/tls.crt',
          'xpack.security.transport.ssl.certificate_authorities': ['certs/transport/ca.crt'],
          'xpack.security.http.ssl.enabled': true,
          'xpack.security.http.ssl.key': 'certs/http/tls.key',
          'xpack.security.http.ssl.certificate': 'certs/http/tls.crt',
          'xpack.security.http.ssl.certificate_authorities': ['certs/http/ca.crt'],
        };
        if (major >= 8) settings['xpack.security.enrollment.enabled'] = false;
        // The GeoIP downloader needs internet access and turns a fresh cluster yellow without it.
        settings['ingest.geoip.downloader.enabled'] = false;
        if (props.allowMmap === false) settings['node.store.allow_mmap'] = false;
        if (zones) {
          settings['node.attr.zone'] = s.zone!;
          settings['cluster.routing.allocation.awareness.attributes'] = 'zone';
          if (zones.force) settings['cluster.routing.allocation.awareness.force.zone.values'] = zones.zones.join(',');
        }
        Object.assign(settings, s3Settings);
        Object.assign(settings, t.props.config ?? {});
        ymls[`${s.name}.yml`] = renderElasticsearchYml(settings);
      }
    }
    this.configMap = new k8s.KubeConfigMap(this, 'Config', { metadata: { name: `${name}-config`, labels: labels('elasticsearch') }, data: ymls });
    const scripts: Record<string, string> = {
      'prepare-config.sh': prepareConfigScript(),
      'entrypoint.sh': entrypointScript(),
      'readiness.sh': readinessScript(),
      'pre-stop.sh': preStopScript(),
      'setup.sh': setupScript(),
    };
    this.scriptsConfigMap = new k8s.KubeConfigMap(this, 'Scripts', { metadata: { name: `${name}-scripts`, labels: labels('elasticsearch') }, data: scripts });

    // Services.
    const clientTier = props.coordinating ? 'coordinating' : 'hot';
    const httpPort = { name: 'https', port: ELASTICSEARCH_HTTP_PORT, targetPort: k8s.IntOrString.fromString('https') };
    const transportPort = { name: 'transport', port: ELASTICSEARCH_TRANSPORT_PORT, targetPort: k8s.IntOrString.fromString('transport') };
    this.nodesService = new k8s.KubeService(this, 'NodesService', {
      metadata: { name: nodesSvc, labels: labels('elasticsearch') },
      spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector: nodeSelector, ports: [httpPort, transportPort] },
    });
    // Discovery must find masters before any node is ready.
    this.mastersService = new k8s.KubeService(this, 'MastersService', {
      metadata: { name: mastersSvc, labels: labels('elasticsearch') },
      spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector: { ...nodeSelector, [MASTER_LABEL]: 'true' }, ports: [transportPort] },
    });
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name, labels: labels('elasticsearch') },
      spec: { type: props.serviceType ?? ElasticsearchServiceType.CLUSTER_IP, selector: { ...nodeSelector, [CLIENT_LABEL]: 'true' }, ports: [httpPort] },
    });

    // StatefulSets.
    const podSecurity: k8s.PodSecurityContext = {
      runAsNonRoot: true,
      runAsUser: ES_UID,
      runAsGroup: ES_UID,
      fsGroup: ES_UID,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const hardened: k8s.SecurityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
    const s3Env: k8s.EnvVar[] = [];
    if (props.snapshots) {
      const t = props.snapshots.repository;
      s3Env.push(secretEnv('S3_DEFAULT_ACCESS_KEY', { secretName: t.credentialsSecret, key: t.accessKeyIdKey ?? 'AWS_ACCESS_KEY_ID' }));
      s3Env.push(secretEnv('S3_DEFAULT_SECRET_KEY', { secretName: t.credentialsSecret, key: t.secretAccessKeyKey ?? 'AWS_SECRET_ACCESS_KEY' }));
    }
    if (props.restore) {
      const t = props.restore.repository;
      s3Env.push(secretEnv('S3_RESTORE_ACCESS_KEY', { secretName: t.credentialsSecret, key: t.accessKeyIdKey ?? 'AWS_ACCESS_KEY_ID' }));
      s3Env.push(secretEnv('S3_RESTORE_SECRET_KEY', { secretName: t.credentialsSecret, key: t.secretAccessKeyKey ?? 'AWS_SECRET_ACCESS_KEY' }));
    }
    const byTier: Record<TierKey, ApiObject[]> = { master: [], hot: [], warm: [], cold: [], coordinating: [] };
    this.disruptionBudgets = [];
    for (const t of tiers) {
      const tierSelector = { ...nodeSelector, [TIER_LABEL]: t.d.short };
      const userScheduling = t.props.scheduling ?? {};
      const schedulingProps: SchedulingProps = zones ? {
        ...userScheduling,
        // Each StatefulSet is pinned to its zone: spreading within it is moot.
        zoneSpread: userScheduling.zoneSpread ?? { enabled: false },
      } : userScheduling;
      for (const s of t.sets) {
        const stsSelector = { ...nodeSelector, [STS_LABEL]: s.name };
        const zoneScheduling: SchedulingProps = zones ? {
          ...schedulingProps,
          nodeAffinity: [
            ...(schedulingProps.nodeAffinity ?? []),
            { key: (zones.topologyKey ?? TopologyKey.ZONE).key, operator: NodeOperator.IN, values: [s.zone!] },
          ],
        } : schedulingProps;
        const scheduling = renderScheduling(this, `${t.key}.scheduling`, zoneScheduling, tierSelector);
        const podLabels: Record<string, string> = {
          ...labels('elasticsearch'),
          [TIER_LABEL]: t.d.short,
          [STS_LABEL]: s.name,
          [MASTER_LABEL]: String(t.masterEligible),
          [CLIENT_LABEL]: String(t.key === clientTier),
        };
        // Only what the nodes run: a change of the setup script must not restart the cluster.
        const nodeScripts = [scripts['prepare-config.sh'], scripts['entrypoint.sh'], scripts['readiness.sh'], scripts['pre-stop.sh']];
        const hash = createHash('sha256').update(JSON.stringify([ymls[`${s.name}.yml`], nodeScripts, httpSecret, transportSecret])).digest('hex').slice(0, 16);
        const initContainers: k8s.Container[] = [];
        if (props.sysctlInitContainer) {
          initContainers.push({
            name: 'sysctl',
            image: image.image,
            imagePullPolicy: image.pullPolicy,
            command: ['sh', '-c', 'sysctl -w vm.max_map_count=262144'],
            resources: fixedResources(10, 100, 16, 64),
            securityContext: { privileged: true, runAsUser: 0, runAsNonRoot: false },
          });
        }
        initContainers.push({
          name: 'prepare-config',
          image: image.image,
          imagePullPolicy: image.pullPolicy,
          command: ['bash', '/mnt/scripts/prepare-config.sh'],
          env: [
            ...NODE_IDENTITY_ENV,
            { name: 'CONFIG_DIR', value: '/mnt/config' },
            { name: 'SOURCE_CONFIG', value: '/mnt/es-config/elasticsearch.yml' },
            secretEnv('ELASTIC_PASSWORD', elasticRef),
            ...s3Env,
          ],
          resources: fixedResources(100, 1000, 256, 512),
          securityContext: hardened,
          volumeMounts: [
            { name: 'config', mountPath: '/mnt/config' },
            { name: 'config-source', mountPath: '/mnt/es-config', readOnly: true },
            { name: 'scripts', mountPath: '/mnt/scripts', readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        });
        const sts = new k8s.KubeStatefulSet(this, `StatefulSet-${s.name}`, {
          metadata: { name: s.name, labels: podLabels },
          spec: {
            serviceName: nodesSvc,
            replicas: s.replicas,
            // Master-eligible nodes must start together to form the cluster.
            podManagementPolicy: 'Parallel',
            // Zone-aware tiers have one StatefulSet per zone, and StatefulSets roll independently: rolling them would
            // restart a node in every zone at once (all masters, both copies of a shard). They wait for the operator to
            // restart them zone by zone (docs/elasticsearch.md, Upgrade).
            updateStrategy: t.sets.length > 1 ? { type: 'OnDelete' } : { type: 'RollingUpdate' },
            persistentVolumeClaimRetentionPolicy: retentionPolicy(t.storage),
            selector: { matchLabels: stsSelector },
            template: {
              metadata: { labels: podLabels, annotations: { 'checksum/config': hash } },
              spec: {
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                // A node hands over its shards and flushes on shutdown.
                terminationGracePeriodSeconds: 180,
                imagePullSecrets,
                securityContext: podSecurity,
                ...scheduling,
                initContainers,
                containers: [{
                  name: 'elasticsearch',
                  image: image.image,
                  imagePullPolicy: image.pullPolicy,
                  // tini (the image's own init) forwards signals and reaps children, as with the image's entrypoint.
                  command: ['/bin/tini', '--', 'bash', '/mnt/scripts/entrypoint.sh'],
                  env: [
                    ...NODE_IDENTITY_ENV,
                    { name: 'ES_JAVA_OPTS', value: `-Xms${t.heapMiB}m -Xmx${t.heapMiB}m ${GC_LOG_OPTS}` },
                    { name: 'MASTER_ELIGIBLE', value: String(t.masterEligible) },
                    { name: 'INITIAL_MASTER_NODES', value: t.masterEligible ? this.initialMasterNodes.join(',') : '' },
                    { name: 'DATA_DIR', value: DATA_DIR },
                    { name: 'ES_PORT', value: String(ELASTICSEARCH_HTTP_PORT) },
                    { name: 'CA_CERT', value: `${CERTS}/http/ca.crt` },
                    { name: 'RECOVERED_MARKER', value: '/tmp/.cdk8s-recovered' },
                    // Not ELASTIC_PASSWORD_FILE: bin/elasticsearch-env reads that name itself and refuses to start when
                    // ELASTIC_PASSWORD is set too.
                    { name: 'PROBE_PASSWORD_FILE', value: '/mnt/elastic-password/password' },
                    // The client Service name is in every HTTP certificate: the probe checks the certificate against it.
                    { name: 'ES_HOST', value: name },
                    // The other masters are asked at <pod>.<nodes Service> (a name in the HTTP certificate) before a
                    // node with an empty volume bootstraps; a peer's JVM answers within this.
                    { name: 'NODES_SERVICE', value: nodesSvc },
                    { name: 'PEER_WAIT_SECONDS', value: '90' },
                    // Registered by preStop for a restart: at least the grace period, the init containers' keystore
                    // JVMs, rescheduling and boot, so the node's replicas wait instead of being rebuilt elsewhere.
                    { name: 'SHUTDOWN_ALLOCATION_DELAY', value: '10m' },
                    secretEnv('ELASTIC_PASSWORD', elasticRef),
                  ],
                  lifecycle: { preStop: { exec: { command: ['bash', '/mnt/scripts/pre-stop.sh'] } } },
                  ports: [
                    { name: 'https', containerPort: ELASTICSEARCH_HTTP_PORT, protocol: 'TCP' },
                    { name: 'transport', containerPort: ELASTICSEARCH_TRANSPORT_PORT, protocol: 'TCP' },
                  ],
                  resources: renderResources(t.resources),
                  securityContext: hardened,
                  // First start (JVM, security index, recovery) may take minutes: allow 10.
                  startupProbe: { tcpSocket: { port: k8s.IntOrString.fromString('https') }, periodSeconds: 10, failureThreshold: 60, timeoutSeconds: 5 },
                  livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('transport') }, periodSeconds: 20, failureThreshold: 5, timeoutSeconds: 5 },
                  // Up to four requests of at most 4 s each (two logins during a password rotation, then two checks).
                  readinessProbe: { exec: { command: ['bash', '/mnt/scripts/readiness.sh'] }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 20 },
                  volumeMounts: [
                    { name: 'data', mountPath: DATA_DIR },
                    { name: 'config', mountPath: `${ES_HOME}/config` },
                    { name: 'http-certs', mountPath: `${CERTS}/http`, readOnly: true },
                    { name: 'transport-certs', mountPath: `${CERTS}/transport`, readOnly: true },
                    { name: 'scripts', mountPath: '/mnt/scripts', readOnly: true },
                    { name: 'elastic-password', mountPath: '/mnt/elastic-password', readOnly: true },
                    { name: 'tmp', mountPath: '/tmp' },
                    { name: 'logs', mountPath: `${ES_HOME}/logs` },
                  ],
                }],
                volumes: [
                  { name: 'config-source', configMap: { name: `${name}-config`, items: [{ key: `${s.name}.yml`, path: 'elasticsearch.yml' }] } },
                  { name: 'config', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
                  { name: 'scripts', configMap: { name: `${name}-scripts`, defaultMode: 0o555 } },
                  { name: 'http-certs', secret: { secretName: httpSecret, defaultMode: 0o440 } },
                  { name: 'transport-certs', secret: { secretName: transportSecret, defaultMode: 0o440 } },
                  { name: 'elastic-password', secret: { secretName: elasticRef.secretName, items: [{ key: elasticRef.key, path: 'password' }], defaultMode: 0o440 } },
                  { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
                  { name: 'logs', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
                ],
              },
            },
            volumeClaimTemplates: [volumeClaimTemplate('data', t.storage, { ...labels('elasticsearch'), [TIER_LABEL]: t.d.short })],
          },
        });
        byTier[t.key].push(sts);
      }
      // One voluntary disruption per tier: a drain never takes two copies of a shard or two masters together.
      this.disruptionBudgets.push(createDisruptionBudget(this, `DisruptionBudget-${t.key}`, {
        name: `${name}-${t.d.short}`, labels: labels('elasticsearch'), selector: tierSelector, maxUnavailable: 1,
      }));
    }
    this.masterStatefulSets = byTier.master;
    this.hotStatefulSets = byTier.hot;
    this.warmStatefulSets = byTier.warm;
    this.coldStatefulSets = byTier.cold;
    this.coordinatingStatefulSets = byTier.coordinating;
    this.statefulSets = tiers.flatMap((t) => byTier[t.key]);

    this.networkPolicy = createNetworkPolicy(this, 'NetworkPolicy', props.networkPolicy, {
      name,
      labels: labels('elasticsearch'),
      memberSelector: selectorLabels(ident),
      servicePorts: props.kibana ? [ELASTICSEARCH_HTTP_PORT, KIBANA_PORT] : [ELASTICSEARCH_HTTP_PORT],
      metricsPorts: monitoringOn ? [ELASTICSEARCH_EXPORTER_PORT] : [],
    });

    // Setup Job: a new name when what it applies changes, so the change runs.
    const setupEnv: k8s.EnvVar[] = [
      { name: 'ES_URL', value: `https://${name}:${ELASTICSEARCH_HTTP_PORT}` },
      { name: 'CA_CERT', value: '/mnt/certs/ca.crt' },
      { name: 'SETUP_DIR', value: '/mnt/setup' },
      { name: 'WAIT_TIMEOUT_SECONDS', value: '1800' },
      { name: 'ROLLOVER_ALIASES', value: templates.rolloverAliases.join(' ') },
      secretEnv('ELASTIC_PASSWORD', elasticRef),
    ];
    if (kibanaRef) setupEnv.push(secretEnv('KIBANA_SYSTEM_PASSWORD', kibanaRef));
    if (exporterRef) setupEnv.push({ name: 'EXPORTER_USER', value: EXPORTER_USER }, secretEnv('EXPORTER_PASSWORD', exporterRef));
    if (repositoryName) setupEnv.push({ name: 'SNAPSHOT_REPOSITORY', value: repositoryName }, { name: 'SLM_POLICY', value: `${name}-daily` });
    if (props.restore) setupEnv.push({ name: 'RESTORE_SNAPSHOT', value: props.restore.snapshot });
    const setupHash = createHash('sha256').update(JSON.stringify([setupData, scripts['setup.sh'], setupEnv])).digest('hex').slice(0, 8);
    this.setupConfigMap = new k8s.KubeConfigMap(this, 'SetupConfig', { metadata: { name: `${name}-setup-${setupHash}`, labels: labels('setup') }, data: setupData });
    const setupLabels = labels('setup');
    // The Job name hashes all of its content (oneShotJob), image and labels included, not only what it applies.
    this.setupJob = oneShotJob(this, 'SetupJob', {
      baseName: `${name}-setup`,
      labels: setupLabels,
      spec: {
        backoffLimit: 20,
        activeDeadlineSeconds: 7200,
        template: {
          metadata: { labels: setupLabels },
          spec: {
            restartPolicy: 'OnFailure',
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            imagePullSecrets,
            securityContext: podSecurity,
            containers: [{
              name: 'setup',
              image: image.image,
              imagePullPolicy: image.pullPolicy,
              command: ['bash', '/mnt/scripts/setup.sh'],
              env: setupEnv,
              resources: fixedResources(20, 500, 64, 256),
              securityContext: hardened,
              volumeMounts: [
                { name: 'scripts', mountPath: '/mnt/scripts', readOnly: true },
                { name: 'setup', mountPath: '/mnt/setup', readOnly: true },
                { name: 'certs', mountPath: '/mnt/certs', readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'scripts', configMap: { name: `${name}-scripts`, defaultMode: 0o555 } },
              { name: 'setup', configMap: { name: `${name}-setup-${setupHash}` } },
              { name: 'certs', secret: { secretName: httpSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('16Mi') } },
            ],
          },
        },
      },
    });

    // Monitoring: one exporter for the whole cluster (--es.all), so cluster health is one series.
    const tierInfo: TierMetricsInfo[] = tiers.map((t) => ({ title: t.d.title, prefix: `${name}-${t.d.short}-`, nodes: t.replicas }));
    if (monitoringOn && exporterRef) {
      const exporterLabels = labels('metrics');
      const exporterSelector = selectorLabels(ident, 'metrics');
      this.exporterDeployment = new k8s.KubeDeployment(this, 'Exporter', {
        metadata: { name: `${name}-exporter`, labels: exporterLabels },
        spec: {
          replicas: 1,
          selector: { matchLabels: exporterSelector },
          template: {
            metadata: { labels: exporterLabels },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              imagePullSecrets,
              securityContext: { runAsNonRoot: true, runAsUser: NOBODY, runAsGroup: NOBODY, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [{
                name: 'exporter',
                image: exporterImage.image,
                imagePullPolicy: exporterImage.pullPolicy,
                args: [
                  `--es.uri=https://${name}:${ELASTICSEARCH_HTTP_PORT}`,
                  '--es.all',
                  '--es.ca=/mnt/certs/ca.crt',
                  '--es.timeout=8s',
                  ...(repositoryName ? ['--collector.snapshots'] : []),
                  `--web.listen-address=:${ELASTICSEARCH_EXPORTER_PORT}`,
                ],
                env: [{ name: 'ES_USERNAME', value: EXPORTER_USER }, secretEnv('ES_PASSWORD', exporterRef)],
                ports: [{ name: 'metrics', containerPort: ELASTICSEARCH_EXPORTER_PORT, protocol: 'TCP' }],
                resources: fixedResources(50, 250, 32, 128),
                securityContext: hardened,
                livenessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 30, timeoutSeconds: 5 },
                readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 15, timeoutSeconds: 5 },
                volumeMounts: [{ name: 'certs', mountPath: '/mnt/certs', readOnly: true }],
              }],
              volumes: [{ name: 'certs', secret: { secretName: httpSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }] } }],
            },
          },
        },
      });
      this.metricsService = new k8s.KubeService(this, 'MetricsService', {
        metadata: { name: `${name}-metrics`, labels: exporterLabels },
        spec: { selector: exporterSelector, ports: [{ name: 'metrics', port: ELASTICSEARCH_EXPORTER_PORT, targetPort: k8s.IntOrString.fromString('metrics') }] },
      });
      const job = `${name}-metrics`;
      const sel = namespace ? `job="${job}",namespace="${namespace}"` : `job="${job}"`;
      const dataNodes = tiers.filter((t) => t.roles.some((r) => r.startsWith('data'))).reduce((a, t) => a + t.replicas, 0);
      const mon = createMonitoring(this, props.monitoring, {
        name,
        namespace,
        labels: exporterLabels,
        serviceSelector: exporterSelector,
        metricsPortName: 'metrics',
        alerts: elasticsearchAlerts({
          selector: sel,
          instance: name,
          tiers: tierInfo,
          totalNodes: tiers.reduce((a, t) => a + t.replicas, 0),
          dataNodes,
          snapshotRepository: repositoryName,
          maxSnapshotAgeSeconds,
        }),
        ruleGroup: `elasticsearch.${name}`,
        dashboard: elasticsearchDashboard({
          uid: `elasticsearch-${name}`.slice(0, 40), title: `Elasticsearch / ${name}`, job, namespace, tiers: tierInfo, snapshotRepository: repositoryName,
        }),
      });
      this.serviceMonitor = mon?.serviceMonitor;
      this.prometheusRule = mon?.prometheusRule;
      this.dashboard = mon?.dashboard;
      this.alerts = mon?.alerts ?? [];
    } else {
      this.alerts = [];
    }

    // Kibana.
    if (props.kibana && kibanaRef && kibanaKeyRef) {
      const kibanaImage = resolveImage(this, 'kibana.image', KIBANA_IMAGE, version.imageTag, props.kibana.image, props.registry);
      const kibanaResources = resolveResources(this, 'kibana.resources', props.kibana.resources, {
        cpuRequest: Cpu.millis(500), cpuLimit: Cpu.units(1), memoryRequest: Size.gibibytes(1), memoryLimit: Size.gibibytes(1),
      });
      checkRule(this, sizeBytes(kibanaResources.memoryLimit) >= 2 ** 29, 'kibana.resources.memory.limit', sizeQuantity(kibanaResources.memoryLimit), 'must be at least 512Mi');
      const kLabels = labels('kibana');
      const kSelector = selectorLabels(ident, 'kibana');
      const kScheduling = renderScheduling(this, 'kibana.scheduling', props.kibana.scheduling ?? {
        antiAffinity: { mode: AntiAffinityMode.PREFERRED }, zoneSpread: { enabled: false },
      }, kSelector);
      const https = kibanaSecret !== undefined;
      const kdir = '/usr/share/kibana/config/certs';
      // kibana.yml; secrets are substituted from environment variables that Kibana's docker entrypoint does not turn
      // into command-line flags (it would for ELASTICSEARCH_PASSWORD), so they never become process arguments.
      const kibanaYml: Record<string, YmlValue> = {
        'server.name': `${name}-kibana`,
        'server.host': '0.0.0.0',
        'server.port': KIBANA_PORT,
        'elasticsearch.hosts': [`https://${name}:${ELASTICSEARCH_HTTP_PORT}`],
        'elasticsearch.username': 'kibana_system',
        'elasticsearch.password': '${KIBANA_ES_PASSWORD}',
        'elasticsearch.ssl.certificateAuthorities': [`${kdir}/es/ca.crt`],
        'elasticsearch.ssl.verificationMode': 'full',
        'xpack.encryptedSavedObjects.encryptionKey': '${KIBANA_ENCRYPTION_KEY}',
        'xpack.security.encryptionKey': '${KIBANA_ENCRYPTION_KEY}',
        'xpack.reporting.encryptionKey': '${KIBANA_ENCRYPTION_KEY}',
      };
      if (https) {
        kibanaYml['server.ssl.enabled'] = true;
        kibanaYml['server.ssl.certificate'] = `${kdir}/kibana/tls.crt`;
        kibanaYml['server.ssl.key'] = `${kdir}/kibana/tls.key`;
      }
      const kibanaConfig = renderElasticsearchYml(kibanaYml);
      this.kibanaConfigMap = new k8s.KubeConfigMap(this, 'KibanaConfig', { metadata: { name: `${name}-kibana`, labels: kLabels }, data: { 'kibana.yml': kibanaConfig } });
      const env: k8s.EnvVar[] = [secretEnv('KIBANA_ES_PASSWORD', kibanaRef), secretEnv('KIBANA_ENCRYPTION_KEY', kibanaKeyRef)];
      const scheme = https ? 'HTTPS' : 'HTTP';
      this.kibanaDeployment = new k8s.KubeDeployment(this, 'Kibana', {
        metadata: { name: `${name}-kibana`, labels: kLabels },
        spec: {
          replicas: 1,
          // Kibana forbids mixed versions (saved-object migrations): the old pod stops before the new one starts.
          strategy: { type: 'Recreate' },
          selector: { matchLabels: kSelector },
          template: {
            metadata: { labels: kLabels, annotations: { 'checksum/config': createHash('sha256').update(kibanaConfig).digest('hex').slice(0, 16) } },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              imagePullSecrets,
              securityContext: { ...podSecurity, fsGroupChangePolicy: undefined },
              ...kScheduling,
              containers: [{
                name: 'kibana',
                image: kibanaImage.image,
                imagePullPolicy: kibanaImage.pullPolicy,
                env,
                ports: [{ name: 'http', containerPort: KIBANA_PORT, protocol: 'TCP' }],
                resources: renderResources(kibanaResources),
                securityContext: hardened,
                startupProbe: { tcpSocket: { port: k8s.IntOrString.fromString('http') }, periodSeconds: 10, failureThreshold: 30, timeoutSeconds: 5 },
                livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('http') }, periodSeconds: 20, failureThreshold: 5, timeoutSeconds: 5 },
                readinessProbe: { httpGet: { path: '/login', port: k8s.IntOrString.fromString('http'), scheme }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 },
                volumeMounts: [
                  { name: 'config', mountPath: '/usr/share/kibana/config/kibana.yml', subPath: 'kibana.yml', readOnly: true },
                  { name: 'es-ca', mountPath: `${kdir}/es`, readOnly: true },
                  ...(https ? [{ name: 'kibana-certs', mountPath: `${kdir}/kibana`, readOnly: true }] : []),
                  { name: 'data', mountPath: '/usr/share/kibana/data' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              }],
              volumes: [
                { name: 'config', configMap: { name: `${name}-kibana` } },
                { name: 'es-ca', secret: { secretName: httpSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                ...(https ? [{ name: 'kibana-certs', secret: { secretName: kibanaSecret!, defaultMode: 0o440 } }] : []),
                { name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
                { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
              ],
            },
          },
        },
      });
      this.kibanaService = new k8s.KubeService(this, 'KibanaService', {
        metadata: { name: `${name}-kibana`, labels: kLabels },
        spec: {
          type: props.kibana.serviceType ?? ElasticsearchServiceType.CLUSTER_IP,
          selector: kSelector,
          ports: [{ name: 'http', port: KIBANA_PORT, targetPort: k8s.IntOrString.fromString('http') }],
        },
      });
      this.kibanaUrl = `${https ? 'https' : 'http'}://${fqdn(`${name}-kibana`)}:${KIBANA_PORT}`;
    }

    // Capacity: warnings when the configured storage is below what the expected data needs.
    if (props.capacity) {
      const c = props.capacity;
      const replicas = checkInteger(this, 'capacity.replicas', c.replicas ?? 1, 0, 10);
      checkRule(this, sizeBytes(c.sourceData) > 0, 'capacity.sourceData', sizeQuantity(c.sourceData), 'must be positive');
      const workload = c.workload ?? ElasticsearchWorkload.GENERAL;
      const plan = ElasticsearchCapacity.plan({
        sourceData: c.sourceData, replicas, growth: c.growth, workload, nodeMemory: hot.resources.memoryLimit,
      });
      this.capacityPlan = plan;
      const dataTiers = tiers.filter((t) => t.roles.some((r) => r.startsWith('data')));
      const totalGiB = dataTiers.reduce((a, t) => a + t.replicas * sizeBytes(t.storage.size) / 2 ** 30, 0);
      const gib = (x: number) => `${Math.ceil(x)}Gi`;
      if (totalGiB < plan.minimumStorageGiB) {
        warn(this, 'capacity.sourceData', sizeQuantity(c.sourceData), `the data tiers hold ${gib(totalGiB)} but ${gib(plan.minimumStorageGiB)} is the minimum `
          + `(source x (1 + ${replicas} replicas) x 1.1 / 0.95 / 0.8); plan ${plan.dataNodes} data nodes of ${plan.storagePerNodeGiB}Gi`);
      } else if (totalGiB < plan.recommendedStorageGiB) {
        warn(this, 'capacity.sourceData', sizeQuantity(c.sourceData), `the data tiers hold ${gib(totalGiB)}: disk usage would exceed 85% (recommended ${gib(plan.recommendedStorageGiB)})`);
      }
      for (const t of dataTiers) {
        const memGiB = sizeBytes(t.resources.memoryLimit) / 2 ** 30;
        const maxDisk = ElasticsearchCapacity.maxDiskPerNodeGiB(memGiB, workload);
        const disk = sizeBytes(t.storage.size) / 2 ** 30;
        if (disk > maxDisk) {
          warn(this, `${t.key}.storage.size`, sizeQuantity(t.storage.size),
            `one ${t.key} node with ${gib(memGiB)} memory should serve at most ${gib(maxDisk)} for a ${workload} workload (memory x ${ElasticsearchCapacity.diskToMemoryRatio(workload)}): add nodes or memory`);
        }
      }
    }
    const largestCpu = Math.max(...tiers.map((t) => cpuMillis(t.resources.cpuLimit ?? t.resources.cpuRequest) / 1000));
    const totalNodes = tiers.reduce((a, t) => a + t.replicas, 0);
    if (totalNodes > ElasticsearchCapacity.maxClusterNodes(largestCpu)) {
      warn(this, 'replicas', totalNodes, `more than CPU x 5 (${ElasticsearchCapacity.maxClusterNodes(largestCpu)}) nodes: the reference's limit for nodes of ${largestCpu} CPU`);
    }
  }

  private resolveZones(props: ElasticsearchClusterProps): ElasticsearchZoneAwarenessProps | undefined {
    const z = props.zoneAwareness;
    if (!z) return undefined;
    checkRule(this, z.zones.length >= 2 && z.zones.length <= 6, 'zoneAwareness.zones', z.zones, 'must list 2 to 6 zones');
    z.zones.forEach((zone, i) => {
      checkDnsLabel(this, `zoneAwareness.zones[${i}]`, zone, 20);
      checkRule(this, z.zones.indexOf(zone) === i, `zoneAwareness.zones[${i}]`, zone, 'is listed twice');
    });
    checkRule(this, (z.topologyKey ?? TopologyKey.ZONE).key.length > 0, 'zoneAwareness.topologyKey', z.topologyKey?.key, 'must be a node label key');
    return z;
  }

  private resolveTier(name: string, key: TierKey, p: ElasticsearchNodeTierProps, roles: string[], masterEligible: boolean, zones?: string[]): Tier {
    const d = TIER_DEFAULTS[key];
    const replicas = key === 'master'
      ? checkOneOf(this, 'masters.replicas', p.replicas ?? d.replicas, [3, 5])
      : checkInteger(this, `${key}.replicas`, p.replicas ?? d.replicas, d.min, d.max);
    const prop = key === 'master' ? 'masters' : key;
    const resources = resolveResources(this, `${prop}.resources`, p.resources, d.resources);
    const memMiB = Math.floor(sizeBytes(resources.memoryLimit) / 2 ** 20);
    checkRule(this, memMiB >= 1024, `${prop}.resources.memory.limit`, sizeQuantity(resources.memoryLimit), 'must be at least 1Gi (Elasticsearch needs a heap of 512Mi or more)');
    let heapMiB = Math.floor(sizeBytes(ElasticsearchCapacity.heapFor(resources.memoryLimit)) / 2 ** 20);
    if (p.heapSize) {
      heapMiB = Math.floor(sizeBytes(p.heapSize) / 2 ** 20);
      checkRule(this, heapMiB >= 256, `${prop}.heapSize`, sizeQuantity(p.heapSize), 'must be at least 256Mi');
      checkRule(this, heapMiB < 32 * 1024, `${prop}.heapSize`, sizeQuantity(p.heapSize), 'must be below 32Gi (compressed object pointers; 31Gi at most)');
      checkRule(this, heapMiB <= memMiB * 0.75, `${prop}.heapSize`, sizeQuantity(p.heapSize),
        `must be at most 75% of the memory limit (${sizeQuantity(resources.memoryLimit)}): off-heap memory and the page cache need the rest`);
      if (heapMiB > memMiB / 2) warn(this, `${prop}.heapSize`, sizeQuantity(p.heapSize), 'more than half the memory limit leaves little for the filesystem cache');
    }
    const storage = resolveStorage(this, `${prop}.storage`, p.storage, d.storage);
    for (const [k, v] of Object.entries(p.config ?? {})) {
      checkRule(this, /^[a-z0-9_]+(\.[a-z0-9_-]+)+$/.test(k), `${prop}.config["${k}"]`, k, 'must be an elasticsearch.yml setting name (dotted lowercase)');
      checkRule(this, !isReservedSetting(k), `${prop}.config["${k}"]`, k,
        'is managed by the construct (cluster/node names, roles, network, discovery, paths, security, zone awareness, S3 clients)');
      checkRule(this, !/[\r\n]/.test(v), `${prop}.config["${k}"]`, v, 'must be a single line');
      for (const ph of placeholdersOf(v).filter((x) => !x.hasDefault)) {
        checkRule(this, NODE_IDENTITY_ENV.some((e) => e.name === ph.name), `${prop}.config["${k}"]`, v,
          `must not reference \${${ph.name}}: every process that loads elasticsearch.yml (the keystore CLI included) fails on an unset `
          + `variable, and the pods define only ${NODE_IDENTITY_ENV.map((e) => e.name).join(', ')} (or give a default: \${${ph.name}:value})`);
      }
    }
    const base = `${name}-${d.short}`;
    let sets: { name: string; zone?: string; replicas: number }[];
    if (zones) {
      sets = zones.map((zone, i) => ({ name: `${base}-${zone}`, zone, replicas: Math.floor(replicas / zones.length) + (i < replicas % zones.length ? 1 : 0) }))
        .filter((s) => s.replicas > 0);
    } else {
      sets = [{ name: base, replicas }];
    }
    for (const s of sets) {
      // The controller-revision-hash label (<name>-<10 chars>) must fit in 63 characters.
      checkRule(this, s.name.length <= 52, zones ? 'zoneAwareness.zones' : 'name', s.name,
        'makes a StatefulSet name longer than 52 characters: shorten the instance name or the zone names');
    }
    return { key, d, props: p, replicas, roles, masterEligible, resources, heapMiB, storage, sets };
  }
}
