import { ApiObject, Cron, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { s3DownloadScript, s3UploadScript } from './scripts';
import { ImageProps, ImageRegistryProps, resolveImage } from '../core/images';
import { fixedResources } from '../core/resources';
import { checkInteger, checkRule, fail } from '../core/validation';
import { SIDECAR_IMAGES } from '../core/versions';
import { AlertRule, AlertSeverity } from '../monitoring/alerts';

/** An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, ...). */
export interface S3Target {
  /** Bucket name (must exist). */
  readonly bucket: string;
  /**
   * Endpoint URL for non-AWS stores, e.g. `http://minio.minio.svc:9000`.
   * @default AWS S3
   */
  readonly endpoint?: string;
  /**
   * Region.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Key prefix ("folder") under which backups are written; each backup is a sub-folder named by its UTC time.
   * @default the instance name
   */
  readonly prefix?: string;
  /** Name of an existing Secret holding the access key pair. */
  readonly credentialsSecret: string;
  /**
   * Key of the access key id in that Secret.
   * @default 'AWS_ACCESS_KEY_ID'
   */
  readonly accessKeyIdKey?: string;
  /**
   * Key of the secret access key in that Secret.
   * @default 'AWS_SECRET_ACCESS_KEY'
   */
  readonly secretAccessKeyKey?: string;
  /**
   * Path-style addressing (`endpoint/bucket/key`), which MinIO needs.
   * @default true when `endpoint` is set
   */
  readonly forcePathStyle?: boolean;
}

/** Scheduled backups to S3. */
export interface BackupProps {
  /** Where backups go. */
  readonly target: S3Target;
  /**
   * When to back up (UTC unless your cluster's CronJob timeZone says otherwise).
   * @default daily at 02:00
   */
  readonly schedule?: Cron;
  /**
   * Days to keep backups; older backup folders under the prefix are deleted after each successful backup.
   * @default 7
   */
  readonly retentionDays?: number;
  /**
   * Create the CronJob suspended (for example in a DR standby cluster).
   * @default false
   */
  readonly suspend?: boolean;
  /**
   * Maximum run time of one backup Job.
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;
  /**
   * Image of the S3 client (AWS CLI v2).
   * @default amazon/aws-cli pinned by this library
   */
  readonly s3ClientImage?: ImageProps;
}

/** Where to restore a new cluster from. */
export interface RestoreProps {
  /** The bucket and prefix the backups were written to. */
  readonly source: S3Target;
  /** Backup folder name (its UTC time, e.g. `20261124T020000Z`), or `latest`. */
  readonly backupId: string;
  /**
   * Image of the S3 client (AWS CLI v2).
   * @default amazon/aws-cli pinned by this library
   */
  readonly s3ClientImage?: ImageProps;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CRON_FIELD_RANGES: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

/** Validates a five-field cron expression (numbers, `*`, ranges, lists and steps). */
export function checkCron(scope: IConstruct, prop: string, cron: Cron): string {
  const expr = cron.expressionString.trim();
  const fields = expr.split(/\s+/);
  const allowed = 'must be a five-field cron expression (minute hour day-of-month month day-of-week) with numbers, *, ranges, lists and steps';
  if (fields.length !== 5) fail(scope, prop, expr, allowed);
  fields.forEach((field, i) => {
    const [lo, hi] = CRON_FIELD_RANGES[i];
    for (const part of field.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!m) fail(scope, prop, expr, allowed);
      const nums = [m[2], m[3]].filter((n) => n !== undefined).map(Number);
      if (nums.some((n) => n < lo || n > hi) || (nums.length === 2 && nums[0] > nums[1]) || (m[4] !== undefined && Number(m[4]) < 1)) {
        fail(scope, prop, expr, `${allowed}; field ${i + 1} must be within ${lo}-${hi}`);
      }
    }
  });
  return expr;
}

/** Validated S3 settings. */
export interface ResolvedS3 {
  readonly target: S3Target;
  readonly prefix: string;
  readonly env: k8s.EnvVar[];
}

export function resolveS3(scope: IConstruct, prop: string, t: S3Target, defaultPrefix: string): ResolvedS3 {
  checkRule(scope, BUCKET.test(t.bucket) && !t.bucket.includes('..'), `${prop}.bucket`, t.bucket,
    'must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens');
  if (t.endpoint !== undefined) {
    checkRule(scope, /^https?:\/\/[^\s/]+(\/.*)?$/.test(t.endpoint), `${prop}.endpoint`, t.endpoint, 'must be an http:// or https:// URL');
  }
  const prefix = (t.prefix ?? defaultPrefix).replace(/\/+$/, '');
  checkRule(scope, prefix.length > 0 && !prefix.startsWith('/') && !prefix.split('/').some((s) => s === '..' || s === '.' || s === '')
    && /^[A-Za-z0-9!_.*'()/-]+$/.test(prefix), `${prop}.prefix`, t.prefix,
  "must be a relative key prefix like 'redis/cache' (no leading '/', no empty, '.' or '..' segments, safe characters only)");
  checkRule(scope, t.credentialsSecret.length > 0, `${prop}.credentialsSecret`, t.credentialsSecret, 'must name a Secret');
  const env: k8s.EnvVar[] = [
    { name: 'S3_BUCKET', value: t.bucket },
    { name: 'S3_PREFIX', value: prefix },
    { name: 'S3_REGION', value: t.region ?? 'us-east-1' },
    { name: 'AWS_DEFAULT_REGION', value: t.region ?? 'us-east-1' },
    { name: 'S3_ENDPOINT', value: t.endpoint ?? '' },
    { name: 'S3_FORCE_PATH_STYLE', value: String(t.forcePathStyle ?? t.endpoint !== undefined) },
    { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: t.credentialsSecret, key: t.accessKeyIdKey ?? 'AWS_ACCESS_KEY_ID' } } },
    { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: t.credentialsSecret, key: t.secretAccessKeyKey ?? 'AWS_SECRET_ACCESS_KEY' } } },
    // The CLI writes its config and cache under HOME; the root filesystem is read-only.
    { name: 'HOME', value: '/tmp' },
    // From AWS CLI 2.23 every upload carries a CRC checksum and every download must validate one; many S3-compatible
    // stores reject or omit them. Send and check checksums only where the S3 operation requires them.
    { name: 'AWS_REQUEST_CHECKSUM_CALCULATION', value: 'when_required' },
    { name: 'AWS_RESPONSE_CHECKSUM_VALIDATION', value: 'when_required' },
  ];
  return { target: t, prefix, env };
}

