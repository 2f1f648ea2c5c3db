/**
 * Scenarios 3 and 4: RedisCluster as a user deploys it, on real kubelets with the real redis-server.
 * Debian's redis-server is 7.0, so the scenario selects that version through the public API (RedisVersion.ofTag);
 * the curl tools image likewise carries Debian's curl under its own version.
 */
import { Chart, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { NetworkPeer, RedisCluster, RedisClusterProps, RedisMode, RedisVersion } from '../../../src';
import { NodeImages } from '../lib/images';
import { Kube } from '../lib/kube';
import { ensureBucket, ensureS3, latestBackupId, runBackupNow, S3_ENDPOINT, s3CredentialsSecret } from '../lib/s3';
import { assert, Scenario, ScenarioContext } from '../lib/scenario';
import { synth } from '../lib/synth';

const BUCKET = 'redis-backups';
const CLIENT_LABEL = { 'app.kubernetes.io/name': 'checkout' };

function baseProps(images: NodeImages): RedisClusterProps {
  return {
    version: RedisVersion.ofTag(images.require('docker.io/library/redis')),
    toolsImage: { tag: images.require('docker.io/curlimages/curl') },
    // Three kubelets share two cores: small requests so every pod fits.
    resources: {
      cpu: { request: Cpu.millis(50), limit: Cpu.units(1) },
      memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
    },
    storage: { size: Size.gibibytes(1) },
    // No Prometheus operator in the test cluster beyond its CRDs: the ServiceMonitor and rules are applied all the same.
  };
}

/** A long-running pod with the Redis image, for redis-cli; labelled as an allowed client or not. */
async function clientPod(
  kube: Kube, images: NodeImages, ns: string, name: string, labels: Record<string, string>, redis: RedisCluster,
): Promise<string> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { 'e2e/role': 'client', ...labels } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{
        name: 'cli',
        image: `docker.io/library/redis:${images.require('docker.io/library/redis')}`,
        imagePullPolicy: 'IfNotPresent',
        command: ['sleep', 'infinity'],
        env: [{ name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: redis.passwordSecretName, key: redis.passwordSecretKey } } }],
      }],
    },
  };
  kube.apply(JSON.stringify(pod));
  await kube.waitFor(`pod ${name} Ready`, 120_000, () => kube.podReady(kube.json(['-n', ns, 'get', 'pod', name])), () => kube.describePods(ns));
  return name;
}

function cli(kube: Kube, ns: string, pod: string, args: string[], input?: string, timeoutMs = 60_000) {
  return kube.exec(ns, pod, 'cli', ['redis-cli', '--no-auth-warning', ...args], input, timeoutMs);
}

/**
 * Writes keys through the client Service, each SET followed by WAIT 1 on the same connection (redis-cli follows the
 * MOVED redirect, so WAIT goes to the master that took the write): a key counts as acknowledged once a replica has it.
 */
function writeAcknowledged(kube: Kube, ns: string, pod: string, host: string, prefix: string, count: number): Map<string, string> {
  const script = `for i in $(seq 0 ${count - 1}); do
  out=$(printf 'SET ${prefix}:%s v%s\\nWAIT 1 2000\\n' "$i" "$i" | redis-cli --no-auth-warning -c -h ${host} | grep -v '^->' | tr '\\n' ' ')
  echo "$i $out"
done`;
  const r = kube.exec(ns, pod, 'cli', ['bash', '-c', script], undefined, 300_000);
  const acked = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const [i, ok, replicas] = line.trim().split(/\s+/);
    if (ok === 'OK' && Number(replicas) >= 1) acked.set(`${prefix}:${i}`, `v${i}`);
  }
  return acked;
}

function readKeys(kube: Kube, ns: string, pod: string, host: string, keys: string[]): Map<string, string> {
  const script = `for k in ${keys.join(' ')}; do echo "$k $(redis-cli --no-auth-warning -c -h ${host} GET "$k" | grep -v '^->')"; done`;
  const r = kube.exec(ns, pod, 'cli', ['bash', '-c', script], undefined, 300_000);
  const got = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k) got.set(k, v ?? '');
  }
  return got;
}

function missing(expected: Map<string, string>, got: Map<string, string>): string[] {
  return [...expected].filter(([k, v]) => got.get(k) !== v).map(([k]) => k);
}

