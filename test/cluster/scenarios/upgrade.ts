/**
 * Scenario 2: "change `version`, a config value and `partOf`, then apply again" is accepted by the API server for
 * every construct, and a running RedisCluster rolls its pods one at a time.
 *
 * The second apply of each construct goes over live objects of the first, so the API server's immutable-field checks
 * (StatefulSet spec, Job template, selectors) are the real ones. Engines whose server has no binary here (MySQL,
 * Elasticsearch) or whose second version has no image are checked with a server-side dry run of the second apply;
 * Redis applies for real and is watched while it rolls.
 */
import { Chart, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  ElasticsearchCluster, ElasticsearchVersion, KafkaAuthentication, KafkaCluster, KafkaVersion, MysqlCluster, MysqlVersion,
  RedisCluster, RedisClusterProps, RedisMode, RedisVersion,
} from '../../../src';
import { NodeImages } from '../lib/images';
import { Kube } from '../lib/kube';
import { assert, Scenario, ScenarioContext } from '../lib/scenario';
import { synth, synthYaml } from '../lib/synth';

interface Case {
  readonly name: string;
  readonly before: (chart: Chart) => void;
  readonly after: (chart: Chart) => void;
}

const CASES: Case[] = [
  {
    name: 'mysql',
    before: (c) => new MysqlCluster(c, 'orders', { databases: ['orders'], users: [{ name: 'app', databases: ['orders'] }] }),
    after: (c) => new MysqlCluster(c, 'orders', {
      databases: ['orders'],
      users: [{ name: 'app', databases: ['orders'] }],
      version: MysqlVersion.V8_0,
      partOf: 'shop',
      maxConnections: 300,
    }),
  },
  {
    name: 'kafka',
    before: (c) => new KafkaCluster(c, 'events', { authentication: KafkaAuthentication.SCRAM_SHA_512, users: [{ name: 'orders' }], topics: [{ name: 'orders', partitions: 3 }] }),
    after: (c) => new KafkaCluster(c, 'events', {
      authentication: KafkaAuthentication.SCRAM_SHA_512,
      users: [{ name: 'orders' }],
      topics: [{ name: 'orders', partitions: 3 }],
      version: KafkaVersion.V3_9,
      partOf: 'shop',
      retention: Duration.days(3),
    }),
  },
  {
    name: 'elasticsearch',
    before: (c) => new ElasticsearchCluster(c, 'logs', { warm: {}, kibana: {} }),
    after: (c) => new ElasticsearchCluster(c, 'logs', {
      warm: {},
      kibana: {},
      version: ElasticsearchVersion.V7_17,
      partOf: 'shop',
      hot: { config: { 'thread_pool.write.queue_size': '2000' } },
    }),
  },
  {
    name: 'redis-sentinel',
    before: (c) => new RedisCluster(c, 'sessions', { mode: RedisMode.SENTINEL }),
    after: (c) => new RedisCluster(c, 'sessions', { mode: RedisMode.SENTINEL, version: RedisVersion.V6_2, partOf: 'shop', maxmemoryPercent: 60 }),
  },
];

export interface RollWatch {
  readonly seconds: number;
  /** Most pods of one StatefulSet down at the same time. */
  readonly maxDownPerStatefulSet: number;
  /** Most pods down at the same time, over all StatefulSets. */
  readonly maxDown: number;
  /**
   * Times a shard (leader i and the followers k with k mod masters == i) had no pod whose redis container was
   * running. Running, not Ready: a pod in its pre-stop gate still serves, and a replica is unready while its master
   * restarts.
   */
  readonly shardOutages: string[];
}