const HARDENED: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

export interface BackupJobOptions {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** The engine's dump step: writes its files into `/backup`. */
  readonly dumpContainer: k8s.Container;
  readonly podSecurityContext: k8s.PodSecurityContext;
  readonly registry?: ImageRegistryProps;
  readonly defaultPrefix: string;
  /** Volumes the dump step mounts besides `backup` and `tmp`. */
  readonly extraVolumes?: k8s.Volume[];
}

/** The backup CronJob: the engine's dump step, then upload to S3 and prune old backups. */
export function createBackupCronJob(scope: Construct, props: BackupProps, o: BackupJobOptions): ApiObject {
  const s3 = resolveS3(scope, 'backup.target', props.target, o.defaultPrefix);
  const schedule = checkCron(scope, 'backup.schedule', props.schedule ?? Cron.schedule({ minute: '0', hour: '2' }));
  const retentionDays = checkInteger(scope, 'backup.retentionDays', props.retentionDays ?? 7, 1, 3650);
  const timeout = (props.timeout ?? Duration.hours(1)).toSeconds();
  checkInteger(scope, 'backup.timeout', timeout, 60, 7 * 24 * 3600);
  const cli = resolveImage(scope, 'backup.s3ClientImage', SIDECAR_IMAGES.awsCli.repository, SIDECAR_IMAGES.awsCli.tag, props.s3ClientImage, o.registry);
  const pullSecrets = (o.registry?.pullSecrets ?? []).map((name) => ({ name }));
  return new k8s.KubeCronJob(scope, 'BackupCronJob', {
    metadata: { name: o.name, labels: o.labels },
    spec: {
      schedule,
      suspend: props.suspend ?? false,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels: o.labels },
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: timeout,
          template: {
            metadata: { labels: o.labels },
            spec: {
              restartPolicy: 'Never',
              automountServiceAccountToken: false,
              imagePullSecrets: pullSecrets.length ? pullSecrets : undefined,
              securityContext: o.podSecurityContext,
              initContainers: [o.dumpContainer],
              containers: [{
                name: 'upload',
                image: cli.image,
                imagePullPolicy: cli.pullPolicy,
                command: ['/bin/bash', '-c', s3UploadScript()],
                env: [
                  ...s3.env,
                  { name: 'BACKUP_DIR', value: '/backup' },
                  { name: 'RETENTION_DAYS', value: String(retentionDays) },
                ],
                volumeMounts: [{ name: 'backup', mountPath: '/backup' }, { name: 'tmp', mountPath: '/tmp' }],
                resources: fixedResources(50, 500, 128, 512),
                securityContext: HARDENED,
              }],
              volumes: [{ name: 'backup', emptyDir: {} }, { name: 'tmp', emptyDir: {} }, ...(o.extraVolumes ?? [])],
            },
          },
        },
      },
    },
  });
}