/** Role of every Redis pod of the instance, from INFO replication. */
function roles(kube: Kube, ns: string, pod: string, redis: RedisCluster): Map<string, string> {
  const result = new Map<string, string>();
  const sel = Object.entries(redis.podSelectorLabels).map(([k, v]) => `${k}=${v}`).join(',');
  for (const p of kube.pods(ns, sel)) {
    if (!p.status.podIP) continue;
    const r = cli(kube, ns, pod, ['-h', p.status.podIP, 'INFO', 'replication'], undefined, 15_000);
    const role = /role:(\w+)/.exec(r.stdout)?.[1];
    if (role) result.set(p.metadata.name, role);
  }
  return result;
}

async function deploy(ctx: ScenarioContext, ns: string, id: string, props: RedisClusterProps): Promise<RedisCluster> {
  const { yaml, construct } = synth(ns, (chart: Chart) => new RedisCluster(chart, id, props));
  await ctx.step(`${id}: kubectl apply --server-side`, () => ctx.kube.apply(yaml));
  return construct;
}

async function waitFormed(ctx: ScenarioContext, ns: string, redis: RedisCluster, pods: number): Promise<void> {
  const sel = Object.entries(redis.podSelectorLabels).map(([k, v]) => `${k}=${v}`).join(',');
  await ctx.step(`${redis.name}: ${pods} pods Ready`, () => ctx.kube.waitPodsReady(ns, sel, pods, 600_000));
  if (redis.clusterInitJob) {
    const job = redis.clusterInitJob.name;
    await ctx.step(`${redis.name}: formation Job ${job} completes`, () => ctx.kube.waitJobComplete(ns, job, 300_000));
  }
}