/** Watches the pods of the given StatefulSets until each has rolled to its update revision, all Ready. */
export async function watchRoll(
  kube: Kube, ns: string, statefulSets: string[], timeoutMs: number, shardOf?: (pod: string) => number, container = 'redis',
): Promise<RollWatch> {
  const t0 = Date.now();
  const replicas = new Map(statefulSets.map((s) => [s, kube.json(['-n', ns, 'get', 'statefulset', s]).spec.replicas as number]));
  const total = [...replicas.values()].reduce((a, b) => a + b, 0);
  let maxDown = 0;
  let maxDownPerStatefulSet = 0;
  const shardOutages: string[] = [];
  for (;;) {
    const sets = statefulSets.map((s) => kube.json(['-n', ns, 'get', 'statefulset', s]));
    const pods = (kube.json(['-n', ns, 'get', 'pods']).items as any[])
      .filter((p) => statefulSets.some((s) => p.metadata.name.startsWith(`${s}-`)));
    const isReady = (p: any) => !p.metadata.deletionTimestamp && kube.podReady(p);
    const readyNames = new Set(pods.filter(isReady).map((p) => p.metadata.name as string));
    const runningNames = new Set(pods.filter((p) => (p.status?.containerStatuses ?? [])
      .some((c: any) => c.name === container && c.state?.running)).map((p) => p.metadata.name as string));
    maxDown = Math.max(maxDown, total - readyNames.size);
    for (const s of statefulSets) {
      const readyHere = [...readyNames].filter((n) => n.startsWith(`${s}-`)).length;
      maxDownPerStatefulSet = Math.max(maxDownPerStatefulSet, replicas.get(s)! - readyHere);
    }
    if (shardOf) {
      const shards = new Map<number, boolean>();
      for (const s of statefulSets) {
        for (let i = 0; i < replicas.get(s)!; i++) {
          const pod = `${s}-${i}`;
          const shard = shardOf(pod);
          shards.set(shard, (shards.get(shard) ?? false) || runningNames.has(pod));
        }
      }
      for (const [shard, up] of shards) {
        if (!up) shardOutages.push(`shard ${shard} at ${((Date.now() - t0) / 1000).toFixed(0)}s`);
      }
    }
    const done = sets.every((s) => s.status.observedGeneration >= s.metadata.generation
      && s.status.updateRevision === s.status.currentRevision && s.status.updatedReplicas === s.spec.replicas
      && s.status.readyReplicas === s.spec.replicas);
    if (done && readyNames.size === total) return { maxDown, maxDownPerStatefulSet, shardOutages, seconds: (Date.now() - t0) / 1000 };
    if (Date.now() - t0 > timeoutMs) throw new Error(`roll not finished after ${timeoutMs / 1000}s\n${kube.describePods(ns)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function redisBase(images: NodeImages): RedisClusterProps {
  return {
    masters: 3,
    replicasPerMaster: 1,
    version: RedisVersion.ofTag(images.require('docker.io/library/redis')),
    toolsImage: { tag: images.require('docker.io/curlimages/curl') },
    resources: { cpu: { request: Cpu.millis(50), limit: Cpu.units(1) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
    storage: { size: Size.gibibytes(1) },
  };
}

export const upgradeApply: Scenario = {
  name: 'upgrade-apply',
  description: 'a second apply with another version, config value and partOf is accepted; Redis rolls one pod at a time',
  async run(ctx: ScenarioContext) {
    const kube = ctx.kube;
    const images = new NodeImages(kube);

    for (const c of CASES) {
      const ns = `e2e-upgrade-${c.name}`;
      kube.freshNamespace(ns);
      await ctx.step(`${c.name}: first apply`, () => kube.apply(synthYaml(ns, c.before)));
      await ctx.step(`${c.name}: second apply (version, config, partOf) accepted over the live objects`,
        () => kube.apply(synthYaml(ns, c.after), { dryRun: true }));
      // Its pods never start (no image): no need to wait for the deletion.
      kube.run(['delete', 'namespace', ns, '--wait=false']);
    }
    ctx.note('MySQL, Kafka 3.9, Elasticsearch and Redis 6.2 have no image here: their second apply is a server-side dry run over the live objects of the first');

    // Redis cluster mode: its first apply runs for real; its second is checked over the live objects too.
    const ns = 'e2e-upgrade-redis';
    kube.freshNamespace(ns);
    const base = redisBase(images);
    await ctx.step('redis: first apply', () => kube.apply(synthYaml(ns, (c) => new RedisCluster(c, 'cache', base))));
    await ctx.step('redis: second apply (version, config, partOf) accepted over the live objects', () => kube.apply(
      synthYaml(ns, (c) => new RedisCluster(c, 'cache', { ...base, version: RedisVersion.V7_2, partOf: 'shop', maxmemoryPercent: 60, config: { hz: '20' } })),
      { dryRun: true }));
    kube.run(['delete', 'namespace', ns, '--wait=false']);
  },
};

/**
 * A running RedisCluster takes a config and partOf change and rolls, ending with every pod Ready and every replica
 * linked to its master. The leader and follower StatefulSets roll independently (one pod at a time each); the
 * pre-stop gate keeps a shard's master and replica from restarting together, so no shard is ever without a Ready
 * pod. Before the gate and the replica re-pointing, a shard's master and replica restarted together and the replica
 * kept replicating the master's old pod IP (master_link_status:down): the follower roll never finished.
 */
export const redisRollingUpdate: Scenario = {
  name: 'redis-rolling-update',
  description: 'a running RedisCluster rolls after a config change: one pod per StatefulSet at a time, never a whole shard, ends Ready and linked',
  async run(ctx: ScenarioContext) {
    const kube = ctx.kube;
    const images = new NodeImages(kube);
    // Debian has one redis-server (7.0), so the version stays; the config value and partOf change.
    const ns = 'e2e-roll-redis';
    kube.freshNamespace(ns);
    const base = redisBase(images);
    const first = synth(ns, (c) => new RedisCluster(c, 'cache', base));
    await ctx.step('redis: first apply', () => kube.apply(first.yaml));
    const sets = first.construct.statefulSets.map((s) => s.name);
    const sel = Object.entries(first.construct.podSelectorLabels).map(([k, v]) => `${k}=${v}`).join(',');
    await ctx.step('redis: 6 pods Ready and the cluster formed', async () => {
      await kube.waitPodsReady(ns, sel, 6, 600_000);
      await kube.waitJobComplete(ns, first.construct.clusterInitJob!.name, 300_000);
    });
    const second = synth(ns, (c) => new RedisCluster(c, 'cache', { ...base, partOf: 'shop', maxmemoryPercent: 60, config: { hz: '20' } }));
    await ctx.step('redis: second apply (config value, partOf) accepted', () => kube.apply(second.yaml));
    const masters = first.construct.leaderPodNames.length;
    const shardOf = (pod: string) => Number(pod.slice(pod.lastIndexOf('-') + 1)) % masters;
    const roll = await ctx.step('redis: pods roll one per StatefulSet at a time, never both pods of a shard stopped, and end Ready', async () => {
      const r = await watchRoll(kube, ns, sets, 900_000, shardOf);
      assert(r.maxDownPerStatefulSet <= 1, `${r.maxDownPerStatefulSet} pods of one StatefulSet were down at the same time`);
      assert(r.shardOutages.length === 0, `a shard had no running Redis during the roll: ${r.shardOutages.slice(0, 5).join(', ')}`);
      return r;
    });
    ctx.note(`redis roll: ${roll.seconds.toFixed(0)}s; at most ${roll.maxDown} pods down at a time overall, `
      + `${roll.maxDownPerStatefulSet} per StatefulSet, no shard without a running Redis`);
    await ctx.step('redis: every replica is linked to its master after the roll', async () => {
      const pods = first.construct.statefulSets.flatMap((s) => [...Array(s.toJson().spec.replicas as number).keys()].map((i) => `${s.name}-${i}`));
      for (const pod of pods) {
        const info = kube.exec(ns, pod, 'redis', ['redis-cli', '--no-auth-warning', 'info', 'replication']).stdout;
        if (/role:slave/.test(info)) assert(/master_link_status:up/.test(info), `${pod} is a replica whose link is down:\n${info}`);
      }
    });
    await ctx.step('redis: formation Job of the second apply completes', async () => {
      if (second.construct.clusterInitJob) await kube.waitJobComplete(ns, second.construct.clusterInitJob.name, 300_000);
    });
    const third = synthYaml(ns, (c) => new RedisCluster(c, 'cache', { ...base, version: RedisVersion.V7_2, partOf: 'shop', maxmemoryPercent: 60, config: { hz: '20' } }));
    await ctx.step('redis: version change accepted over the live objects (dry run)', () => kube.apply(third, { dryRun: true }));
    await ctx.step('clean up', () => kube.deleteNamespace(ns));
  },
};
