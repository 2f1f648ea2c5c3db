import { createHash } from 'crypto';
import { ApiObject, Chart, Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { redisAlerts } from './alerts';
import { renderRedisConf, renderSentinelConfTemplate, RedisServerConfig } from './config';
import { redisDashboard } from './dashboard';
import { clusterPreStopScript, redisProbeScript, sentinelProbeScript } from './probes';
import {
  backupDumpScript,
  clusterFormationScript,
  redisEntrypointScript,
  restoreSeedScript,
  sentinelEntrypointScript,
} from './scripts';
import { createDisruptionBudget } from '../availability/disruption-budget';
import { createNetworkPolicy } from '../availability/network-policy';
import { backupFailedAlert, BackupProps, createBackupCronJob, restoreDownloadContainer, RestoreProps } from '../backup/backup';
import { MiddlewareClusterProps } from '../core/cluster-props';
import { ImageProps, pullSecrets, ResolvedImage, resolveImage } from '../core/images';
import { oneShotJob } from '../core/jobs';
import { componentLabels, InstanceIdentity, selectorLabels } from '../core/labels';
import { fixedResources, renderResources, resolveResources, sizeBytes } from '../core/resources';
import { checkDnsLabel, checkInteger, checkRule, fail } from '../core/validation';
import { SIDECAR_IMAGES } from '../core/versions';
import { bindCredentials, Credentials, secretEnv, SecretKeyRef } from '../credentials/credentials';
import { AlertRule } from '../monitoring/alerts';
import { createMonitoring } from '../monitoring/monitoring';
import { renderScheduling, SchedulingProps } from '../scheduling/scheduling';
import { resolveStorage, retentionPolicy, StorageProps, volumeClaimTemplate } from '../storage/storage';

/** Redis topologies. */
export enum RedisMode {
  /** Redis Cluster: data sharded over N masters, each with M replicas; clients must be cluster-aware. */
  CLUSTER = 'cluster',
  /** One master, replicas, and Redis Sentinel for automatic failover; clients ask the sentinels for the master. */
  SENTINEL = 'sentinel',
  /** One Redis server, no replication: for caches and development. */
  STANDALONE = 'standalone',
}

/** A Redis version and the image tag that provides it. */
export class RedisVersion {
  /** Redis 7.2 (the default). */
  public static readonly V7_2 = new RedisVersion('7.2', '7.2.16');
  /** Redis 6.2. */
  public static readonly V6_2 = new RedisVersion('6.2', '6.2.24');
  /**
   * A specific image tag of the official image, e.g. `7.2.10`. Only 6.2.x and 7.x tags are accepted.
   * @param tag image tag (`<major>.<minor>.<patch>`, optionally with a suffix like `-bookworm`)
   */
  public static ofTag(tag: string): RedisVersion {
    const m = /^(\d+)\.(\d+)\.\d+([-.][A-Za-z0-9.-]+)?$/.exec(tag);
    const majorMinor = m ? `${m[1]}.${m[2]}` : tag;
    return new RedisVersion(majorMinor, tag);
  }
  private constructor(
    /** `major.minor`, e.g. `7.2`. */
    public readonly majorMinor: string,
    /** Image tag. */
    public readonly imageTag: string,
  ) {}
}

/** How Redis persists data to its volume. */
export enum RedisPersistence {
  /** Append-only file with fsync every second, plus RDB snapshots (the safest; default). */
  AOF_AND_RDB = 'aof+rdb',
  /** Append-only file only. */
  AOF = 'aof',
  /** RDB snapshots only (loses writes since the last snapshot on a crash). */
  RDB = 'rdb',
  /** Nothing persisted (pure cache; a restart empties the node). */
  NONE = 'none',
}

/** What Redis evicts when it reaches maxmemory. */
export enum EvictionPolicy {
  /** Reject writes with an error (data store semantics; default). */
  NOEVICTION = 'noeviction',
  ALLKEYS_LRU = 'allkeys-lru',
  ALLKEYS_LFU = 'allkeys-lfu',
  ALLKEYS_RANDOM = 'allkeys-random',
  VOLATILE_LRU = 'volatile-lru',
  VOLATILE_LFU = 'volatile-lfu',
  VOLATILE_RANDOM = 'volatile-random',
  VOLATILE_TTL = 'volatile-ttl',
}

/** Props of a RedisCluster. */
export interface RedisClusterProps extends MiddlewareClusterProps {
  /**
   * Topology.
   * @default RedisMode.CLUSTER
   */
  readonly mode?: RedisMode;
  /**
   * Redis version (image tag of the official image).
   * @default RedisVersion.V7_2
   */
  readonly version?: RedisVersion;
  /**
   * Cluster mode: number of masters (shards), at least 3.
   * @default 3
   */
  readonly masters?: number;
  /**
   * Replicas per master (cluster mode) or replicas of the single master (sentinel mode).
   * @default 1 in cluster mode, 2 in sentinel mode
   */
  readonly replicasPerMaster?: number;
  /**
   * Sentinel mode: number of sentinels (odd, at least 3).
   * @default 3
   */
  readonly sentinels?: number;
  /**
   * Resources of each Redis container. The memory limit also sets `maxmemory`.
   * @default cpu 250m request / 1 limit, memory 1Gi request and limit
   */
  readonly resources?: ContainerResources;
  /**
   * Share of the memory limit given to `maxmemory`, in percent. The rest covers fork copy-on-write
   * during persistence, replication buffers and fragmentation.
   * @default 75
   */
  readonly maxmemoryPercent?: number;
  /**
   * Eviction policy at maxmemory.
   * @default EvictionPolicy.NOEVICTION
   */
  readonly evictionPolicy?: EvictionPolicy;
  /**
   * Persistence.
   * @default RedisPersistence.AOF_AND_RDB
   */
  readonly persistence?: RedisPersistence;
  /**
   * Close client connections idle this long (0 = never).
   * @default Duration.seconds(0)
   */
  readonly clientIdleTimeout?: Duration;
  /**
   * Cluster mode: how long a node may be unreachable before it is considered failed.
   * @default Duration.seconds(15)
   */
  readonly clusterNodeTimeout?: Duration;
  /**
   * Free-form redis.conf directives (`name` -> `value`) that replace or extend the generated ones.
   * Passwords are not allowed here.
   * @default none
   */
  readonly config?: { [directive: string]: string };
  /**
   * Password of the `default` user.
   * @default Credentials.generate(): a Secret `<name>-auth` generated in the cluster
   */
  readonly password?: Credentials;
  /**
   * Persistent volume of each Redis pod.
   * @default 10Gi, the default StorageClass, PVCs retained
   */
  readonly storage?: StorageProps;
  /**
   * Scheduling of Redis pods. The anti-affinity applies to all Redis pods of the instance.
   * @default required anti-affinity on the hostname, zone spread preferred
   */
  readonly scheduling?: SchedulingProps;
  /**
   * Cluster mode: scheduling of the follower (replica) pods, when they need other rules than the leaders, e.g.
   * the reference platform's two-datacenter layout (leaders spread over one set of node labels, followers over
   * another). The anti-affinity still applies against all Redis pods of the instance.
   * @default the same as `scheduling`
   */
  readonly followerScheduling?: SchedulingProps;
  /**
   * Scheduling of sentinel pods (sentinel mode).
   * @default required anti-affinity on the hostname between sentinels, zone spread preferred
   */
  readonly sentinelScheduling?: SchedulingProps;
  /**
   * Redis image.
   * @default docker.io/library/redis with the version's tag
   */
  readonly image?: ImageProps;
  /**
   * redis_exporter image.
   * @default docker.io/oliver006/redis_exporter pinned by this library
   */
  readonly exporterImage?: ImageProps;
  /**
   * Image used by the password generator Job (needs `sh` and `curl`).
   * @default docker.io/curlimages/curl pinned by this library
   */
  readonly toolsImage?: ImageProps;
  /**
   * Scheduled RDB backups of every master to S3 (cluster and sentinel modes, and standalone).
   * @default no backups
   */
  readonly backup?: BackupProps;
  /**
   * Seed a new instance from a backup: each master's fresh volume is filled with its shard's RDB before
   * Redis starts. Volumes that already hold data are never touched.
   * @default start empty
   */
  readonly restore?: RestoreProps;
}

export const REDIS_PORT = 6379;
export const SENTINEL_PORT = 26379;
export const EXPORTER_PORT = 9121;
/** Cluster pre-stop gate: followers' head start for a leader deleted at the same moment, and the gate's bound. */
const ROLL_GATE_DELAY_SECONDS = 10;
const ROLL_GATE_SECONDS = 90;
const REDIS_IMAGE = 'docker.io/library/redis';
// A master is declared down after 10 s without answers; a failover that stalls is retried after 60 s.
const SENTINEL_DOWN_AFTER_MS = 10_000;
const SENTINEL_FAILOVER_TIMEOUT_MS = 60_000;
// The official image's redis user.
const REDIS_UID = 999;

/** What every pod of one instance shares; passed to the private builders. */
interface Shared {
  readonly name: string;
  readonly labels: (component: string) => Record<string, string>;
  readonly image: ResolvedImage;
  readonly imagePullSecrets?: { name: string }[];
  readonly podSecurity: k8s.PodSecurityContext;
  readonly hardened: k8s.SecurityContext;
  readonly auth: SecretKeyRef;
  readonly configHash: string;
}

/**
 * A production Redis: cluster (sharded), sentinel (HA master/replicas) or standalone, with persistence,
 * a generated or referenced password, anti-affinity, PodDisruptionBudget, NetworkPolicy, probes, an
 * exporter with ServiceMonitor, alerts and a dashboard, and optional S3 backups and restore.
 */
export class RedisCluster extends Construct {
  /** Instance name. */
  public readonly name: string;
  /** Topology. */
  public readonly mode: RedisMode;
  /** Host clients connect to: the client Service (cluster, standalone) or the sentinel Service (sentinel). */
  public readonly host: string;
  /** Port clients connect to (6379, or 26379 for the sentinels in sentinel mode). */
  public readonly port: number;
  /** Secret holding the password. */
  public readonly passwordSecretName: string;
  /** Key of the password in that Secret. */
  public readonly passwordSecretKey: string;
  /** Sentinel mode: the master name clients ask the sentinels for. */
  public readonly sentinelMasterName?: string;
  /** Number of shards (masters): N in cluster mode, 1 otherwise. */
  public readonly masters: number;
  /** Redis major.minor version, e.g. `7.2`. */
  public readonly versionMajorMinor: string;
  /** Pods created as the master of each shard, in shard order (`<name>-leader-<i>`, or `<name>-0`). */
  public readonly leaderPodNames: string[];
  /** Labels that select every Redis data pod of this instance (for NetworkPolicies and Services of your own). */
  public readonly podSelectorLabels: { [key: string]: string };
  /** redis.conf ConfigMap. */
  public readonly configMap: ApiObject;
  /** Scripts ConfigMap (entrypoint, probes, cluster formation, backup). */
  public readonly scriptsConfigMap: ApiObject;
  /** Client Service (cluster and standalone modes) or sentinel Service (sentinel mode). */
  public readonly service: ApiObject;
  /** Headless Service giving each Redis pod a stable DNS name. */
  public readonly headlessService: ApiObject;
  /** Service that exposes the exporters to the ServiceMonitor. */
  public readonly metricsService?: ApiObject;
  /** All StatefulSets (leaders and followers, or data and sentinels, or the one standalone). */
  public readonly statefulSets: ApiObject[];
  /** Cluster mode: the Job that forms the cluster. */
  public readonly clusterInitJob?: ApiObject;
  /** PodDisruptionBudgets. */
  public readonly disruptionBudgets: ApiObject[];
  /** The NetworkPolicy. */
  public readonly networkPolicy?: ApiObject;
  /** ServiceMonitor. */
  public readonly serviceMonitor?: ApiObject;
  /** PrometheusRule. */
  public readonly prometheusRule?: ApiObject;
  /** Dashboard ConfigMap or GrafanaDashboard. */
  public readonly dashboard?: ApiObject;
  /** The alerts as rendered. */
  public readonly alerts: AlertRule[];
  /** The backup CronJob. */
  public readonly backupCronJob?: ApiObject;
  /** The password generator Job (when the password is generated). */
  public readonly passwordGeneratorJob?: ApiObject;

  constructor(scope: Construct, id: string, props: RedisClusterProps = {}) {
    super(scope, id);
    const name = checkDnsLabel(this, 'name', props.name ?? id, 40);
    const mode = props.mode ?? RedisMode.CLUSTER;
    const version = props.version ?? RedisVersion.V7_2;
    checkRule(this, /^(6\.2|7\.\d+)$/.test(version.majorMinor), 'version', version.imageTag,
      'must be a Redis 6.2.x or 7.x image tag (e.g. RedisVersion.V7_2, RedisVersion.ofTag("7.2.10"))');
    const is7 = version.majorMinor.startsWith('7.');
    this.name = name;
    this.mode = mode;
    const namespace = Chart.of(this).namespace;

    // Topology rules.
    const masters = mode === RedisMode.CLUSTER ? checkInteger(this, 'masters', props.masters ?? 3, 3, 100) : 1;
    checkRule(this, mode === RedisMode.CLUSTER || props.masters === undefined, 'masters', props.masters,
      'is only allowed in cluster mode (sentinel and standalone have one master)');
    const replicas = mode === RedisMode.STANDALONE ? 0 : checkInteger(this, 'replicasPerMaster',
      props.replicasPerMaster ?? (mode === RedisMode.CLUSTER ? 1 : 2), mode === RedisMode.SENTINEL ? 1 : 0, 5);
    checkRule(this, mode !== RedisMode.STANDALONE || !props.replicasPerMaster, 'replicasPerMaster', props.replicasPerMaster,
      'must be 0 or unset in standalone mode (use sentinel mode for replicas)');
    const sentinels = mode === RedisMode.SENTINEL ? checkInteger(this, 'sentinels', props.sentinels ?? 3, 3, 9) : 0;
    checkRule(this, mode !== RedisMode.SENTINEL || sentinels % 2 === 1, 'sentinels', sentinels,
      'must be odd (3, 5, 7 or 9) so a majority can always agree on a failover');
    checkRule(this, mode === RedisMode.SENTINEL || props.sentinels === undefined, 'sentinels', props.sentinels,
      'is only allowed in sentinel mode');

    const id7: InstanceIdentity = { name: 'redis', instance: name, version: version.imageTag, partOf: props.partOf ?? name };
    const labels = (component: string) => componentLabels(id7, component);
    const dataSelector = selectorLabels(id7, 'redis');
    const memberSelector = selectorLabels(id7);
    this.masters = masters;
    this.versionMajorMinor = version.majorMinor;
    this.podSelectorLabels = { ...dataSelector };
    this.leaderPodNames = mode === RedisMode.CLUSTER ? [...Array(masters).keys()].map((i) => `${name}-leader-${i}`) : [`${name}-0`];

    // Resources and memory.
    const resources = resolveResources(this, 'resources', props.resources, {
      cpuRequest: Cpu.millis(250), cpuLimit: Cpu.units(1), memoryRequest: Size.gibibytes(1), memoryLimit: Size.gibibytes(1),
    });
    const maxmemoryPercent = checkInteger(this, 'maxmemoryPercent', props.maxmemoryPercent ?? 75, 10, 95);
    const maxmemoryBytes = Math.floor(sizeBytes(resources.memoryLimit) * maxmemoryPercent / 100);
    const storage = resolveStorage(this, 'storage', props.storage, Size.gibibytes(10));
    const persistence = props.persistence ?? RedisPersistence.AOF_AND_RDB;
    const aof = persistence === RedisPersistence.AOF || persistence === RedisPersistence.AOF_AND_RDB;
    const rdb = persistence === RedisPersistence.RDB || persistence === RedisPersistence.AOF_AND_RDB;
    // RDB files need room on the volume for a full snapshot plus the one being written.
    checkRule(this, persistence === RedisPersistence.NONE || sizeBytes(storage.size) >= 2 * maxmemoryBytes, 'storage.size',
      `${Math.round(sizeBytes(storage.size) / 2 ** 20)}Mi`, `must be at least twice maxmemory (${Math.ceil(2 * maxmemoryBytes / 2 ** 20)}Mi) so a snapshot or AOF rewrite fits beside the current one`);
    const idle = (props.clientIdleTimeout ?? Duration.seconds(0)).toSeconds();
    checkInteger(this, 'clientIdleTimeout', idle, 0, 86400 * 7);
    const nodeTimeoutMs = (props.clusterNodeTimeout ?? Duration.seconds(15)).toMilliseconds();
    checkInteger(this, 'clusterNodeTimeout', nodeTimeoutMs, 1000, 600_000);
    checkRule(this, mode === RedisMode.CLUSTER || props.clusterNodeTimeout === undefined, 'clusterNodeTimeout',
      `${nodeTimeoutMs}ms`, 'is only allowed in cluster mode');
    for (const key of Object.keys(props.config ?? {})) {
      checkRule(this, /^[a-z][a-z0-9-]*$/.test(key), `config["${key}"]`, key, 'must be a redis.conf directive name (lowercase, digits, -)');
      checkRule(this, !['requirepass', 'masterauth', 'masteruser', 'user', 'aclfile', 'include', 'port', 'dir', 'cluster-enabled',
        'cluster-config-file', 'replicaof', 'slaveof', 'daemonize'].includes(key), `config["${key}"]`, key,
      'is managed by the construct (passwords come from the Secret; port, dir, cluster and replication settings from the topology)');
    }

    // Images.
    const redisImage = resolveImage(this, 'image', REDIS_IMAGE, version.imageTag, props.image, props.registry);
    const exporterImage = resolveImage(this, 'exporterImage', SIDECAR_IMAGES.redisExporter.repository, SIDECAR_IMAGES.redisExporter.tag, props.exporterImage, props.registry);
    const toolsImage = resolveImage(this, 'toolsImage', SIDECAR_IMAGES.tools.repository, SIDECAR_IMAGES.tools.tag, props.toolsImage, props.registry);
    const imagePullSecrets = pullSecrets(props.registry);

    // Credentials.
    const creds = bindCredentials(this, 'password', props.password, {
      defaultSecretName: `${name}-auth`,
      labels: labels('secret-generator'),
      generatorImage: toolsImage.image,
      imagePullPolicy: toolsImage.pullPolicy,
      imagePullSecrets,
    });
    const auth: SecretKeyRef = creds.ref;
    this.passwordSecretName = auth.secretName;
    this.passwordSecretKey = auth.key;
    this.passwordGeneratorJob = creds.generator?.job;

    // Configuration.
    const serverConfig: RedisServerConfig = {
      mode,
      version: is7 ? '7.2' : '6.2',
      port: REDIS_PORT,
      dataDir: '/data',
      runtimeConfPath: '/run/redis/runtime.conf',
      maxmemoryBytes,
      maxmemoryPolicy: props.evictionPolicy ?? EvictionPolicy.NOEVICTION,
      appendOnly: aof,
      appendFsync: 'everysec',
      rdbSavePoints: rdb ? [{ seconds: 3600, changes: 1 }, { seconds: 300, changes: 100 }, { seconds: 60, changes: 10000 }] : [],
      timeoutSeconds: idle,
      tcpKeepaliveSeconds: 300,
      clusterNodeTimeoutMs: nodeTimeoutMs,
      clusterRequireFullCoverage: true,
      clusterAllowReadsWhenDown: false,
      overrides: { ...(props.config ?? {}) },
    } as RedisServerConfig;
    const redisConf = renderRedisConf(serverConfig);
    const masterName = 'mymaster';
    const configData: Record<string, string> = { 'redis.conf': redisConf };
    if (mode === RedisMode.SENTINEL) {
      configData['sentinel.conf'] = renderSentinelConfTemplate({
        masterName,
        quorum: Math.floor(sentinels / 2) + 1,
        downAfterMs: SENTINEL_DOWN_AFTER_MS,
        failoverTimeoutMs: SENTINEL_FAILOVER_TIMEOUT_MS,
        parallelSyncs: 1,
        port: SENTINEL_PORT,
      });
    }
    this.configMap = new k8s.KubeConfigMap(this, 'Config', { metadata: { name: `${name}-config`, labels: labels('redis') }, data: configData });
    const scripts: Record<string, string> = {
      'entrypoint.sh': redisEntrypointScript(),
      'probe.sh': redisProbeScript(),
    };
    if (mode === RedisMode.CLUSTER) {
      scripts['form-cluster.sh'] = clusterFormationScript();
      scripts['prestop.sh'] = clusterPreStopScript();
    }
    if (mode === RedisMode.SENTINEL) {
      scripts['sentinel-entrypoint.sh'] = sentinelEntrypointScript();
      scripts['sentinel-probe.sh'] = sentinelProbeScript();
    }
    if (props.backup) scripts['backup-dump.sh'] = backupDumpScript();
    if (props.restore) scripts['restore-seed.sh'] = restoreSeedScript();
    this.scriptsConfigMap = new k8s.KubeConfigMap(this, 'Scripts', { metadata: { name: `${name}-scripts`, labels: labels('redis') }, data: scripts });
    // A change of configuration or scripts changes this hash and so rolls the pods.
    const configHash = createHash('sha256').update(JSON.stringify([configData, scripts])).digest('hex').slice(0, 16);

    // Services.
    const headless = `${name}-headless`;
    this.headlessService = new k8s.KubeService(this, 'HeadlessService', {
      metadata: { name: headless, labels: labels('redis') },
      spec: {
        clusterIp: 'None',
        // Peers and the formation Job must resolve pods before they are Ready.
        publishNotReadyAddresses: true,
        selector: dataSelector,
        ports: [
          { name: 'redis', port: REDIS_PORT, targetPort: k8s.IntOrString.fromString('redis') },
          ...(mode === RedisMode.CLUSTER ? [{ name: 'cluster-bus', port: REDIS_PORT + 10000, targetPort: k8s.IntOrString.fromString('cluster-bus') }] : []),
        ],
      },
    });
    const fqdn = (svc: string) => namespace ? `${svc}.${namespace}.svc` : svc;
    const podHost = (pod: string) => `${pod}.${headless}`;

    const scheduling = renderScheduling(this, 'scheduling', props.scheduling, dataSelector);
    checkRule(this, props.followerScheduling === undefined || (mode === RedisMode.CLUSTER && replicas > 0), 'followerScheduling',
      mode, 'is only allowed in cluster mode with replicas');
    const followerScheduling = props.followerScheduling ? renderScheduling(this, 'followerScheduling', props.followerScheduling, dataSelector) : scheduling;
    const securityContext: k8s.PodSecurityContext = {
      runAsNonRoot: true,
      runAsUser: REDIS_UID,
      runAsGroup: REDIS_UID,
      fsGroup: REDIS_UID,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const hardened: k8s.SecurityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
    const monitoringOn = props.monitoring?.enabled !== false;

    const shared: Shared = {
      name, labels, image: redisImage, imagePullSecrets, podSecurity: securityContext, hardened, auth, configHash,
    };

    const exporter = (): k8s.Container => ({
      name: 'exporter',
      image: exporterImage.image,
      imagePullPolicy: exporterImage.pullPolicy,
      env: [
        { name: 'REDIS_ADDR', value: `redis://127.0.0.1:${REDIS_PORT}` },
        secretEnv('REDIS_PASSWORD', auth),
        { name: 'REDIS_EXPORTER_WEB_LISTEN_ADDRESS', value: `:${EXPORTER_PORT}` },
      ],
      ports: [{ name: 'metrics', containerPort: EXPORTER_PORT, protocol: 'TCP' }],
      resources: fixedResources(25, 200, 32, 128),
      securityContext: { ...hardened, runAsNonRoot: true, runAsUser: 59000, runAsGroup: 59000 },
      livenessProbe: { httpGet: { path: '/health', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 30, timeoutSeconds: 5 },
      readinessProbe: { httpGet: { path: '/health', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 15, timeoutSeconds: 5 },
    });

    const probe = (kind: string, o: Partial<k8s.Probe>): k8s.Probe => ({
      exec: { command: ['bash', '/scripts/probe.sh', kind] }, timeoutSeconds: 5, ...o,
    });

    const redisContainer = (extraEnv: k8s.EnvVar[]): k8s.Container => ({
      name: 'redis',
      image: redisImage.image,
      imagePullPolicy: redisImage.pullPolicy,
      command: ['bash', '/scripts/entrypoint.sh'],
      env: [
        { name: 'REDIS_MODE', value: mode },
        { name: 'REDIS_PORT', value: String(REDIS_PORT) },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'ANNOUNCE_IP', value: '$(POD_IP)' },
        { name: 'ANNOUNCE_HOSTNAME', value: `$(POD_NAME).${headless}.$(POD_NAMESPACE).svc` },
        secretEnv('REDIS_PASSWORD', auth),
        // redis-cli in probes and scripts reads the password from here, never from its arguments.
        secretEnv('REDISCLI_AUTH', auth),
        ...extraEnv,
      ],
      ports: [
        { name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' },
        ...(mode === RedisMode.CLUSTER ? [{ name: 'cluster-bus', containerPort: REDIS_PORT + 10000, protocol: 'TCP' }] : []),
      ],
      resources: renderResources(resources),
      securityContext: hardened,
      // Loading a large dataset can take minutes: the startup probe allows up to 10 minutes.
      startupProbe: probe('liveness', { periodSeconds: 5, failureThreshold: 120 }),
      livenessProbe: probe('liveness', { periodSeconds: 15, failureThreshold: 4 }),
      readinessProbe: probe('readiness', { periodSeconds: 10, failureThreshold: 3 }),
      // Cluster mode: wait (bounded) for the shard mate to be in sync before stopping; see clusterPreStopScript.
      lifecycle: mode === RedisMode.CLUSTER ? { preStop: { exec: { command: ['bash', '/scripts/prestop.sh'] } } } : undefined,
      volumeMounts: [
        { name: 'data', mountPath: '/data' },
        { name: 'config', mountPath: '/etc/redis', readOnly: true },
        { name: 'scripts', mountPath: '/scripts', readOnly: true },
        { name: 'run', mountPath: '/run/redis' },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    });

    const restoreContainers = (seed: boolean): k8s.Container[] => {
      if (!props.restore || !seed) return [];
      return [
        restoreDownloadContainer(this, props.restore, name, props.registry),
        {
          name: 'restore-seed',
          image: redisImage.image,
          imagePullPolicy: redisImage.pullPolicy,
          command: ['bash', '/scripts/restore-seed.sh'],
          env: [
            { name: 'DATA_DIR', value: '/data' },
            { name: 'RESTORE_DIR', value: '/restore' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'REDIS_MODE', value: mode },
            // With AOF on, Redis ignores dump.rdb at start; the seed becomes the AOF base instead.
            { name: 'APPENDONLY', value: aof ? 'yes' : 'no' },
          ],
          resources: fixedResources(50, 500, 64, 256),
          securityContext: hardened,
          volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'restore', mountPath: '/restore' }, { name: 'scripts', mountPath: '/scripts', readOnly: true }],
        },
      ];
    };

    const statefulSet = (
      sid: string, stsName: string, count: number, role: string | undefined, extraEnv: k8s.EnvVar[], seed: boolean,
      placement: typeof scheduling = scheduling,
    ): ApiObject => {
      const podLabels = { ...labels('redis'), ...(role ? { role } : {}) };
      const selector = { ...dataSelector, ...(role ? { role } : {}) };
      const init = restoreContainers(seed);
      return new k8s.KubeStatefulSet(this, sid, {
        metadata: { name: stsName, labels: podLabels },
        spec: {
          serviceName: headless,
          replicas: count,
          podManagementPolicy: 'Parallel',
          updateStrategy: { type: 'RollingUpdate' },
          persistentVolumeClaimRetentionPolicy: retentionPolicy(storage),
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: podLabels, annotations: { 'checksum/config': configHash } },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              // Redis's own shutdown (final save) gets 60 s; in cluster mode the pre-stop gate's bound comes first.
              terminationGracePeriodSeconds: mode === RedisMode.CLUSTER ? 60 + ROLL_GATE_DELAY_SECONDS + ROLL_GATE_SECONDS + 10 : 60,
              imagePullSecrets,
              securityContext,
              ...placement,
              initContainers: init.length ? init : undefined,
              containers: [redisContainer(extraEnv), ...(monitoringOn ? [exporter()] : [])],
              volumes: [
                { name: 'config', configMap: { name: `${name}-config` } },
                { name: 'scripts', configMap: { name: `${name}-scripts`, defaultMode: 0o555 } },
                { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
                { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
                ...(init.length ? [{ name: 'restore', emptyDir: {} }] : []),
              ],
            },
          },
          volumeClaimTemplates: [volumeClaimTemplate('data', storage, labels('redis'))],
        },
      });
    };

    this.statefulSets = [];
    this.disruptionBudgets = [];
    const dataHosts: string[] = [];
    if (mode === RedisMode.CLUSTER) {
      const leaders = [...Array(masters).keys()].map((i) => `${podHost(`${name}-leader-${i}`)}:${REDIS_PORT}`);
      const followers = [...Array(masters * replicas).keys()].map((i) => `${podHost(`${name}-follower-${i}`)}:${REDIS_PORT}`);
      dataHosts.push(...leaders, ...followers);
      const gate = (delay: number): k8s.EnvVar[] => [
        { name: 'ROLL_GATE_DELAY_SECONDS', value: String(delay) },
        { name: 'ROLL_GATE_SECONDS', value: String(ROLL_GATE_SECONDS) },
      ];
      this.statefulSets.push(statefulSet('Leaders', `${name}-leader`, masters, 'leader', gate(0), true));
      if (replicas > 0) {
        this.statefulSets.push(statefulSet('Followers', `${name}-follower`, masters * replicas, 'follower',
          gate(ROLL_GATE_DELAY_SECONDS), false, followerScheduling));
      }
      this.service = this.clientService(name, labels('redis'), dataSelector, REDIS_PORT, 'redis');
      this.clusterInitJob = this.formationJob(shared, leaders, followers);
      this.host = fqdn(name);
      this.port = REDIS_PORT;
    } else if (mode === RedisMode.SENTINEL) {
      const pods = 1 + replicas;
      const hosts = [...Array(pods).keys()].map((i) => `${podHost(`${name}-${i}`)}:${REDIS_PORT}`);
      const sentinelHeadless = `${name}-sentinel-headless`;
      const sentinelHosts = [...Array(sentinels).keys()].map((i) => `${name}-sentinel-${i}.${sentinelHeadless}:${SENTINEL_PORT}`);
      dataHosts.push(...hosts);
      const sentinelEnv: k8s.EnvVar[] = [
        { name: 'SENTINEL_HOSTS', value: sentinelHosts.join(' ') },
        { name: 'SENTINEL_MASTER_NAME', value: masterName },
        { name: 'INITIAL_MASTER_HOST', value: podHost(`${name}-0`) },
        { name: 'INITIAL_MASTER_PORT', value: String(REDIS_PORT) },
        { name: 'SELF_HOST', value: `$(POD_NAME).${headless}` },
      ];
      this.statefulSets.push(statefulSet('Data', name, pods, undefined, sentinelEnv, true));
      this.statefulSets.push(this.sentinelStatefulSet(shared, {
        count: sentinels,
        selector: selectorLabels(id7, 'sentinel'),
        headless: sentinelHeadless,
        sentinelEnv,
        redisHosts: hosts,
        scheduling: props.sentinelScheduling,
      }));
      this.service = this.clientService(`${name}-sentinel`, labels('sentinel'), selectorLabels(id7, 'sentinel'), SENTINEL_PORT, 'sentinel');
      this.disruptionBudgets.push(createDisruptionBudget(this, 'SentinelDisruptionBudget', {
        name: `${name}-sentinel`, labels: labels('sentinel'), selector: selectorLabels(id7, 'sentinel'), maxUnavailable: 1,
      }));
      this.sentinelMasterName = masterName;
      this.host = fqdn(`${name}-sentinel`);
      this.port = SENTINEL_PORT;
    } else {
      dataHosts.push(`${podHost(`${name}-0`)}:${REDIS_PORT}`);
      this.statefulSets.push(statefulSet('Data', name, 1, undefined, [], true));
      this.service = this.clientService(name, labels('redis'), dataSelector, REDIS_PORT, 'redis');
      this.host = fqdn(name);
      this.port = REDIS_PORT;
    }
    if (mode !== RedisMode.STANDALONE) {
      // One voluntary disruption at a time across all Redis pods: a drain never takes a master and its replica together.
      this.disruptionBudgets.unshift(createDisruptionBudget(this, 'DisruptionBudget', {
        name, labels: labels('redis'), selector: dataSelector, maxUnavailable: 1,
      }));
    }

    this.networkPolicy = createNetworkPolicy(this, 'NetworkPolicy', props.networkPolicy, {
      name,
      labels: labels('redis'),
      memberSelector,
      servicePorts: mode === RedisMode.SENTINEL ? [REDIS_PORT, SENTINEL_PORT] : [REDIS_PORT],
      metricsPorts: monitoringOn ? [EXPORTER_PORT] : [],
    });

    // Monitoring.
    if (monitoringOn) {
      this.metricsService = new k8s.KubeService(this, 'MetricsService', {
        metadata: { name: `${name}-metrics`, labels: { ...labels('metrics') } },
        spec: {
          clusterIp: 'None',
          selector: dataSelector,
          ports: [{ name: 'metrics', port: EXPORTER_PORT, targetPort: k8s.IntOrString.fromString('metrics') }],
        },
      });
      const job = `${name}-metrics`;
      const sel = namespace ? `job="${job}",namespace="${namespace}"` : `job="${job}"`;
      const mon = createMonitoring(this, props.monitoring, {
        name,
        namespace,
        labels: labels('metrics'),
        serviceSelector: selectorLabels(id7, 'metrics'),
        metricsPortName: 'metrics',
        alerts: [
          ...redisAlerts({ selector: sel, mode, masters, replicasPerMaster: replicas, pods: dataHosts.length, instance: name, aof, rdb }),
          ...(props.backup ? [backupFailedAlert({ engine: 'Redis', cronJobName: `${name}-backup`, namespace, instance: name })] : []),
        ],
        ruleGroup: `redis.${name}`,
        dashboard: redisDashboard({ uid: `redis-${name}`.slice(0, 40), title: `Redis / ${name}`, job, namespace, mode }),
        podTargetLabels: ['role'],
      });
      this.serviceMonitor = mon?.serviceMonitor;
      this.prometheusRule = mon?.prometheusRule;
      this.dashboard = mon?.dashboard;
      this.alerts = mon?.alerts ?? [];
    } else {
      this.alerts = [];
    }

    // Backup.
    if (props.backup) {
      this.backupCronJob = createBackupCronJob(this, props.backup, {
        name: `${name}-backup`,
        labels: labels('backup'),
        defaultPrefix: name,
        registry: props.registry,
        podSecurityContext: securityContext,
        dumpContainer: {
          name: 'dump',
          image: redisImage.image,
          imagePullPolicy: redisImage.pullPolicy,
          command: ['bash', '-c', backupDumpScript()],
          env: [
            { name: 'REDIS_MODE', value: mode },
            { name: 'SEED_HOSTS', value: dataHosts.join(' ') },
            { name: 'OUT_DIR', value: '/backup' },
            secretEnv('REDISCLI_AUTH', auth),
          ],
          resources: fixedResources(50, 1000, 128, 512),
          securityContext: hardened,
          volumeMounts: [{ name: 'backup', mountPath: '/backup' }, { name: 'tmp', mountPath: '/tmp' }],
        },
      });
    }
    if (props.restore && persistence === RedisPersistence.NONE) {
      fail(this, 'restore', props.restore.backupId, 'needs persistence (the restored RDB is loaded from the volume)');
    }
  }

  private clientService(
    svcName: string, labels: Record<string, string>, selector: Record<string, string>, port: number, portName: string,
  ): ApiObject {
    return new k8s.KubeService(this, 'Service', {
      metadata: { name: svcName, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: portName, port, targetPort: k8s.IntOrString.fromString(portName) }],
      },
    });
  }

  private formationJob(s: Shared, leaders: string[], followers: string[]): ApiObject {
    const { name, imagePullSecrets, hardened, auth } = s;
    const labels = s.labels('cluster-init');
    // Named after its content (oneShotJob), so a new topology or version runs a new Job; the script is idempotent.
    return oneShotJob(this, 'ClusterInit', {
      baseName: `${name}-cluster-init`,
      labels,
      spec: {
        backoffLimit: 20,
        activeDeadlineSeconds: 3600,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'OnFailure',
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            imagePullSecrets,
            securityContext: s.podSecurity,
            containers: [{
              name: 'form-cluster',
              image: s.image.image,
              imagePullPolicy: s.image.pullPolicy,
              command: ['bash', '/scripts/form-cluster.sh'],
              env: [
                { name: 'LEADERS', value: leaders.join(' ') },
                { name: 'FOLLOWERS', value: followers.join(' ') },
                { name: 'WAIT_TIMEOUT_SECONDS', value: '900' },
                secretEnv('REDISCLI_AUTH', auth),
              ],
              resources: fixedResources(10, 200, 32, 128),
              securityContext: hardened,
              volumeMounts: [{ name: 'scripts', mountPath: '/scripts', readOnly: true }],
            }],
            volumes: [{ name: 'scripts', configMap: { name: `${name}-scripts`, defaultMode: 0o555 } }],
          },
        },
      },
    });
  }

  private sentinelStatefulSet(s: Shared, o: {
    count: number;
    selector: Record<string, string>;
    headless: string;
    sentinelEnv: k8s.EnvVar[];
    redisHosts: string[];
    scheduling?: SchedulingProps;
  }): ApiObject {
    const { name, imagePullSecrets, hardened, auth, configHash } = s;
    const { count, selector, headless, sentinelEnv, redisHosts } = o;
    const labels = s.labels('sentinel');
    new k8s.KubeService(this, 'SentinelHeadlessService', {
      metadata: { name: headless, labels },
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector,
        ports: [{ name: 'sentinel', port: SENTINEL_PORT, targetPort: k8s.IntOrString.fromString('sentinel') }],
      },
    });
    const scheduling = renderScheduling(this, 'sentinelScheduling', o.scheduling, selector);
    const probe = (kind: string, timing: Partial<k8s.Probe>): k8s.Probe => ({
      exec: { command: ['bash', '/scripts/sentinel-probe.sh', kind] }, timeoutSeconds: 5, ...timing,
    });
    return new k8s.KubeStatefulSet(this, 'Sentinels', {
      metadata: { name: `${name}-sentinel`, labels },
      spec: {
        serviceName: headless,
        replicas: count,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selector },
        template: {
          metadata: { labels, annotations: { 'checksum/config': configHash } },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            imagePullSecrets,
            securityContext: s.podSecurity,
            ...scheduling,
            containers: [{
              name: 'sentinel',
              image: s.image.image,
              imagePullPolicy: s.image.pullPolicy,
              command: ['bash', '/scripts/sentinel-entrypoint.sh'],
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'SENTINEL_PORT', value: String(SENTINEL_PORT) },
                { name: 'SENTINEL_QUORUM', value: String(Math.floor(count / 2) + 1) },
                { name: 'SENTINEL_CONF_TEMPLATE', value: '/etc/redis/sentinel.conf' },
                { name: 'SENTINEL_CONF', value: '/run/redis/sentinel.conf' },
                { name: 'SENTINEL_ANNOUNCE_HOSTNAME', value: `$(POD_NAME).${headless}` },
                { name: 'SENTINEL_DOWN_AFTER_MS', value: String(SENTINEL_DOWN_AFTER_MS) },
                { name: 'SENTINEL_FAILOVER_TIMEOUT_MS', value: String(SENTINEL_FAILOVER_TIMEOUT_MS) },
                { name: 'REDIS_HOSTS', value: redisHosts.join(' ') },
                secretEnv('REDIS_PASSWORD', auth),
                secretEnv('REDISCLI_AUTH', auth),
                ...sentinelEnv.filter((e) => e.name !== 'SELF_HOST'),
              ],
              ports: [{ name: 'sentinel', containerPort: SENTINEL_PORT, protocol: 'TCP' }],
              resources: fixedResources(50, 500, 64, 128),
              securityContext: hardened,
              startupProbe: probe('liveness', { periodSeconds: 5, failureThreshold: 60 }),
              livenessProbe: probe('liveness', { periodSeconds: 15, failureThreshold: 4 }),
              readinessProbe: probe('readiness', { periodSeconds: 10, failureThreshold: 3 }),
              volumeMounts: [
                { name: 'config', mountPath: '/etc/redis', readOnly: true },
                { name: 'scripts', mountPath: '/scripts', readOnly: true },
                { name: 'run', mountPath: '/run/redis' },
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: `${name}-config` } },
              { name: 'scripts', configMap: { name: `${name}-scripts`, defaultMode: 0o555 } },
              { name: 'run', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
            ],
          },
        },
      },
    });
  }
}