export const redisCluster: Scenario = {
  name: 'redis-cluster',
  description: 'RedisCluster 3x1 over three zones: formation, NetworkPolicy, failover without loss, backup to S3 and restore',
  async run(ctx: ScenarioContext) {
    const kube = ctx.kube;
    const ns = 'e2e-redis';
    const images = new NodeImages(kube);
    await ctx.step('S3 server (MinIO) and bucket', async () => { await ensureS3(kube, images); await ensureBucket(kube, images, BUCKET); });
    kube.freshNamespace(ns);
    const credentials = s3CredentialsSecret(kube, ns);
    const target = { endpoint: S3_ENDPOINT, bucket: BUCKET, credentialsSecret: credentials };
    const redis = await deploy(ctx, ns, 'cache', {
      ...baseProps(images),
      masters: 3,
      replicasPerMaster: 1,
      networkPolicy: { allowedClients: [NetworkPeer.pods(CLIENT_LABEL)] },
      backup: { target, s3ClientImage: { tag: images.require('docker.io/amazon/aws-cli') } },
    });
    await waitFormed(ctx, ns, redis, 6);

    await ctx.step('pods spread over three zones', () => {
      const sel = Object.entries(redis.podSelectorLabels).map(([k, v]) => `${k}=${v}`).join(',');
      const nodes = new Map<string, string>((kube.json(['get', 'nodes']).items as any[]).map((n) => [n.metadata.name, n.metadata.labels['topology.kubernetes.io/zone']]));
      const zones = new Set(kube.pods(ns, sel).map((p) => nodes.get(p.spec.nodeName)));
      assert(zones.size === 3, `pods in zones ${[...zones].join(',')}`);
    });

    const client = await ctx.step('allowed client pod', () => clientPod(kube, images, ns, 'checkout', CLIENT_LABEL, redis));
    const stranger = await ctx.step('client pod without the allowed label', () => clientPod(kube, images, ns, 'stranger', {}, redis));
    const host = `${redis.name}.${ns}.svc.cluster.local`;

    await ctx.step('allowed client writes and reads through the Service', () => {
      const set = cli(kube, ns, client, ['-c', '-h', host, 'SET', 'hello', 'world']);
      assert(set.stdout.trim() === 'OK', `SET answered ${set.stdout} ${set.stderr}`);
      const get = cli(kube, ns, client, ['-c', '-h', host, 'GET', 'hello']);
      assert(get.stdout.trim() === 'world', `GET answered ${get.stdout} ${get.stderr}`);
    });
    await ctx.step('NetworkPolicy refuses a pod without the label', () => {
      const r = kube.exec(ns, stranger, 'cli', ['timeout', '8', 'redis-cli', '--no-auth-warning', '-h', host, 'PING'], undefined, 30_000);
      assert(!r.stdout.includes('PONG'), `a pod without the client label got ${r.stdout.trim()}`);
    });

    const acked = await ctx.step('write 300 keys acknowledged by a replica (WAIT 1)', () => {
      const a = writeAcknowledged(kube, ns, client, host, 'before-failover', 300);
      assert(a.size >= 290, `only ${a.size} of 300 writes were acknowledged by a replica`);
      return a;
    });
    const before = roles(kube, ns, client, redis);
    const victim = [...before].find(([, r]) => r === 'master')?.[0];
    assert(victim, `no master among ${[...before].join(' ')}`);
    await ctx.step(`delete master pod ${victim}`, () => kube.kubectl(['-n', ns, 'delete', 'pod', victim, '--wait=false']));
    await ctx.step('cluster serves again with every pod Ready', async () => {
      const sel = Object.entries(redis.podSelectorLabels).map(([k, v]) => `${k}=${v}`).join(',');
      await kube.waitFor(`${victim} replaced`, 120_000, () => kube.pods(ns, sel).find((p) => p.metadata.name === victim && !p.metadata.deletionTimestamp && kube.podReady(p)));
      await kube.waitPodsReady(ns, sel, 6, 300_000);
      await kube.waitFor('cluster_state:ok', 120_000, () => cli(kube, ns, client, ['-h', host, 'CLUSTER', 'INFO']).stdout.includes('cluster_state:ok'));
    });
    await ctx.step('no acknowledged key lost', () => {
      const got = readKeys(kube, ns, client, host, [...acked.keys()]);
      const lost = missing(acked, got);
      assert(lost.length === 0, `${lost.length} acknowledged keys lost, e.g. ${lost.slice(0, 5).join(', ')}`);
      const after = roles(kube, ns, client, redis);
      const masters = [...after].filter(([, r]) => r === 'master').map(([p]) => p);
      assert(masters.length === 3, `masters after the failover: ${masters.join(', ')}`);
      if (after.get(victim) === 'master') ctx.note(`${victim} came back before cluster-node-timeout and is still master (no promotion needed)`);
    });

    // Backup: a Job created from the CronJob, as the runbook says, then a new cluster restored from it.
    const cronJob = redis.backupCronJob!.name;
    await ctx.step(`backup Job from CronJob ${cronJob} writes to S3`, () => runBackupNow(kube, ns, cronJob));
    const backupId = await ctx.step('backup folder listed in the bucket', () => latestBackupId(kube, images, BUCKET, redis.name));
    const restored = await deploy(ctx, ns, 'restored', {
      ...baseProps(images),
      masters: 3,
      replicasPerMaster: 1,
      networkPolicy: { allowedClients: [NetworkPeer.pods(CLIENT_LABEL)] },
      // The backups sit under the backed-up instance's prefix (the default prefix is the instance's own name).
      restore: { source: { ...target, prefix: redis.name }, backupId, s3ClientImage: { tag: images.require('docker.io/amazon/aws-cli') } },
    });
    await waitFormed(ctx, ns, restored, 6);
    await ctx.step('restored cluster holds the keys', async () => {
      const rClient = await clientPod(kube, images, ns, 'checkout-restored', CLIENT_LABEL, restored);
      const rHost = `${restored.name}.${ns}.svc.cluster.local`;
      const got = readKeys(kube, ns, rClient, rHost, [...acked.keys()]);
      const lost = missing(acked, got);
      assert(lost.length === 0, `${lost.length} keys missing after restore, e.g. ${lost.slice(0, 5).join(', ')}`);
    });
    await ctx.step('clean up', () => kube.deleteNamespace(ns));
  },
};

