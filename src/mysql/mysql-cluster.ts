import { createHash } from 'crypto';
import { ApiObject, Chart, Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { mysqlAlerts } from './alerts';
import { isReservedOption, renderMyCnf } from './config';
import { mysqlDashboard } from './dashboard';
import {
  mysqlAgentScript,
  mysqlBackupScript,
  mysqlEntrypointScript,
  mysqlFirstBootSql,
  mysqlPhysicalBackupScript,
  mysqlProbeScript,
  mysqlPromoteScript,
  mysqlUsersScript,
} from './scripts';
import { createDisruptionBudget } from '../availability/disruption-budget';
import { createNetworkPolicy } from '../availability/network-policy';
import { backupFailedAlert, BackupProps, createBackupCronJob, restoreDownloadContainer, RestoreProps } from '../backup/backup';
import { MiddlewareClusterProps } from '../core/cluster-props';
import { ImageProps, pullSecrets, resolveImage } from '../core/images';
import { oneShotJob } from '../core/jobs';
import { componentLabels, InstanceIdentity, selectorLabels } from '../core/labels';
import { fixedResources, renderResources, resolveResources, sizeBytes } from '../core/resources';
import { checkDnsLabel, checkInteger, checkRule, warn } from '../core/validation';
import { SIDECAR_IMAGES, warnIfEndOfLife } from '../core/versions';
import { bindCredentials, Credentials, secretEnv, SecretKeyRef } from '../credentials/credentials';
import { AlertRule } from '../monitoring/alerts';
import { createMonitoring } from '../monitoring/monitoring';
import { renderScheduling, SchedulingProps } from '../scheduling/scheduling';
import { resolveStorage, retentionPolicy, StorageProps, volumeClaimTemplate } from '../storage/storage';

/** MySQL topologies. */
export enum MysqlTopology {
  /** One server, no replication: for development and small, restorable workloads. */
  STANDALONE = 'standalone',
  /**
   * One primary and N replicas with GTID replication (auto-position), optionally semi-synchronous. Services
   * follow the real roles; promoting a replica when the primary is lost is a manual, scripted step.
   */
  REPLICATION = 'replication',
  /** MySQL Group Replication, single-primary: 3 to 9 members elect a new primary by themselves. */
  GROUP_REPLICATION = 'group-replication',
}

/** A MySQL version and the image tag that provides it. */
export class MysqlVersion {
  /** MySQL 8.4 LTS (the default). */
  public static readonly V8_4 = new MysqlVersion('8.4', '8.4.11');
  /** MySQL 8.0: end of life since 2026-04-30, for existing data only (synthesis warns). */
  public static readonly V8_0 = new MysqlVersion('8.0', '8.0.46');
  /**
   * A specific tag of the official image: 8.4.x, or 8.0.x from 8.0.27 (the first with the MySQL
   * communication stack for group replication and the current replication syntax).
   * @param tag image tag (`<major>.<minor>.<patch>`, optionally with a suffix like `-oracle`)
   */
  public static ofTag(tag: string): MysqlVersion {
    const m = /^(\d+)\.(\d+)\.(\d+)([-.][A-Za-z0-9.-]+)?$/.exec(tag);
    return new MysqlVersion(m ? `${m[1]}.${m[2]}` : tag, tag);
  }
  private constructor(
    /** `major.minor`, e.g. `8.4`. */
    public readonly majorMinor: string,
    /** Image tag. */
    public readonly imageTag: string,
  ) {}
}

/** Binary log format. */
export enum BinlogFormat {
  /** Row images (the default; required by group replication). */
  ROW = 'ROW',
  /** Statements, with rows where a statement is unsafe. */
  MIXED = 'MIXED',
  /** Statements only. */
  STATEMENT = 'STATEMENT',
}

/** How scheduled backups copy the data. */
export enum MysqlBackupMethod {
  /**
   * mysqldump of every user database (one consistent snapshot): portable across versions, slow to restore
   * for large data.
   */
  LOGICAL = 'logical',
  /**
   * A copy of the data files taken with the clone plugin by a temporary server in the backup Job: fast to
   * restore, but only into the same MySQL version or a later one (an in-place upgrade).
   */
  PHYSICAL = 'physical',
}

/** An application user: created on the primary with its password from a Secret. */
export interface MysqlUser {
  /** User name (letters, digits, underscores; at most 32). */
  readonly name: string;
  /**
   * Password.
   * @default Credentials.generate(): a Secret `<instance>-user-<name>` generated in the cluster
   */
  readonly password?: Credentials;
  /**
   * Databases the user gets privileges on (each must be listed in `databases`).
   * @default none
   */
  readonly databases?: string[];
  /**
   * Read-only access (SELECT, SHOW VIEW) instead of all privileges on those databases.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Props of a MysqlCluster. */
export interface MysqlClusterProps extends MiddlewareClusterProps {
  /**
   * Topology.
   * @default MysqlTopology.REPLICATION
   */
  readonly topology?: MysqlTopology;
  /**
   * MySQL version.
   * @default MysqlVersion.V8_4
   */
  readonly version?: MysqlVersion;
  /**
   * Number of servers: 1 for standalone; 2 to 10 for replication (one primary, the rest replicas); 3 to 9
   * for group replication (odd counts recommended).
   * @default 1 for standalone, 3 otherwise
   */
  readonly instances?: number;
  /**
   * Replication topology: semi-synchronous replication (a commit returns once a replica has the transaction).
   * @default true for replication
   */
  readonly semiSync?: boolean;
  /**
   * How long a commit waits for a replica's acknowledgement before falling back to asynchronous replication.
   * @default Duration.seconds(10)
   */
  readonly semiSyncTimeout?: Duration;
  /**
   * Offset of `server_id`: pod i gets offset + i.
   * @default 100
   */
  readonly serverIdOffset?: number;
  /**
   * Resources of each mysql container. The memory limit also sizes the InnoDB buffer pool.
   * @default cpu 500m request / 2 limit, memory 2Gi request and limit
   */
  readonly resources?: ContainerResources;
  /**
   * Share of the memory limit given to `innodb_buffer_pool_size`, in percent.
   * @default 60
   */
  readonly bufferPoolPercent?: number;
  /**
   * `max_connections`.
   * @default 512
   */
  readonly maxConnections?: number;
  /**
   * Slow query log (slow.log in the data directory).
   * @default true
   */
  readonly slowQueryLog?: boolean;
  /**
   * `long_query_time`: queries slower than this are logged.
   * @default Duration.seconds(1)
   */
  readonly longQueryTime?: Duration;
  /**
   * Binary log format.
   * @default BinlogFormat.ROW
   */
  readonly binlogFormat?: BinlogFormat;
  /**
   * How long binary logs are kept (a replica that is down longer must be rebuilt by a clone).
   * @default Duration.days(7)
   */
  readonly binlogExpiry?: Duration;
  /**
   * Free-form `[mysqld]` options (`name` -> `value`) that replace or extend the generated ones. Options the
   * topology owns (paths, server id, GTID, binary log, read-only, plugins, group replication) are refused.
   * @default none
   */
  readonly config?: { [option: string]: string };
  /**
   * Password of `root` (no quote or backslash characters: the image's first-boot setup does not escape them).
   * @default Credentials.generate(): a Secret `<name>-root` generated in the cluster
   */
  readonly rootPassword?: Credentials;
  /**
   * Password of the replication user `repl` (also the group replication recovery user and clone donor).
   * @default Credentials.generate(): a Secret `<name>-replication` generated in the cluster
   */
  readonly replicationPassword?: Credentials;
  /**
   * Password of the `exporter` user of mysqld_exporter.
   * @default Credentials.generate(): a Secret `<name>-exporter` generated in the cluster
   */
  readonly exporterPassword?: Credentials;
  /**
   * Databases to create (utf8mb4).
   * @default none
   */
  readonly databases?: string[];
  /**
   * Application users to create on the primary.
   * @default none
   */
  readonly users?: MysqlUser[];
  /**
   * Persistent volume of each server.
   * @default 20Gi, the default StorageClass, PVCs retained
   */
  readonly storage?: StorageProps;
  /**
   * Scheduling of the servers.
   * @default required anti-affinity on the hostname, zone spread preferred
   */
  readonly scheduling?: SchedulingProps;
  /**
   * MySQL image (also runs the agent, the users Job and the backup dump).
   * @default docker.io/library/mysql with the version's tag
   */
  readonly image?: ImageProps;
  /**
   * mysqld_exporter image.
   * @default docker.io/prom/mysqld-exporter pinned by this library
   */
  readonly exporterImage?: ImageProps;
  /**
   * Image used by the password generator Jobs (needs `sh` and `curl`).
   * @default docker.io/curlimages/curl pinned by this library
   */
  readonly toolsImage?: ImageProps;
  /**
   * Replication lag above which the MySQLReplicationLag alert fires.
   * @default Duration.seconds(30)
   */
  readonly replicationLagThreshold?: Duration;
  /**
   * Slow queries per second above which the MySQLSlowQueries alert fires.
   * @default 1
   */
  readonly slowQueriesAlertPerSecond?: number;
  /**
   * Scheduled backups to S3, taken from a replica when one is healthy.
   * @default no backups
   */
  readonly backup?: BackupProps;
  /**
   * How backups copy the data (needs `backup`).
   * @default MysqlBackupMethod.LOGICAL
   */
  readonly backupMethod?: MysqlBackupMethod;
  /**
   * Seed a new instance from a backup of either method (found from the backup's files): pod 0, the first
   * primary, loads it before it accepts writes (a physical backup becomes its data directory), and the other
   * servers copy it by replication or clone. Volumes that already hold data are never touched.
   * @default start empty
   */
  readonly restore?: RestoreProps;
}

export const MYSQL_PORT = 3306;
export const MYSQLD_EXPORTER_PORT = 9104;
const MYSQL_IMAGE = 'docker.io/library/mysql';
// The official image's mysql user.
const MYSQL_UID = 999;
const ROLE_LABEL = 'role';
const REPL_USER = 'repl';
const EXPORTER_USER = 'exporter';
const SYSTEM_SCHEMAS = ['mysql', 'sys', 'performance_schema', 'information_schema'];
const SYSTEM_USERS = ['root', REPL_USER, EXPORTER_USER, 'mysql.sys', 'mysql.session', 'mysql.infoschema'];
const SA_DIR = '/var/run/secrets/cdk8s-middleware/agent';

/**
 * A production MySQL: standalone, primary/replicas with GTID (and semi-synchronous) replication, or group
 * replication, with an agent that keeps role labels (and so the read-write and read-only Services) in step
 * with the real roles, generated or referenced credentials, declared databases and users, anti-affinity,
 * PodDisruptionBudget, NetworkPolicy, probes that query MySQL, mysqld_exporter with ServiceMonitor, alerts
 * and a dashboard, and optional S3 backups and restore.
 */
export class MysqlCluster extends Construct {
  /** Instance name. */
  public readonly name: string;
  /** Topology. */
  public readonly topology: MysqlTopology;
  /** Number of servers. */
  public readonly instances: number;
  /** MySQL major.minor version, e.g. `8.4`. */
  public readonly versionMajorMinor: string;
  /** Host of the read-write Service (always the primary). */
  public readonly host: string;
  /** Host of the read-only Service (the replicas or secondaries); the read-write host for standalone. */
  public readonly readHost: string;
  /** MySQL port. */
  public readonly port: number;
  /** Secret and key of the root password. */
  public readonly rootPasswordSecret: SecretKeyRef;
  /** Secret and key of each application user's password, by user name. */
  public readonly userPasswordSecrets: { [user: string]: SecretKeyRef };
  /** Labels that select every MySQL server pod of this instance. */
  public readonly podSelectorLabels: { [key: string]: string };
  /** Group replication: the group name (a UUID derived from namespace and name). */
  public readonly groupName?: string;
  /** my.cnf ConfigMap. */
  public readonly configMap: ApiObject;
  /** Scripts ConfigMap (entrypoint, agent, probes, users, backup, promote). */
  public readonly scriptsConfigMap: ApiObject;
  /** Read-write Service (selects the pod labelled `role=primary`). */
  public readonly service: ApiObject;
  /** Read-only Service (selects pods labelled `role=replica`), except in standalone. */
  public readonly readService?: ApiObject;
  /** Headless Service giving each server a stable DNS name. */
  public readonly headlessService: ApiObject;
  /** Service that exposes the exporters to the ServiceMonitor. */
  public readonly metricsService?: ApiObject;
  /** The StatefulSet. */
  public readonly statefulSet: ApiObject;
  /** The agent's ServiceAccount, Role (get/patch of its own pods) and RoleBinding. */
  public readonly agentRbac: ApiObject[];
  /** Job creating databases and users. */
  public readonly usersJob?: ApiObject;
  /** PodDisruptionBudget (not for standalone). */
  public readonly disruptionBudget?: ApiObject;
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
  /** Password generator Jobs (one per generated Secret). */
  public readonly passwordGeneratorJobs: ApiObject[];

  constructor(scope: Construct, id: string, props: MysqlClusterProps = {}) {
    super(scope, id);
    const name = checkDnsLabel(this, 'name', props.name ?? id, 40);
    const topology = props.topology ?? MysqlTopology.REPLICATION;
    const version = props.version ?? MysqlVersion.V8_4;
    const vm = /^(\d+)\.(\d+)\.(\d+)/.exec(version.imageTag);
    checkRule(this, vm !== null && (version.majorMinor === '8.4' || (version.majorMinor === '8.0' && Number(vm[3]) >= 27)),
      'version', version.imageTag, 'must be a MySQL 8.4.x or 8.0.x (from 8.0.27) image tag, e.g. MysqlVersion.V8_4 or MysqlVersion.ofTag("8.4.6")');
    warnIfEndOfLife(this, 'version', 'MySQL', version.majorMinor);
    this.name = name;
    this.topology = topology;
    this.versionMajorMinor = version.majorMinor;
    const namespace = Chart.of(this).namespace;

    // Topology rules.
    let instances: number;
    if (topology === MysqlTopology.STANDALONE) {
      instances = checkInteger(this, 'instances', props.instances ?? 1, 1, 1);
    } else if (topology === MysqlTopology.REPLICATION) {
      instances = checkInteger(this, 'instances', props.instances ?? 3, 2, 10);
    } else {
      instances = checkInteger(this, 'instances', props.instances ?? 3, 3, 9);
      if (instances % 2 === 0) {
        warn(this, 'instances', instances, `an even group tolerates no more failures than ${instances - 1} members; prefer an odd count`);
      }
    }
    this.instances = instances;
    checkRule(this, topology === MysqlTopology.REPLICATION || props.semiSync !== true, 'semiSync', props.semiSync,
      'is only allowed in the replication topology (standalone has no replica; group replication has its own consensus)');
    const semiSync = topology === MysqlTopology.REPLICATION && props.semiSync !== false;
    checkRule(this, semiSync || props.semiSyncTimeout === undefined, 'semiSyncTimeout', props.semiSyncTimeout?.toHumanString(),
      'needs semi-synchronous replication (topology REPLICATION, semiSync not false)');
    const semiSyncTimeoutMs = checkInteger(this, 'semiSyncTimeout', (props.semiSyncTimeout ?? Duration.seconds(10)).toMilliseconds(), 100, 3_600_000);
    const binlogFormat = props.binlogFormat ?? BinlogFormat.ROW;
    checkRule(this, topology !== MysqlTopology.GROUP_REPLICATION || binlogFormat === BinlogFormat.ROW, 'binlogFormat', binlogFormat,
      'must be ROW with group replication');
    checkRule(this, props.backup !== undefined || props.backupMethod === undefined, 'backupMethod', props.backupMethod,
      'needs backup (there is nothing to back up with it otherwise)');
    const serverIdOffset = checkInteger(this, 'serverIdOffset', props.serverIdOffset ?? 100, 1, 4_294_967_295 - instances);

    // Resources and server settings.
    const resources = resolveResources(this, 'resources', props.resources, {
      cpuRequest: Cpu.millis(500), cpuLimit: Cpu.units(2), memoryRequest: Size.gibibytes(2), memoryLimit: Size.gibibytes(2),
    });
    const bufferPoolPercent = checkInteger(this, 'bufferPoolPercent', props.bufferPoolPercent ?? 60, 10, 80);
    // InnoDB rounds the pool to a multiple of its chunk size (128Mi).
    const chunk = 128 * 2 ** 20;
    const bufferPoolBytes = Math.floor(sizeBytes(resources.memoryLimit) * bufferPoolPercent / 100 / chunk) * chunk;
    checkRule(this, bufferPoolBytes >= chunk, 'resources.memoryLimit', `${Math.round(sizeBytes(resources.memoryLimit) / 2 ** 20)}Mi`,
      `must leave at least 128Mi for the InnoDB buffer pool at bufferPoolPercent ${bufferPoolPercent}`);
    const maxConnections = checkInteger(this, 'maxConnections', props.maxConnections ?? 512, 10, 100_000);
    const longQueryMs = (props.longQueryTime ?? Duration.seconds(1)).toMilliseconds();
    checkInteger(this, 'longQueryTime', longQueryMs, 0, 3_600_000);
    const binlogExpireSeconds = checkInteger(this, 'binlogExpiry', (props.binlogExpiry ?? Duration.days(7)).toSeconds(), 3600, 90 * 86400);
    for (const [key, value] of Object.entries(props.config ?? {})) {
      checkRule(this, /^[a-z][a-z0-9_-]*$/.test(key), `config["${key}"]`, key, 'must be a my.cnf option name (lowercase, digits, _ and -)');
      checkRule(this, !isReservedOption(key), `config["${key}"]`, key,
        'is managed by the construct (paths, server id, GTID, binary log, read-only, plugins, semi-sync and group replication follow the topology)');
      checkRule(this, !/[\r\n]/.test(value), `config["${key}"]`, value, 'must be a single line');
    }
    const storage = resolveStorage(this, 'storage', props.storage, Size.gibibytes(20));

    // Databases and users.
    const databases = props.databases ?? [];
    databases.forEach((db, i) => {
      checkRule(this, /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(db) && !SYSTEM_SCHEMAS.includes(db.toLowerCase()), `databases[${i}]`, db,
        'must be 1-64 letters, digits and underscores starting with a letter, and not a system schema');
      checkRule(this, databases.indexOf(db) === i, `databases[${i}]`, db, 'is listed twice');
    });
    const users = props.users ?? [];
    users.forEach((u, i) => {
      checkRule(this, /^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(u.name) && !SYSTEM_USERS.includes(u.name), `users[${i}].name`, u.name,
        `must be 1-32 letters, digits and underscores starting with a letter, and not a system user (${SYSTEM_USERS.join(', ')})`);
      checkRule(this, users.findIndex((o) => o.name === u.name) === i, `users[${i}].name`, u.name, 'is declared twice');
      for (const db of u.databases ?? []) {
        checkRule(this, databases.includes(db), `users[${i}].databases`, db, `must be one of databases (${databases.join(', ') || 'none declared'})`);
      }
    });

    // Identity and images.
    const ident: InstanceIdentity = { name: 'mysql', instance: name, version: version.imageTag, partOf: props.partOf ?? name };
    const labels = (component: string) => componentLabels(ident, component);
    const dataSelector = selectorLabels(ident, 'mysql');
    this.podSelectorLabels = { ...dataSelector };
    const image = resolveImage(this, 'image', MYSQL_IMAGE, version.imageTag, props.image, props.registry);
    const exporterImage = resolveImage(this, 'exporterImage', SIDECAR_IMAGES.mysqldExporter.repository, SIDECAR_IMAGES.mysqldExporter.tag, props.exporterImage, props.registry);
    const toolsImage = resolveImage(this, 'toolsImage', SIDECAR_IMAGES.tools.repository, SIDECAR_IMAGES.tools.tag, props.toolsImage, props.registry);
    const imagePullSecrets = pullSecrets(props.registry);

    // Credentials: each under its own scope, so several generated Secrets never share construct ids.
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
    const rootRef = bind('Root', 'rootPassword', props.rootPassword, `${name}-root`);
    const replRef = bind('Replication', 'replicationPassword', props.replicationPassword, `${name}-replication`);
    const exporterRef = bind('Exporter', 'exporterPassword', props.exporterPassword, `${name}-exporter`);
    this.userPasswordSecrets = {};
    const userRefs = users.map((u, i) => {
      const ref = bind(`User-${u.name}`, `users[${i}].password`, u.password, `${name}-user-${u.name.toLowerCase().replace(/_/g, '-')}`);
      this.userPasswordSecrets[u.name] = ref;
      return ref;
    });
    this.rootPasswordSecret = rootRef;

    // Configuration.
    const headless = `${name}-headless`;
    const podNames = [...Array(instances).keys()].map((i) => `${name}-${i}`);
    const peers = podNames.map((p) => `${p}.${headless}`);
    this.groupName = topology === MysqlTopology.GROUP_REPLICATION ? uuidFrom(`${namespace ?? ''}/${name}`) : undefined;
    const dataDir = '/data/mysql';
    const myCnf = renderMyCnf({
      topology,
      majorMinor: version.majorMinor,
      port: MYSQL_PORT,
      dataDir,
      maxConnections,
      bufferPoolBytes,
      slowQueryLog: props.slowQueryLog ?? true,
      longQueryTimeSeconds: longQueryMs / 1000,
      binlogFormat,
      binlogExpireSeconds,
      semiSync,
      semiSyncTimeoutMs,
      groupName: this.groupName,
      groupSeeds: peers.map((p) => `${p}:${MYSQL_PORT}`),
      overrides: { ...(props.config ?? {}) },
    });
    this.configMap = new k8s.KubeConfigMap(this, 'Config', { metadata: { name: `${name}-config`, labels: labels('mysql') }, data: { 'my.cnf': myCnf } });
    const scripts: Record<string, string> = {
      'entrypoint.sh': mysqlEntrypointScript(),
      'agent.sh': mysqlAgentScript(),
      'probe.sh': mysqlProbeScript(),
      'first-boot.sql': mysqlFirstBootSql(),
    };
    if (topology === MysqlTopology.REPLICATION) scripts['promote.sh'] = mysqlPromoteScript();
    if (databases.length > 0 || users.length > 0) scripts['users.sh'] = mysqlUsersScript();
    this.scriptsConfigMap = new k8s.KubeConfigMap(this, 'Scripts', { metadata: { name: `${name}-scripts`, labels: labels('mysql') }, data: scripts });
    // A change of my.cnf or of the scripts rolls the pods.
    const configHash = createHash('sha256').update(JSON.stringify([myCnf, scripts])).digest('hex').slice(0, 16);

    // Services.
    const fqdn = (svc: string) => namespace ? `${svc}.${namespace}.svc` : svc;
    const mysqlPort = [{ name: 'mysql', port: MYSQL_PORT, targetPort: k8s.IntOrString.fromString('mysql') }];
    this.headlessService = new k8s.KubeService(this, 'HeadlessService', {
      metadata: { name: headless, labels: labels('mysql') },
      // Peers must resolve each other before they are ready (replication and group seeds).
      spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector: dataSelector, ports: mysqlPort },
    });
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name, labels: labels('mysql') },
      spec: { type: 'ClusterIP', selector: { ...dataSelector, [ROLE_LABEL]: 'primary' }, ports: mysqlPort },
    });
    if (topology !== MysqlTopology.STANDALONE) {
      this.readService = new k8s.KubeService(this, 'ReadService', {
        metadata: { name: `${name}-read`, labels: labels('mysql') },
        spec: { type: 'ClusterIP', selector: { ...dataSelector, [ROLE_LABEL]: 'replica' }, ports: mysqlPort },
      });
    }
    this.host = fqdn(name);
    this.readHost = this.readService ? fqdn(`${name}-read`) : this.host;
    this.port = MYSQL_PORT;

    // The agent may read and label only this instance's pods.
    const agentName = `${name}-agent`;
    const agentLabels = labels('agent');
    this.agentRbac = [
      new k8s.KubeServiceAccount(this, 'AgentServiceAccount', { metadata: { name: agentName, labels: agentLabels }, automountServiceAccountToken: false }),
      new k8s.KubeRole(this, 'AgentRole', {
        metadata: { name: agentName, labels: agentLabels },
        rules: [{ apiGroups: [''], resources: ['pods'], resourceNames: podNames, verbs: ['get', 'patch'] }],
      }),
      new k8s.KubeRoleBinding(this, 'AgentRoleBinding', {
        metadata: { name: agentName, labels: agentLabels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: agentName },
        subjects: [{ kind: 'ServiceAccount', name: agentName, namespace }],
      }),
    ];

    // Pods.
    const monitoringOn = props.monitoring?.enabled !== false;
    const podSecurity: k8s.PodSecurityContext = {
      runAsNonRoot: true,
      runAsUser: MYSQL_UID,
      runAsGroup: MYSQL_UID,
      fsGroup: MYSQL_UID,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const hardened: k8s.SecurityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
    const podEnv: k8s.EnvVar[] = [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'SELF_HOST', value: `$(POD_NAME).${headless}` },
      { name: 'TOPOLOGY', value: topology },
      { name: 'MYSQL_PORT', value: String(MYSQL_PORT) },
      secretEnv('MYSQL_ROOT_PASSWORD', rootRef),
    ];
    const agentEnv: k8s.EnvVar[] = [
      ...podEnv,
      { name: 'PEERS', value: peers.join(' ') },
      { name: 'CLIENT_CNF', value: '/run/agent/client.cnf' },
      { name: 'REPL_USER', value: REPL_USER },
      secretEnv('REPL_PASSWORD', replRef),
      { name: 'EXPORTER_USER', value: EXPORTER_USER },
      secretEnv('EXPORTER_PASSWORD', exporterRef),
      { name: 'STATE_DIR', value: '/data/agent' },
      { name: 'RESTORE_DIR', value: '/restore' },
      { name: 'ROLE_LABEL', value: ROLE_LABEL },
      { name: 'SA_DIR', value: SA_DIR },
      { name: 'INTERVAL_SECONDS', value: '5' },
      { name: 'HEARTBEAT_FILE', value: '/run/agent/alive' },
    ];
    const mysqlProbe = (kind: string, timing: Partial<k8s.Probe>): k8s.Probe => ({
      exec: { command: ['bash', '/scripts/probe.sh', kind] }, timeoutSeconds: 10, ...timing,
    });
    const heartbeatProbe = (timing: Partial<k8s.Probe>): k8s.Probe => ({
      exec: { command: ['bash', '-c', 'test -n "$(find /run/agent/alive -mmin -2 2>/dev/null)"'] }, timeoutSeconds: 5, ...timing,
    });
    // Only pod 0 (the first primary) uses a backup; the others copy it from there.
    const restoreInit = props.restore ? [restoreDownloadContainer(this, props.restore, name, props.registry, [0])] : [];
    const scheduling = renderScheduling(this, 'scheduling', props.scheduling, dataSelector);
    const podLabels = labels('mysql');
    this.statefulSet = new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: { name, labels: podLabels },
      spec: {
        serviceName: headless,
        replicas: instances,
        // Servers start together: a replica waits for its primary by itself, and group members for each other.
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: retentionPolicy(storage),
        selector: { matchLabels: dataSelector },
        template: {
          metadata: { labels: podLabels, annotations: { 'checksum/config': configHash } },
          spec: {
            serviceAccountName: agentName,
            // Only the agent gets an API token, through its own projected volume.
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            // InnoDB flushes dirty pages on a clean shutdown.
            terminationGracePeriodSeconds: 120,
            imagePullSecrets,
            securityContext: podSecurity,
            ...scheduling,
            initContainers: restoreInit.length ? restoreInit : undefined,
            containers: [
              {
                name: 'mysql',
                image: image.image,
                imagePullPolicy: image.pullPolicy,
                command: ['bash', '/scripts/entrypoint.sh'],
                env: [
                  ...podEnv,
                  { name: 'SERVER_ID_OFFSET', value: String(serverIdOffset) },
                  { name: 'BASE_CONF', value: '/etc/mysql-config/my.cnf' },
                  { name: 'RUN_CONF', value: '/run/mysql/my.cnf' },
                  { name: 'CLIENT_CNF', value: '/run/mysql/client.cnf' },
                  { name: 'DATA_DIR', value: dataDir },
                  { name: 'STATE_DIR', value: '/data/agent' },
                  { name: 'RESTORE_DIR', value: '/restore' },
                  // The agent loads time zones without binary logging; the image's load would create GTIDs.
                  { name: 'MYSQL_INITDB_SKIP_TZINFO', value: '1' },
                ],
                ports: [{ name: 'mysql', containerPort: MYSQL_PORT, protocol: 'TCP' }],
                resources: renderResources(resources),
                securityContext: hardened,
                // First boot initializes the data directory: allow 15 minutes.
                startupProbe: mysqlProbe('liveness', { periodSeconds: 10, failureThreshold: 90 }),
                livenessProbe: mysqlProbe('liveness', { periodSeconds: 15, failureThreshold: 4 }),
                readinessProbe: mysqlProbe('readiness', { periodSeconds: 10, failureThreshold: 3 }),
                volumeMounts: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'config', mountPath: '/etc/mysql-config', readOnly: true },
                  { name: 'scripts', mountPath: '/scripts', readOnly: true },
                  { name: 'run', mountPath: '/run/mysql' },
                  { name: 'mysqld-run', mountPath: '/var/run/mysqld' },
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'initdb', mountPath: '/docker-entrypoint-initdb.d', readOnly: true },
                  ...(restoreInit.length ? [{ name: 'restore', mountPath: '/restore', readOnly: true }] : []),
                ],
              },
              {
                name: 'agent',
                image: image.image,
                imagePullPolicy: image.pullPolicy,
                command: ['bash', '/scripts/agent.sh'],
                env: agentEnv,
                resources: fixedResources(20, 200, 64, 128),
                securityContext: hardened,
                startupProbe: heartbeatProbe({ periodSeconds: 10, failureThreshold: 30 }),
                livenessProbe: heartbeatProbe({ periodSeconds: 30, failureThreshold: 4 }),
                readinessProbe: heartbeatProbe({ periodSeconds: 30, failureThreshold: 2 }),
                volumeMounts: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'scripts', mountPath: '/scripts', readOnly: true },
                  { name: 'agent-run', mountPath: '/run/agent' },
                  { name: 'agent-token', mountPath: SA_DIR, readOnly: true },
                  ...(restoreInit.length ? [{ name: 'restore', mountPath: '/restore', readOnly: true }] : []),
                ],
              },
              ...(monitoringOn ? [{
                name: 'exporter',
                image: exporterImage.image,
                imagePullPolicy: exporterImage.pullPolicy,
                args: [
                  `--mysqld.address=127.0.0.1:${MYSQL_PORT}`,
                  `--mysqld.username=${EXPORTER_USER}`,
                  `--web.listen-address=:${MYSQLD_EXPORTER_PORT}`,
                  ...(topology === MysqlTopology.GROUP_REPLICATION ? ['--collect.perf_schema.replication_group_members'] : []),
                ],
                env: [secretEnv('MYSQLD_EXPORTER_PASSWORD', exporterRef)],
                ports: [{ name: 'metrics', containerPort: MYSQLD_EXPORTER_PORT, protocol: 'TCP' }],
                resources: fixedResources(50, 250, 32, 128),
                securityContext: hardened,
                livenessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 30, timeoutSeconds: 5 },
                readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 15, timeoutSeconds: 5 },
              } as k8s.Container] : []),
            ],
            volumes: [
              { name: 'config', configMap: { name: `${name}-config` } },
              { name: 'scripts', configMap: { name: `${name}-scripts`, defaultMode: 0o555 } },
              { name: 'initdb', configMap: { name: `${name}-scripts`, items: [{ key: 'first-boot.sql', path: 'first-boot.sql' }] } },
              { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
              { name: 'agent-run', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
              { name: 'mysqld-run', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
              // Temporary tables and sort files.
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('2Gi') } },
              {
                name: 'agent-token',
                projected: {
                  sources: [
                    { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
                    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                  ],
                },
              },
              ...(restoreInit.length ? [{ name: 'restore', emptyDir: {} }] : []),
            ],
          },
        },
        volumeClaimTemplates: [volumeClaimTemplate('data', storage, podLabels)],
      },
    });

    if (topology !== MysqlTopology.STANDALONE) {
      // One voluntary disruption at a time: a drain never takes a group's majority or two replicas together.
      this.disruptionBudget = createDisruptionBudget(this, 'DisruptionBudget', { name, labels: podLabels, selector: dataSelector, maxUnavailable: 1 });
    }
    this.networkPolicy = createNetworkPolicy(this, 'NetworkPolicy', props.networkPolicy, {
      name,
      labels: podLabels,
      memberSelector: selectorLabels(ident),
      servicePorts: [MYSQL_PORT],
      metricsPorts: monitoringOn ? [MYSQLD_EXPORTER_PORT] : [],
    });

    // Databases and users.
    if (databases.length > 0 || users.length > 0) {
      const spec = users.map((u) => `${u.name}:${(u.databases ?? []).join(',')}:${u.readOnly ? 'ro' : 'rw'}`);
      const jobLabels = labels('users');
      // Named after its content (oneShotJob): a changed declaration or version runs a new, idempotent Job.
      this.usersJob = oneShotJob(this, 'UsersJob', {
        baseName: `${name}-users`,
        labels: jobLabels,
        spec: {
          backoffLimit: 20,
          activeDeadlineSeconds: 3600,
          template: {
            metadata: { labels: jobLabels },
            spec: {
              restartPolicy: 'OnFailure',
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              imagePullSecrets,
              securityContext: podSecurity,
              containers: [{
                name: 'users',
                image: image.image,
                imagePullPolicy: image.pullPolicy,
                command: ['bash', '/scripts/users.sh'],
                env: [
                  { name: 'PRIMARY_HOST', value: name },
                  { name: 'MYSQL_PORT', value: String(MYSQL_PORT) },
                  { name: 'CLIENT_CNF', value: '/tmp/client.cnf' },
                  secretEnv('MYSQL_ROOT_PASSWORD', rootRef),
                  { name: 'DATABASES', value: databases.join(' ') },
                  { name: 'USERS', value: spec.join(' ') },
                  ...userRefs.map((ref, i) => secretEnv(`USER_PASSWORD_${i}`, ref)),
                  { name: 'WAIT_TIMEOUT_SECONDS', value: '900' },
                ],
                resources: fixedResources(10, 200, 32, 128),
                securityContext: hardened,
                volumeMounts: [{ name: 'scripts', mountPath: '/scripts', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
              }],
              volumes: [
                { name: 'scripts', configMap: { name: `${name}-scripts`, defaultMode: 0o555 } },
                { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
              ],
            },
          },
        },
      });
    }

    // Monitoring.
    if (monitoringOn) {
      this.metricsService = new k8s.KubeService(this, 'MetricsService', {
        metadata: { name: `${name}-metrics`, labels: labels('metrics') },
        spec: {
          clusterIp: 'None',
          selector: dataSelector,
          ports: [{ name: 'metrics', port: MYSQLD_EXPORTER_PORT, targetPort: k8s.IntOrString.fromString('metrics') }],
        },
      });
      const job = `${name}-metrics`;
      const sel = namespace ? `job="${job}",namespace="${namespace}"` : `job="${job}"`;
      const lagSeconds = checkInteger(this, 'replicationLagThreshold', (props.replicationLagThreshold ?? Duration.seconds(30)).toSeconds(), 1, 86400);
      const slow = props.slowQueriesAlertPerSecond ?? 1;
      checkRule(this, Number.isFinite(slow) && slow > 0 && slow <= 100_000, 'slowQueriesAlertPerSecond', slow, 'must be a number above 0 and at most 100000');
      const mon = createMonitoring(this, props.monitoring, {
        name,
        namespace,
        labels: labels('metrics'),
        serviceSelector: selectorLabels(ident, 'metrics'),
        metricsPortName: 'metrics',
        alerts: [
          ...mysqlAlerts({ selector: sel, topology, instances, instance: name, lagSeconds, slowQueriesPerSecond: slow }),
          ...(props.backup ? [backupFailedAlert({ engine: 'MySQL', cronJobName: `${name}-backup`, namespace, instance: name })] : []),
        ],
        ruleGroup: `mysql.${name}`,
        dashboard: mysqlDashboard({ uid: `mysql-${name}`.slice(0, 40), title: `MySQL / ${name}`, job, namespace, topology }),
        podTargetLabels: [ROLE_LABEL],
      });
      this.serviceMonitor = mon?.serviceMonitor;
      this.prometheusRule = mon?.prometheusRule;
      this.dashboard = mon?.dashboard;
      this.alerts = mon?.alerts ?? [];
    } else {
      this.alerts = [];
    }

    // Backup: a replica (read Service) first, the primary when no replica answers.
    if (props.backup) {
      const physical = props.backupMethod === MysqlBackupMethod.PHYSICAL;
      const backupEnv: k8s.EnvVar[] = [
        { name: 'BACKUP_HOSTS', value: this.readService ? `${name}-read ${name}` : name },
        { name: 'MYSQL_PORT', value: String(MYSQL_PORT) },
        { name: 'CLIENT_CNF', value: '/tmp/client.cnf' },
        { name: 'OUT_DIR', value: '/backup' },
        secretEnv('MYSQL_ROOT_PASSWORD', rootRef),
      ];
      this.backupCronJob = createBackupCronJob(this, props.backup, {
        name: `${name}-backup`,
        labels: labels('backup'),
        defaultPrefix: name,
        registry: props.registry,
        podSecurityContext: podSecurity,
        dumpContainer: physical ? {
          name: 'clone',
          image: image.image,
          imagePullPolicy: image.pullPolicy,
          command: ['bash', '-c', mysqlPhysicalBackupScript()],
          env: [
            ...backupEnv,
            { name: 'REPL_USER', value: REPL_USER },
            secretEnv('REPL_PASSWORD', replRef),
            { name: 'BASE_CONF', value: '/etc/mysql-config/my.cnf' },
            { name: 'WORK_DIR', value: '/tmp' },
          ],
          // The temporary server: a 128Mi buffer pool plus performance_schema and clone buffers.
          resources: fixedResources(250, 2000, 768, 2048),
          securityContext: hardened,
          volumeMounts: [
            { name: 'backup', mountPath: '/backup' },
            { name: 'tmp', mountPath: '/tmp' },
            { name: 'config', mountPath: '/etc/mysql-config', readOnly: true },
          ],
        } : {
          name: 'dump',
          image: image.image,
          imagePullPolicy: image.pullPolicy,
          command: ['bash', '-c', mysqlBackupScript()],
          env: backupEnv,
          resources: fixedResources(100, 1000, 256, 1024),
          securityContext: hardened,
          volumeMounts: [{ name: 'backup', mountPath: '/backup' }, { name: 'tmp', mountPath: '/tmp' }],
        },
        extraVolumes: physical ? [{ name: 'config', configMap: { name: `${name}-config` } }] : undefined,
      });
    }
  }
}

/** A stable UUID (version-5 layout) from a string: the group name stays the same across synths. */
function uuidFrom(text: string): string {
  const h = createHash('sha256').update(`cdk8s-middleware/mysql-group/${text}`).digest('hex');
  const variant = (8 + (parseInt(h[16], 16) % 4)).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