export interface BackupAlertOptions {
  /** Prefix of the alert name, e.g. `MySQL`. */
  readonly engine: string;
  readonly cronJobName: string;
  readonly namespace?: string;
  readonly instance: string;
}

/**
 * The alert on a cluster's backups, from kube-state-metrics: it fires when the newest run of the backup CronJob
 * failed (or runs failed and none ever succeeded), and clears with the next successful run. Runs are matched to
 * the CronJob through their owner, so Job names never need to be guessed.
 */
export function backupFailedAlert(o: BackupAlertOptions): AlertRule {
  const ns = o.namespace ? `namespace="${o.namespace}"` : '';
  const m = (extra: string) => `{${[ns, extra].filter((x) => x).join(',')}}`;
  const start = `max by (namespace, job_name) (kube_job_status_start_time${m('')})`;
  const owned = `max by (namespace, job_name) (kube_job_owner${m(`owner_kind="CronJob",owner_name="${o.cronJobName}"`)})`;
  const failed = `(max by (namespace, job_name) (kube_job_failed${m('condition="true"')}) == 1)`;
  const succeeded = `(max by (namespace, job_name) (kube_job_status_succeeded${m('')}) > 0)`;
  const newest = (outcome: string) => `max(${start} and on (namespace, job_name) ${owned} and on (namespace, job_name) ${outcome})`;
  return {
    name: `${o.engine}BackupFailed`,
    expr: `${newest(failed)} > (${newest(succeeded)} or vector(0))`,
    for: Duration.minutes(1),
    severity: AlertSeverity.WARNING,
    summary: `The newest backup of ${o.engine} ${o.instance} failed`,
    description: `The last run of CronJob ${o.cronJobName} failed after its retries. Read the log of its failed pod (kubectl logs job/<job>); the previous backups in S3 are kept.`,
  };
}

/**
 * The init container that downloads a backup into the `restore` volume (mounted at /restore). With
 * `onlyOrdinals`, pods of a StatefulSet with other ordinals download nothing.
 */
export function restoreDownloadContainer(
  scope: IConstruct, props: RestoreProps, defaultPrefix: string, registry?: ImageRegistryProps, onlyOrdinals?: number[],
): k8s.Container {
  const s3 = resolveS3(scope, 'restore.source', props.source, defaultPrefix);
  checkRule(scope, props.backupId === 'latest' || /^\d{8}T\d{6}Z$/.test(props.backupId), 'restore.backupId', props.backupId,
    "must be 'latest' or a backup folder name like 20261124T020000Z");
  const cli = resolveImage(scope, 'restore.s3ClientImage', SIDECAR_IMAGES.awsCli.repository, SIDECAR_IMAGES.awsCli.tag, props.s3ClientImage, registry);
  return {
    name: 'restore-download',
    image: cli.image,
    imagePullPolicy: cli.pullPolicy,
    command: ['/bin/bash', '-c', s3DownloadScript()],
    env: [
      ...s3.env, { name: 'BACKUP_ID', value: props.backupId }, { name: 'RESTORE_DIR', value: '/restore' }, { name: 'DATA_DIR', value: '/data' },
      ...(onlyOrdinals ? [
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'RESTORE_ORDINALS', value: onlyOrdinals.join(' ') },
      ] : []),
    ],
    volumeMounts: [{ name: 'restore', mountPath: '/restore' }, { name: 'data', mountPath: '/data' }, { name: 'tmp', mountPath: '/tmp' }],
    resources: fixedResources(50, 500, 128, 512),
    securityContext: HARDENED,
  };
}
