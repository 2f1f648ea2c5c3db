/**
 * A real S3 server for backup scenarios: MinIO (built from its Go module) as a pod in namespace e2e-s3, with one
 * bucket. Scenarios get a Secret with the access keys in their own namespace and a target for the library's props.
 */
import { NodeImages } from './images';
import { Kube } from './kube';

export const S3_NAMESPACE = 'e2e-s3';
export const S3_ENDPOINT = `http://minio.${S3_NAMESPACE}.svc.cluster.local:9000`;
const ACCESS_KEY = 'e2e-backup';
// A test-only credential for a server that lives for one test run on an isolated network.
const SECRET_KEY = 'e2e-backup-secret-key';

export async function ensureS3(kube: Kube, images: NodeImages): Promise<void> {
  const minioTag = images.require('quay.io/minio/minio');
  kube.ensureNamespace(S3_NAMESPACE);
  const docs = [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'minio-root', namespace: S3_NAMESPACE },
      stringData: { MINIO_ROOT_USER: ACCESS_KEY, MINIO_ROOT_PASSWORD: SECRET_KEY },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'minio', namespace: S3_NAMESPACE },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'minio' } },
        template: {
          metadata: { labels: { app: 'minio' } },
          spec: {
            containers: [{
              name: 'minio',
              image: `quay.io/minio/minio:${minioTag}`,
              imagePullPolicy: 'IfNotPresent',
              args: ['server', '/data', '--address', ':9000'],
              envFrom: [{ secretRef: { name: 'minio-root' } }],
              ports: [{ containerPort: 9000 }],
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
              readinessProbe: { httpGet: { path: '/minio/health/ready', port: 9000 } },
            }],
            volumes: [{ name: 'data', emptyDir: {} }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'minio', namespace: S3_NAMESPACE },
      spec: { selector: { app: 'minio' }, ports: [{ port: 9000, targetPort: 9000 }] },
    },
  ];
  kube.apply(docs.map((d) => JSON.stringify(d)).join('\n---\n'));
  await kube.waitPodsReady(S3_NAMESPACE, 'app=minio', 1, 180_000);
}

/** The access-key Secret under the library's default key names, in the scenario's namespace. */
export function s3CredentialsSecret(kube: Kube, namespace: string, name = 's3-credentials'): string {
  kube.apply(JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    stringData: { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET_KEY },
  }));
  return name;
}

/** Runs the aws CLI (the tier's aws-cli image) in a one-off pod against the S3 server; returns stdout. */
export async function awsCli(kube: Kube, images: NodeImages, namespace: string, args: string[]): Promise<string> {
  const tag = images.require('docker.io/amazon/aws-cli');
  const name = `aws-${Date.now().toString(36)}`;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'e2e/role': 's3-client' } },
    spec: {
      restartPolicy: 'Never',
      containers: [{
        name: 'aws',
        image: `docker.io/amazon/aws-cli:${tag}`,
        imagePullPolicy: 'IfNotPresent',
        args: ['--endpoint-url', S3_ENDPOINT, ...args],
        env: [{ name: 'AWS_ACCESS_KEY_ID', value: ACCESS_KEY }, { name: 'AWS_SECRET_ACCESS_KEY', value: SECRET_KEY },
          { name: 'AWS_DEFAULT_REGION', value: 'us-east-1' }],
      }],
    },
  };
  kube.apply(JSON.stringify(pod));
  const phase = await kube.waitFor(`aws ${args.join(' ')}`, 120_000, () => {
    const p = kube.json(['-n', namespace, 'get', 'pod', name]);
    return ['Succeeded', 'Failed'].includes(p.status.phase) ? p.status.phase : undefined;
  });
  const out = kube.run(['-n', namespace, 'logs', name]).stdout;
  kube.run(['-n', namespace, 'delete', 'pod', name, '--wait=false']);
  if (phase !== 'Succeeded') throw new Error(`aws ${args.join(' ')} failed:\n${out}`);
  return out;
}

export async function ensureBucket(kube: Kube, images: NodeImages, bucket: string): Promise<void> {
  const list = await awsCli(kube, images, S3_NAMESPACE, ['s3api', 'list-buckets', '--query', 'Buckets[].Name', '--output', 'text']);
  if (!list.split(/\s+/).includes(bucket)) await awsCli(kube, images, S3_NAMESPACE, ['s3', 'mb', `s3://${bucket}`]);
}

/** Runs a Job made from a backup CronJob (as the runbooks say) and waits for it; returns the Job's name. */
export async function runBackupNow(kube: Kube, namespace: string, cronJob: string): Promise<string> {
  const job = `${cronJob}-e2e`;
  kube.kubectl(['-n', namespace, 'create', 'job', job, `--from=cronjob/${cronJob}`]);
  await kube.waitJobComplete(namespace, job, 600_000);
  return job;
}

/** The newest backup id (`<yyyymmdd>T<hhmmss>Z/` folder) under s3://bucket/prefix/, checked to hold files. */
export async function latestBackupId(kube: Kube, images: NodeImages, bucket: string, prefix: string): Promise<string> {
  const out = await awsCli(kube, images, S3_NAMESPACE, ['s3', 'ls', `s3://${bucket}/${prefix}/`]);
  const ids = out.split('\n').map((l) => /PRE (\d{8}T\d{6}Z)\//.exec(l)?.[1]).filter((x): x is string => !!x).sort();
  if (ids.length === 0) throw new Error(`no backup folder under s3://${bucket}/${prefix}/: ${out}`);
  const id = ids[ids.length - 1];
  const files = await awsCli(kube, images, S3_NAMESPACE, ['s3', 'ls', '--recursive', `s3://${bucket}/${prefix}/${id}/`]);
  if (files.trim().length === 0) throw new Error(`backup folder s3://${bucket}/${prefix}/${id}/ is empty`);
  return id;
}