export const redisSentinel: Scenario = {
  name: 'redis-sentinel',
  description: 'Redis Sentinel: the data survives the loss of the master pod, and the sentinels promote a replica when the master stops answering',
  async run(ctx: ScenarioContext) {
    const kube = ctx.kube;
    const ns = 'e2e-sentinel';
    const images = new NodeImages(kube);
    kube.freshNamespace(ns);
    const redis = await deploy(ctx, ns, 'sessions', {
      ...baseProps(images),
      mode: RedisMode.SENTINEL,
      replicasPerMaster: 2,
      sentinels: 3,
      networkPolicy: { allowedClients: [NetworkPeer.pods(CLIENT_LABEL)] },
    });
    await ctx.step('data and sentinel pods Ready', async () => {
      await kube.waitFor('all pods Ready', 600_000, () => {
        // Data pods and sentinels; the password generator Job's pod has finished and does not count.
        const ps = kube.pods(ns).filter((p) => p.metadata.labels?.['app.kubernetes.io/instance'] === redis.name
          && !['Succeeded', 'Failed'].includes(p.status.phase) && !p.metadata.labels?.['job-name']);
        return ps.length === 6 && ps.every((p) => kube.podReady(p));
      }, () => kube.describePods(ns));
    });
    const client = await ctx.step('client pod', () => clientPod(kube, images, ns, 'checkout', CLIENT_LABEL, redis));
    const master = () => cli(kube, ns, client, ['-h', redis.host, '-p', String(redis.port), 'SENTINEL', 'get-master-addr-by-name', redis.sentinelMasterName!])
      .stdout.trim().split('\n')[0];
    const first = await ctx.step('sentinels name a master', () => kube.waitFor('a master address', 120_000, () => master() || undefined));
    const podOf = (ip: string) => kube.pods(ns).find((p) => p.status.podIP === ip || ip.startsWith(`${p.metadata.name}.`));
    const victim = podOf(first);
    assert(victim, `no pod for master address ${first}`);
    await ctx.step('write through the master', () => {
      const r = cli(kube, ns, client, ['-h', first, 'SET', 'k', 'v']);
      assert(r.stdout.trim() === 'OK', `SET: ${r.stdout} ${r.stderr}`);
      const w = cli(kube, ns, client, ['-h', first, 'WAIT', '1', '5000']);
      assert(Number(w.stdout.trim()) >= 1, `WAIT: ${w.stdout}`);
    });
    await ctx.step(`delete master pod ${victim.metadata.name}`, () => kube.kubectl(['-n', ns, 'delete', 'pod', victim.metadata.name, '--wait=false']));
    // A deleted pod often returns within the sentinels' down-after (10 s) and is still master: no promotion is needed,
    // and none happens. Either way the data must be there once the pod is back.
    const afterLoss = await ctx.step('after the pod loss, the sentinels name a master that serves the data', async () => {
      await kube.waitFor(`${victim.metadata.name} replaced and Ready`, 180_000, () => kube.pods(ns).find((p) => p.metadata.name === victim.metadata.name
        && p.metadata.uid !== victim.metadata.uid && !p.metadata.deletionTimestamp && kube.podReady(p)));
      return kube.waitFor('a master serving k', 120_000, () => {
        const m = master();
        return m && cli(kube, ns, client, ['-h', m, 'GET', 'k']).stdout.trim() === 'v' ? m : undefined;
      });
    });
    if (podOf(afterLoss)?.metadata.name === victim.metadata.name) ctx.note(`${victim.metadata.name} came back before down-after and is still master (no promotion needed)`);
    // A master that stays unresponsive past down-after (CLIENT PAUSE blocks the sentinels' PINGs too) must be replaced.
    const paused = podOf(afterLoss)!;
    assert(paused, `no pod for master address ${afterLoss}`);
    await ctx.step(`master ${paused.metadata.name} stops answering for 40 s (CLIENT PAUSE ALL)`, () => {
      const r = kube.exec(ns, paused.metadata.name, 'redis', ['redis-cli', '--no-auth-warning', 'CLIENT', 'PAUSE', '40000', 'ALL']);
      assert(r.stdout.trim() === 'OK', `CLIENT PAUSE: ${r.stdout} ${r.stderr}`);
    });
    const second = await ctx.step('sentinels promote another server', () => kube.waitFor('a new master', 180_000, () => {
      const m = master();
      return m && m !== afterLoss ? m : undefined;
    }));
    await ctx.step('the new master serves the data and takes writes', () => {
      const g = cli(kube, ns, client, ['-h', second, 'GET', 'k']);
      assert(g.stdout.trim() === 'v', `GET on the new master: ${g.stdout}`);
      const s = cli(kube, ns, client, ['-h', second, 'SET', 'k2', 'v2']);
      assert(s.stdout.trim() === 'OK', `SET on the new master: ${s.stdout} ${s.stderr}`);
    });
    await ctx.step('clean up', () => kube.deleteNamespace(ns));
  },
};
