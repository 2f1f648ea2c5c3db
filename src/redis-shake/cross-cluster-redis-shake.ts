import { createHash } from 'crypto';
import { ApiObject, Chart, Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { renderShakeTomlV4, renderSyncTomlV3, ShakeEnd, v3RenderScript } from './config';
import { jsonExporterConfig, shakeAlerts, shakeDashboard } from './monitoring';
import { createNetworkPolicy, NetworkPeer } from '../availability/network-policy';
import { ImageProps, ImageRegistryProps, pullSecrets, resolveImage } from '../core/images';
import { componentLabels, InstanceIdentity, selectorLabels } from '../core/labels';
import { cpuMillis, fixedResources, renderResources, resolveResources, sizeQuantity } from '../core/resources';
import { checkDnsLabel, checkInteger, checkRule } from '../core/validation';
import { SIDECAR_IMAGES } from '../core/versions';
import { Credentials, existingSecretRef, secretEnv, SecretKeyRef } from '../credentials/credentials';
import { AlertRule } from '../monitoring/alerts';
import { createMonitoring, MonitoringProps } from '../monitoring/monitoring';
import { REDIS_PORT, RedisCluster, RedisMode } from '../redis/redis-cluster';

/**
 * Where the disaster-recovery cycle stands. Each state decides which RedisShake group runs; the two directions
 * never run at once.
 */
export enum DisasterRecoveryState {
  /** The source serves and the sync group copies it to the target; the recovery group is stopped. */
  NORMAL = 'normal',
  /** The source is lost: both groups are stopped and the target serves. */
  FAILOVER = 'failover',
  /** The source is back: the recovery group copies the target's data back to it; the sync group is stopped. */
  RECOVERY = 'recovery',
}

/** A RedisShake release line and its image. */
export class RedisShakeVersion {
  /**
   * RedisShake v4 (the default): `shake.toml` with `[sync_reader]` / `[redis_writer]`, passwords as `${VAR}`
   * expanded from the environment, and a JSON status port.
   */
  public static readonly V4 = new RedisShakeVersion(4, 'ghcr.io/tair-opensource/redisshake', '4.6.2');

  /**
   * RedisShake v3: `sync.toml` with `[source]` / `[target]`, as in the reference procedure. There is no public
   * v3 image, so name yours; the config file is rendered with the passwords when the pod starts.
   * @param repository image repository (e.g. your mirror of the reference platform's redis-shake image)
   * @param tag image tag
   */
  public static v3(repository: string, tag: string): RedisShakeVersion {
    return new RedisShakeVersion(3, repository, tag);
  }

  private constructor(
    /** Major version (3 or 4). */
    public readonly major: number,
    /** Image repository. */
    public readonly repository: string,
    /** Image tag. */
    public readonly tag: string,
  ) {}
}

/** How each shard of a RedisCluster is exposed to the other Kubernetes cluster. */
export enum ShardExposure {
  /** A NodePort Service per shard, reached at `reachableHost:nodePortBase + i`. */
  NODE_PORT = 'NodePort',
  /** A LoadBalancer Service per shard, reached at the addresses you give in `shardAddresses`. */
  LOAD_BALANCER = 'LoadBalancer',
}

/** How a RedisCluster of this library takes part in cross-cluster sync. */
export interface RedisClusterEndpointOptions {
  /**
   * Service type of the per-shard Services.
   * @default ShardExposure.NODE_PORT
   */
  readonly exposure?: ShardExposure;
  /**
   * NodePort exposure: host name or IP at which the *other* Kubernetes cluster reaches this cluster's NodePorts
   * (a node address, or a load balancer in front of the nodes).
   * @default none; required with ShardExposure.NODE_PORT
   */
  readonly reachableHost?: string;
  /**
   * LoadBalancer exposure: the address (`host:port`) of each shard's load balancer as the other cluster reaches
   * it, one per master in shard order (reserve static IPs or DNS names for them).
   * @default none; required with ShardExposure.LOAD_BALANCER
   */
  readonly shardAddresses?: string[];
  /**
   * NodePort of the first shard's Service; shard i gets `nodePortBase + i`.
   * @default 31379
   */
  readonly nodePortBase?: number;
  /**
   * CIDRs from which the other cluster's RedisShake connects (its nodes' egress addresses). A NetworkPolicy
   * admits them to this instance's Redis port, and nothing else.
   */
  readonly peerCidrs: string[];
  /**
   * The Secret holding this instance's password *in the other cluster*, for the RedisShake running there.
   * @default a Secret with the same name and key as this instance's own (copy it to the other cluster)
   */
  readonly passwordInPeerCluster?: Credentials;
}

/** A Redis that is not a RedisCluster of this library. */
export interface ExternalRedisProps {
  /** The chart (one per Kubernetes cluster) in which this Redis lives. */
  readonly chart: Chart;
  /** Instance name, used in object names. */
  readonly name: string;
  /**
   * Addresses of each shard as the *other* cluster reaches them (`host:port`), one per master (one for a
   * standalone or sentinel-managed Redis).
   */
  readonly shardAddresses: string[];
  /** Address RedisShake in the same cluster writes to: any cluster node, the server, or a sentinel (`host:port`). */
  readonly address: string;
  /**
   * Whether it is a Redis Cluster.
   * @default false
   */
  readonly cluster?: boolean;
  /**
   * Master name when `address` is a sentinel (RedisShake v4 only).
   * @default not a sentinel
   */
  readonly sentinelMasterName?: string;
  /**
   * Redis `major.minor` version.
   * @default '7.2'
   */
  readonly version?: string;
  /** Password Secret in this Redis's own cluster. */
  readonly password: Credentials;
  /**
   * Password Secret in the other cluster.
   * @default the same name and key as `password`
   */
  readonly passwordInPeerCluster?: Credentials;
}

/** A source or target of cross-cluster sync. */
export class RedisShakeEndpoint {
  /**
   * A RedisCluster of this library. One NodePort Service per shard is created in its chart.
   * @param redis the instance
   * @param options how the other cluster reaches it
   */
  public static fromRedisCluster(redis: RedisCluster, options: RedisClusterEndpointOptions): RedisShakeEndpoint {
    return new RedisShakeEndpoint(redis, options, undefined);
  }

  /**
   * A Redis managed elsewhere: you expose its shards to the other cluster yourself.
   * @param props addresses and credentials
   */
  public static external(props: ExternalRedisProps): RedisShakeEndpoint {
    return new RedisShakeEndpoint(undefined, undefined, props);
  }

  private constructor(
    /** @internal */ public readonly _redis: RedisCluster | undefined,
    /** @internal */ public readonly _options: RedisClusterEndpointOptions | undefined,
    /** @internal */ public readonly _external: ExternalRedisProps | undefined,
  ) {}
}

/** Props of CrossClusterRedisShake. */
export interface CrossClusterRedisShakeProps {
  /**
   * Name prefix of every object (`<name>-sync-<i>`, `<name>-recovery-<i>`). At most 30 characters.
   * @default the construct id
   */
  readonly name?: string;
  /** The Redis that serves in normal operation. */
  readonly source: RedisShakeEndpoint;
  /** The standby Redis in the other Kubernetes cluster. */
  readonly target: RedisShakeEndpoint;
  /**
   * Disaster-recovery state: which direction runs.
   * @default DisasterRecoveryState.NORMAL
   */
  readonly state?: DisasterRecoveryState;
  /**
   * RedisShake version.
   * @default RedisShakeVersion.V4
   */
  readonly version?: RedisShakeVersion;
  /**
   * Resources of each RedisShake container.
   * @default cpu 500m request / 2 limit, memory 1Gi request / 2Gi limit
   */
  readonly resources?: ContainerResources;
  /**
   * Size limit of the scratch volume at /data, which holds the shard's RDB during a full sync.
   * @default 10Gi
   */
  readonly scratchSize?: Size;
  /**
   * json_exporter image (turns the RedisShake status page into Prometheus metrics).
   * @default quay.io/prometheuscommunity/json-exporter pinned by this library
   */
  readonly exporterImage?: ImageProps;
  /**
   * Image with a POSIX shell and awk, used to render v3 config files.
   * @default docker.io/curlimages/curl pinned by this library
   */
  readonly toolsImage?: ImageProps;
  /**
   * Registry override and pull secrets for every image.
   * @default upstream registries, no pull secrets
   */
  readonly registry?: ImageRegistryProps;
  /**
   * Monitoring of each group (ServiceMonitor, alerts, dashboard), in each cluster.
   * @default on, dashboards as ConfigMaps
   */
  readonly monitoring?: MonitoringProps;
}

const STATUS_PORT = 8080;
const EXPORTER_PORT = 7979;
const SHAKE_UID = 65532;

/** One side as the construct uses it. */
interface Side {
  readonly chart: Chart;
  readonly name: string;
  readonly namespace?: string;
  readonly shards: number;
  /** Shard addresses as the other cluster reaches them. */
  readonly peerAddresses: string[];
  /** Writer view, from its own cluster. */
  readonly local: { address: string; cluster: boolean; sentinelMaster?: string; version: string };
  readonly password: SecretKeyRef;
  readonly passwordInPeer: SecretKeyRef;
  readonly redis?: RedisCluster;
  readonly options?: RedisClusterEndpointOptions;
}

/** The objects of one RedisShake group (one cluster). */
export interface RedisShakeGroup {
  /** `sync` or `recovery`. */
  readonly name: string;
  /** Whether the current state runs this group. */
  readonly running: boolean;
  /** One Deployment per source shard. */
  readonly deployments: ApiObject[];
  /** One config ConfigMap per shard. */
  readonly configMaps: ApiObject[];
  /** Alerts of this group. */
  readonly alerts: AlertRule[];
}

/**
 * Redis disaster recovery between two Kubernetes clusters with RedisShake: a sync group (source -> target,
 * running in the target's cluster) and a recovery group (target -> source, running in the source's cluster),
 * one RedisShake per source shard, switched by one `state` prop that walks the reference runbook.
 */
export class CrossClusterRedisShake extends Construct {
  /** The disaster-recovery state. */
  public readonly state: DisasterRecoveryState;
  /** The sync group (in the target's chart). */
  public readonly syncGroup: RedisShakeGroup;
  /** The recovery group (in the source's chart). */
  public readonly recoveryGroup: RedisShakeGroup;
  /** Per-shard Services of the source (in the source's chart). */
  public readonly sourceShardServices: ApiObject[];
  /** Per-shard Services of the target (in the target's chart). */
  public readonly targetShardServices: ApiObject[];

  constructor(scope: Construct, id: string, props: CrossClusterRedisShakeProps) {
    super(scope, id);
    const name = checkDnsLabel(this, 'name', props.name ?? id, 30);
    const state = props.state ?? DisasterRecoveryState.NORMAL;
    checkRule(this, Object.values(DisasterRecoveryState).includes(state), 'state', state, `must be one of ${Object.values(DisasterRecoveryState).join(', ')}`);
    this.state = state;
    const version = props.version ?? RedisShakeVersion.V4;
    checkRule(this, version.major === 3 || version.major === 4, 'version', version.major, 'must be RedisShakeVersion.V4 or RedisShakeVersion.v3(...)');
    const v3 = version.major === 3;

    const source = this.side('source', props.source);
    const target = this.side('target', props.target);
    checkRule(this, source.chart !== target.chart, 'target', target.name,
      `must live in a different chart than the source (${source.name}): one chart per Kubernetes cluster`);
    checkRule(this, !(source.redis && source.redis === target.redis), 'target', target.name, 'must be another instance than the source');
    for (const [prop, side] of [['source', source], ['target', target]] as const) {
      checkRule(this, !(v3 && side.local.sentinelMaster), prop, side.name,
        'is sentinel-managed: RedisShake v3 cannot write to a sentinel; use RedisShakeVersion.V4');
    }

    const resources = resolveResources(this, 'resources', props.resources, {
      cpuRequest: Cpu.millis(500), cpuLimit: Cpu.units(2), memoryRequest: Size.gibibytes(1), memoryLimit: Size.gibibytes(2),
    });
    const scratch = props.scratchSize ?? Size.gibibytes(10);
    checkInteger(this, 'scratchSize', Math.round(scratch.toMebibytes()), 256);
    const shakeImage = resolveImage(this, 'version', version.repository, version.tag, undefined, props.registry);
    const exporterImage = resolveImage(this, 'exporterImage', SIDECAR_IMAGES.jsonExporter.repository, SIDECAR_IMAGES.jsonExporter.tag, props.exporterImage, props.registry);
    const toolsImage = resolveImage(this, 'toolsImage', SIDECAR_IMAGES.tools.repository, SIDECAR_IMAGES.tools.tag, props.toolsImage, props.registry);
    const ncpu = Math.max(1, Math.ceil(cpuMillis(resources.cpuLimit ?? resources.cpuRequest) / 1000));

    // Per-shard Services and the peer NetworkPolicy of each RedisCluster side.
    this.sourceShardServices = this.shardServices(source, target.name);
    this.targetShardServices = this.shardServices(target, source.name);

    const common = {
      name,
      v3,
      version,
      resources,
      scratch,
      ncpu,
      shakeImage: shakeImage.image,
      shakePullPolicy: shakeImage.pullPolicy,
      exporterImage: exporterImage.image,
      exporterPullPolicy: exporterImage.pullPolicy,
      toolsImage: toolsImage.image,
      toolsPullPolicy: toolsImage.pullPolicy,
      imagePullSecrets: pullSecrets(props.registry),
      monitoring: props.monitoring,
    };
    this.syncGroup = this.group(common, 'sync', source, target, state === DisasterRecoveryState.NORMAL);
    this.recoveryGroup = this.group(common, 'recovery', target, source, state === DisasterRecoveryState.RECOVERY);
  }

  private side(prop: string, endpoint: RedisShakeEndpoint): Side {
    if (endpoint._redis) {
      const redis = endpoint._redis;
      const o = endpoint._options!;
      const chart = Chart.of(redis);
      const exposure = o.exposure ?? ShardExposure.NODE_PORT;
      const base = o.nodePortBase ?? 31379;
      let peerAddresses: string[];
      if (exposure === ShardExposure.NODE_PORT) {
        checkInteger(this, `${prop}.nodePortBase`, base, 30000, 32767 - (redis.masters - 1));
        checkRule(this, /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(o.reachableHost ?? ''), `${prop}.reachableHost`, o.reachableHost,
          'must be a host name or IP address of the cluster, reachable from the other cluster');
        checkRule(this, o.shardAddresses === undefined, `${prop}.shardAddresses`, o.shardAddresses, 'is only used with ShardExposure.LOAD_BALANCER');
        peerAddresses = [...Array(redis.masters).keys()].map((i) => `${o.reachableHost}:${base + i}`);
      } else {
        checkRule(this, (o.shardAddresses ?? []).length === redis.masters, `${prop}.shardAddresses`, o.shardAddresses ?? [],
          `must hold one host:port per shard (${redis.masters}) with ShardExposure.LOAD_BALANCER`);
        o.shardAddresses!.forEach((a, i) => checkRule(this, isHostPort(a), `${prop}.shardAddresses[${i}]`, a, 'must be host:port'));
        checkRule(this, o.nodePortBase === undefined && o.reachableHost === undefined, `${prop}.exposure`, exposure,
          'takes shardAddresses; nodePortBase and reachableHost are for ShardExposure.NODE_PORT');
        peerAddresses = [...o.shardAddresses!];
      }
      checkRule(this, (o.peerCidrs ?? []).length > 0, `${prop}.peerCidrs`, o.peerCidrs ?? [],
        'must list the CIDRs the other cluster connects from (they are admitted to the Redis port)');
      (o.peerCidrs ?? []).forEach((cidr, i) => checkRule(this, isCidr(cidr), `${prop}.peerCidrs[${i}]`, cidr, 'must be an IPv4 or IPv6 CIDR such as 10.20.0.0/16'));
      const own: SecretKeyRef = { secretName: redis.passwordSecretName, key: redis.passwordSecretKey };
      const peer = o.passwordInPeerCluster ? existingSecretRef(this, `${prop}.passwordInPeerCluster`, o.passwordInPeerCluster) : own;
      const local = redis.mode === RedisMode.SENTINEL
        ? { address: `${redis.host}:${redis.port}`, cluster: false, sentinelMaster: redis.sentinelMasterName, version: redis.versionMajorMinor }
        : { address: `${redis.host}:${redis.port}`, cluster: redis.mode === RedisMode.CLUSTER, version: redis.versionMajorMinor };
      return {
        chart,
        name: redis.name,
        namespace: chart.namespace,
        shards: redis.masters,
        peerAddresses,
        local,
        password: own,
        passwordInPeer: peer,
        redis,
        options: o,
      };
    }
    const e = endpoint._external!;
    checkDnsLabel(this, `${prop}.name`, e.name, 40);
    checkRule(this, e.shardAddresses.length > 0, `${prop}.shardAddresses`, e.shardAddresses, 'must list at least one host:port');
    e.shardAddresses.forEach((a, i) => checkRule(this, isHostPort(a), `${prop}.shardAddresses[${i}]`, a, 'must be host:port'));
    checkRule(this, isHostPort(e.address), `${prop}.address`, e.address, 'must be host:port');
    checkRule(this, !(e.cluster && e.sentinelMasterName), `${prop}.sentinelMasterName`, e.sentinelMasterName, 'cannot be set for a Redis Cluster');
    checkRule(this, e.cluster === true || e.shardAddresses.length === 1, `${prop}.shardAddresses`, e.shardAddresses,
      'must hold exactly one address unless cluster is true');
    const version = e.version ?? '7.2';
    checkRule(this, /^[2-9]\.\d$/.test(version), `${prop}.version`, version, "must be a Redis major.minor version such as '7.2'");
    const own = existingSecretRef(this, `${prop}.password`, e.password);
    return {
      chart: e.chart,
      name: e.name,
      namespace: e.chart.namespace,
      shards: e.shardAddresses.length,
      peerAddresses: [...e.shardAddresses],
      local: { address: e.address, cluster: e.cluster ?? false, sentinelMaster: e.sentinelMasterName, version },
      password: own,
      passwordInPeer: e.passwordInPeerCluster ? existingSecretRef(this, `${prop}.passwordInPeerCluster`, e.passwordInPeerCluster) : own,
    };
  }

  /** Per-shard Services `<redis>-leader-svc-<i>` (NodePort or LoadBalancer) and the NetworkPolicy that admits the peer cluster. */
  private shardServices(side: Side, peerName: string): ApiObject[] {
    const redis = side.redis;
    if (!redis) return [];
    const o = side.options!;
    const base = o.nodePortBase ?? 31379;
    const nodePort = (o.exposure ?? ShardExposure.NODE_PORT) === ShardExposure.NODE_PORT;
    const scope = new Construct(side.chart, `${this.node.id}-${redis.name}-shards`);
    const labels = componentLabels({ name: 'redis', instance: redis.name, version: redis.versionMajorMinor, partOf: redis.name }, 'cross-cluster');
    const services = redis.leaderPodNames.map((pod, i) => new k8s.KubeService(scope, `Shard${i}`, {
      metadata: {
        name: `${redis.name}-leader-svc-${i}`,
        labels,
        annotations: { 'cdk8s-middleware.dev/peer': peerName },
      },
      spec: {
        type: nodePort ? 'NodePort' : 'LoadBalancer',
        loadBalancerSourceRanges: nodePort ? undefined : [...o.peerCidrs],
        // The pod name pins the shard: after a failover inside this cluster the pod still holds the same shard,
        // as master or as replica, and RedisShake can sync from either.
        selector: { ...redis.podSelectorLabels, 'statefulset.kubernetes.io/pod-name': pod },
        ports: [{ name: 'redis', port: REDIS_PORT, targetPort: k8s.IntOrString.fromString('redis'), nodePort: nodePort ? base + i : undefined }],
      },
    }));
    createNetworkPolicy(scope, 'PeerAccess', { allowedClients: o.peerCidrs.map((c) => NetworkPeer.ipBlock(c)), monitoringPeers: [] }, {
      name: `${redis.name}-peer-access`,
      labels,
      memberSelector: redis.podSelectorLabels,
      servicePorts: [REDIS_PORT],
      metricsPorts: [],
    });
    return services;
  }

  private group(c: GroupCommon, group: string, reader: Side, writer: Side, running: boolean): RedisShakeGroup {
    const scope = new Construct(writer.chart, `${this.node.id}-${group}`);
    const prefix = `${c.name}-${group}`;
    const id: InstanceIdentity = { name: 'redis-shake', instance: c.name, version: c.version.tag, partOf: c.name };
    const labels = componentLabels(id, group);
    const selector = selectorLabels(id, group);
    const hardened: k8s.SecurityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
    const monitoringOn = c.monitoring?.enabled !== false;
    const exporterConfig = jsonExporterConfig(c.v3);
    if (monitoringOn) {
      new k8s.KubeConfigMap(scope, 'ExporterConfig', {
        metadata: { name: `${prefix}-exporter`, labels }, data: { 'config.yml': exporterConfig },
      });
    }

    const deployments: ApiObject[] = [];
    const configMaps: ApiObject[] = [];
    for (let i = 0; i < reader.shards; i++) {
      const shardName = `${prefix}-${i}`;
      const readerEnd: ShakeEnd = {
        address: reader.peerAddresses[i], passwordEnv: 'SOURCE_PASSWORD', cluster: false, version: reader.local.version,
      };
      const writerEnd: ShakeEnd = {
        address: writer.local.address,
        passwordEnv: 'TARGET_PASSWORD',
        cluster: writer.local.cluster,
        sentinelMaster: writer.local.sentinelMaster,
        version: writer.local.version,
      };
      const configOptions = { reader: readerEnd, writer: writerEnd, statusPort: STATUS_PORT, ncpu: c.ncpu, dataDir: '/data' };
      const fileName = c.v3 ? 'sync.toml' : 'shake.toml';
      const content = c.v3 ? renderSyncTomlV3(configOptions) : renderShakeTomlV4(configOptions);
      const configMap = new k8s.KubeConfigMap(scope, `Config${i}`, {
        metadata: { name: shardName, labels: { ...labels, shard: String(i) } },
        data: { [fileName]: content, ...(c.v3 ? { 'render.sh': v3RenderScript() } : {}) },
      });
      configMaps.push(configMap);
      const hash = createHash('sha256').update(JSON.stringify([content, exporterConfig])).digest('hex').slice(0, 16);
      const podLabels = { ...labels, shard: String(i) };
      const passwords = [secretEnv('SOURCE_PASSWORD', reader.passwordInPeer), secretEnv('TARGET_PASSWORD', writer.password)];
      const statusProbe = (o: Partial<k8s.Probe>): k8s.Probe => (c.v3
        ? { tcpSocket: { port: k8s.IntOrString.fromString('status') }, timeoutSeconds: 5, ...o }
        : { httpGet: { path: '/', port: k8s.IntOrString.fromString('status') }, timeoutSeconds: 5, ...o });
      const configPath = c.v3 ? '/etc/sync/sync.toml' : '/etc/sync/shake.toml';
      const shake: k8s.Container = {
        name: 'redis-shake',
        image: c.shakeImage,
        imagePullPolicy: c.shakePullPolicy,
        command: c.v3 ? ['redis-shake', configPath] : ['/app/redis-shake', configPath],
        workingDir: '/data',
        // v4 expands ${SOURCE_PASSWORD} and ${TARGET_PASSWORD} in the file; v3 gets a rendered file instead.
        env: c.v3 ? [] : passwords,
        ports: [{ name: 'status', containerPort: STATUS_PORT, protocol: 'TCP' }],
        resources: renderResources(c.resources),
        securityContext: { ...hardened, runAsNonRoot: true, runAsUser: SHAKE_UID, runAsGroup: SHAKE_UID },
        // A full sync of a large shard takes a while before the status page answers.
        startupProbe: statusProbe({ periodSeconds: 10, failureThreshold: 60 }),
        readinessProbe: statusProbe({ periodSeconds: 10, failureThreshold: 3 }),
        livenessProbe: statusProbe({ periodSeconds: 30, failureThreshold: 5 }),
        volumeMounts: [
          { name: 'config', mountPath: '/etc/sync', readOnly: true },
          { name: 'data', mountPath: '/data' },
        ],
      };
      const exporter: k8s.Container = {
        name: 'exporter',
        image: c.exporterImage,
        imagePullPolicy: c.exporterPullPolicy,
        args: ['--config.file=/etc/json-exporter/config.yml', `--web.listen-address=:${EXPORTER_PORT}`],
        ports: [{ name: 'metrics', containerPort: EXPORTER_PORT, protocol: 'TCP' }],
        resources: fixedResources(10, 100, 16, 64),
        securityContext: { ...hardened, runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 },
        livenessProbe: { httpGet: { path: '/metrics', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 30, timeoutSeconds: 5 },
        readinessProbe: { httpGet: { path: '/metrics', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 15, timeoutSeconds: 5 },
        volumeMounts: [{ name: 'exporter-config', mountPath: '/etc/json-exporter', readOnly: true }],
      };
      const render: k8s.Container[] = c.v3 ? [{
        name: 'render-config',
        image: c.toolsImage,
        imagePullPolicy: c.toolsPullPolicy,
        command: ['sh', '-c', v3RenderScript()],
        env: [
          { name: 'TEMPLATE', value: '/template/sync.toml' },
          { name: 'OUTPUT', value: configPath },
          ...passwords,
        ],
        resources: fixedResources(10, 100, 16, 32),
        securityContext: { ...hardened, runAsNonRoot: true, runAsUser: SHAKE_UID, runAsGroup: SHAKE_UID },
        volumeMounts: [
          { name: 'template', mountPath: '/template', readOnly: true },
          { name: 'config', mountPath: '/etc/sync' },
        ],
      }] : [];
      const deployment = new k8s.KubeDeployment(scope, `Shard${i}`, {
        metadata: {
          name: shardName,
          labels: podLabels,
          annotations: {
            'cdk8s-middleware.dev/dr-state': this.state,
            'cdk8s-middleware.dev/direction': `${reader.name} -> ${writer.name}`,
          },
        },
        spec: {
          replicas: running ? 1 : 0,
          // Never two RedisShake for one shard, not even during a rollout.
          strategy: { type: 'Recreate' },
          selector: { matchLabels: { ...selector, shard: String(i) } },
          template: {
            metadata: { labels: podLabels, annotations: { 'checksum/config': hash } },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              imagePullSecrets: c.imagePullSecrets,
              securityContext: { runAsNonRoot: true, runAsUser: SHAKE_UID, runAsGroup: SHAKE_UID, fsGroup: SHAKE_UID, seccompProfile: { type: 'RuntimeDefault' } },
              terminationGracePeriodSeconds: 30,
              initContainers: render.length ? render : undefined,
              containers: [shake, ...(monitoringOn ? [exporter] : [])],
              volumes: [
                c.v3
                  ? { name: 'config', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } }
                  : { name: 'config', configMap: { name: shardName } },
                ...(c.v3 ? [{ name: 'template', configMap: { name: shardName } }] : []),
                { name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeQuantity(c.scratch)) } },
                ...(monitoringOn ? [{ name: 'exporter-config', configMap: { name: `${prefix}-exporter` } }] : []),
              ],
            },
          },
        },
      });
      deployments.push(deployment);
    }

    // The status page and the metrics of every shard of the group.
    new k8s.KubeService(scope, 'Service', {
      metadata: { name: prefix, labels },
      spec: {
        clusterIp: 'None',
        selector,
        ports: [
          { name: 'status', port: STATUS_PORT, targetPort: k8s.IntOrString.fromString('status') },
          ...(monitoringOn ? [{ name: 'metrics', port: EXPORTER_PORT, targetPort: k8s.IntOrString.fromString('metrics') }] : []),
        ],
      },
    });
    createNetworkPolicy(scope, 'NetworkPolicy', undefined, {
      name: prefix, labels, memberSelector: selector, servicePorts: [], metricsPorts: monitoringOn ? [EXPORTER_PORT] : [],
    });
    // The writer's Redis, when it is a RedisCluster with its own NetworkPolicy, must admit this group.
    if (writer.redis) {
      createNetworkPolicy(scope, 'WriterAccess', { allowedClients: [NetworkPeer.pods(selector)], monitoringPeers: [] }, {
        name: `${prefix}-writer-access`,
        labels,
        memberSelector: writer.redis.podSelectorLabels,
        servicePorts: writer.local.sentinelMaster ? [REDIS_PORT, writer.redis.port] : [REDIS_PORT],
        metricsPorts: [],
      });
    }

    let alerts: AlertRule[] = [];
    if (monitoringOn) {
      const mon = createMonitoring(scope, c.monitoring, {
        name: prefix,
        namespace: writer.namespace,
        labels,
        serviceSelector: selector,
        metricsPortName: 'metrics',
        metricsPath: '/probe',
        metricsParams: { module: ['redisshake'], target: [`http://127.0.0.1:${STATUS_PORT}${c.v3 ? '/metrics' : '/'}`] },
        podTargetLabels: ['shard'],
        alerts: shakeAlerts({
          namespace: writer.namespace, groupPrefix: prefix, group, shouldRun: running, job: prefix, v3: c.v3, state: this.state,
        }),
        ruleGroup: `redis-shake.${prefix}`,
        dashboard: shakeDashboard({
          uid: `redis-shake-${prefix}`.slice(0, 40), title: `RedisShake / ${prefix}`, job: prefix, namespace: writer.namespace, groupPrefix: prefix, v3: c.v3,
        }),
      });
      alerts = mon?.alerts ?? [];
    }
    return { name: group, running, deployments, configMaps, alerts };
  }
}

interface GroupCommon {
  readonly name: string;
  readonly v3: boolean;
  readonly version: RedisShakeVersion;
  readonly resources: ReturnType<typeof resolveResources>;
  readonly scratch: Size;
  readonly ncpu: number;
  readonly shakeImage: string;
  readonly shakePullPolicy: string;
  readonly exporterImage: string;
  readonly exporterPullPolicy: string;
  readonly toolsImage: string;
  readonly toolsPullPolicy: string;
  readonly imagePullSecrets?: { name: string }[];
  readonly monitoring?: MonitoringProps;
}

function isCidr(s: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  if (v4) return v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32;
  const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(s);
  return !!v6 && v6[1].includes(':') && Number(v6[2]) <= 128;
}

function isHostPort(s: string): boolean {
  const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(s);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 65535;
}
