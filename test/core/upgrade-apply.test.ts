/**
 * "Change `version` and apply" must work for every construct: each is synthesized with defaults, then again with
 * another supported version, another `partOf` and another configuration value (and once with only the
 * configuration changed). The second output must apply over the first: equal immutable StatefulSet fields, no
 * same-named Job with another template, equal selectors (test/harness/upgrade.ts).
 */
import { App, Chart, Cron, Duration, Lazy, Size, Testing } from 'cdk8s';
import {
  Credentials, CrossClusterRedisShake, ElasticsearchCluster, ElasticsearchClusterProps, ElasticsearchVersion, KafkaAuthentication,
  KafkaCluster, KafkaClusterProps, KafkaTopology, KafkaVersion, MysqlBackupMethod, MysqlCluster, MysqlClusterProps, MysqlTopology,
  MysqlVersion, RedisCluster, RedisClusterProps, RedisMode, RedisShakeEndpoint, RedisShakeVersion, RedisVersion,
} from '../../src';
import { FINISHED_JOB_TTL_SECONDS, oneShotJob } from '../../src/core/jobs';
import { expectUpgradeApplies } from '../harness';

const s3 = (bucket: string) => ({ endpoint: 'http://minio.minio.svc:9000', bucket, credentialsSecret: 'minio-backup' });
const backup = (bucket: string) => ({ target: s3(bucket), schedule: Cron.schedule({ minute: '0', hour: '3' }), retentionDays: 7 });

/** What the second synth changes; `upgrade` also changes the version and `partOf`. */
type Change = 'upgrade' | 'config';
const CHANGES: Change[] = ['upgrade', 'config'];

function synthOne<P extends object>(make: (chart: Chart, props: P) => void, props: P): any[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  make(chart, props);
  return Testing.synth(chart);
}

/** Synthesizes `base`, then `base` with the change, and checks that the second applies over the first. */
function expectChangeApplies<P extends object>(
  make: (chart: Chart, props: P) => void, base: P, upgrade: Partial<P>, config: Partial<P>, change: Change,
): void {
  const changed = change === 'upgrade' ? { ...base, ...upgrade, ...config } : { ...base, ...config };
  const before = synthOne(make, base);
  const after = synthOne(make, changed);
  expectUpgradeApplies(before, after);
  // Not vacuous: the change reaches the pods.
  expect(podTemplates(after)).not.toEqual(podTemplates(before));
  // An unchanged apply must not create Jobs: the same props give the same Job names.
  expect(jobNames(synthOne(make, base))).toEqual(jobNames(before));
}
const podTemplates = (objs: any[]) => objs.filter((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment').map((o) => o.spec.template);
const jobNames = (objs: any[]) => objs.filter((o) => o.kind === 'Job').map((o) => o.metadata.name).sort();

describe('RedisCluster', () => {
  const make = (chart: Chart, p: RedisClusterProps) => new RedisCluster(chart, 'cache', p);
  const upgrade: Partial<RedisClusterProps> = { version: RedisVersion.V6_2, partOf: 'shop' };
  const config: Partial<RedisClusterProps> = { maxmemoryPercent: 60, config: { hz: '20' } };
  const topologies: [string, RedisClusterProps][] = [
    ['cluster with backup', { mode: RedisMode.CLUSTER, backup: backup('redis') }],
    ['cluster with restore', { mode: RedisMode.CLUSTER, restore: { source: s3('redis'), backupId: 'latest' } }],
    ['sentinel', { mode: RedisMode.SENTINEL }],
    ['standalone, monitoring off', { mode: RedisMode.STANDALONE, monitoring: { enabled: false } }],
  ];
  describe.each(topologies)('%s', (_, base) => {
    test.each(CHANGES)('%s applies', (change) => expectChangeApplies(make, base, upgrade, config, change));
  });
});

describe('MysqlCluster', () => {
  const make = (chart: Chart, p: MysqlClusterProps) => new MysqlCluster(chart, 'orders', p);
  const upgrade: Partial<MysqlClusterProps> = { version: MysqlVersion.V8_0, partOf: 'shop' };
  const config: Partial<MysqlClusterProps> = { maxConnections: 300, config: { table_open_cache: '8000' } };
  const users: MysqlClusterProps = { databases: ['orders'], users: [{ name: 'orders_app', databases: ['orders'] }] };
  const topologies: [string, MysqlClusterProps][] = [
    ['replication with users and backup', { ...users, backup: backup('mysql') }],
    ['group replication, physical backup', { ...users, topology: MysqlTopology.GROUP_REPLICATION, backup: backup('mysql'), backupMethod: MysqlBackupMethod.PHYSICAL }],
    ['standalone with restore', { topology: MysqlTopology.STANDALONE, restore: { source: s3('mysql'), backupId: 'latest' } }],
  ];
  describe.each(topologies)('%s', (_, base) => {
    test.each(CHANGES)('%s applies', (change) => expectChangeApplies(make, base, upgrade, config, change));
  });
});

describe('KafkaCluster', () => {
  const make = (chart: Chart, p: KafkaClusterProps) => new KafkaCluster(chart, 'events', p);
  const upgrade: Partial<KafkaClusterProps> = { version: KafkaVersion.V3_9, partOf: 'shop' };
  const config: Partial<KafkaClusterProps> = { retention: Duration.days(3), config: { 'num.io.threads': '16' } };
  const scram: KafkaClusterProps = {
    authentication: KafkaAuthentication.SCRAM_SHA_512,
    users: [{ name: 'orders-service' }],
    topics: [{ name: 'orders', partitions: 6 }],
  };
  const topologies: [string, KafkaClusterProps][] = [
    ['dedicated controllers, SCRAM, topics, backup', { ...scram, backup: backup('kafka') }],
    ['combined with restore and UI', { ...scram, topology: KafkaTopology.COMBINED, ui: {}, restore: { source: s3('kafka'), backupId: 'latest' } }],
    ['dedicated controllers, defaults', {}],
  ];
  describe.each(topologies)('%s', (_, base) => {
    test.each(CHANGES)('%s applies', (change) => expectChangeApplies(make, base, upgrade, config, change));
  });
});

describe('ElasticsearchCluster', () => {
  const make = (chart: Chart, p: ElasticsearchClusterProps) => new ElasticsearchCluster(chart, 'logs', p);
  const upgrade: Partial<ElasticsearchClusterProps> = { version: ElasticsearchVersion.V7_17, partOf: 'shop' };
  const config: Partial<ElasticsearchClusterProps> = { hot: { config: { 'thread_pool.write.queue_size': '2000' } } };
  const topologies: [string, ElasticsearchClusterProps][] = [
    ['defaults', {}],
    ['hot/warm/cold, Kibana, snapshots', { warm: {}, cold: {}, coordinating: {}, kibana: {}, snapshots: { repository: s3('es-snapshots') } }],
    ['restore, no dedicated masters', { masters: { enabled: false }, restore: { repository: s3('old-cluster'), snapshot: 'latest' } }],
  ];
  describe.each(topologies)('%s', (_, base) => {
    test.each(CHANGES)('%s applies', (change) => expectChangeApplies(make, base, upgrade, config, change));
  });
});

describe('CrossClusterRedisShake', () => {
  interface ShakeCase { version?: RedisShakeVersion; partOf?: string; scratch?: boolean }
  /** Both clusters' charts (each RedisCluster with its shard Services and the RedisShake group it runs). */
  function synthPair(c: ShakeCase): any[] {
    const app = new App();
    const charts = ['a', 'b'].map((side) => {
      const chart = new Chart(app, `cluster-${side}`, { namespace: 'cache' });
      const redis = new RedisCluster(chart, `redis-${side}`, { password: Credentials.fromSecret(`redis-${side}-auth`), partOf: c.partOf });
      return { chart, redis };
    });
    new CrossClusterRedisShake(app, 'redis-shake', {
      source: RedisShakeEndpoint.fromRedisCluster(charts[0].redis, { reachableHost: 'a.example.internal', peerCidrs: ['10.20.0.0/16'] }),
      target: RedisShakeEndpoint.fromRedisCluster(charts[1].redis, { reachableHost: 'b.example.internal', peerCidrs: ['10.10.0.0/16'] }),
      version: c.version,
      scratchSize: c.scratch ? Size.gibibytes(20) : undefined,
    });
    return charts.flatMap(({ chart }) => Testing.synth(chart));
  }
  test('upgrade applies', () => {
    expectUpgradeApplies(synthPair({}), synthPair({ version: RedisShakeVersion.v3('registry.example/redis-shake', '3.1.11'), partOf: 'shop', scratch: true }));
  });
  test('config applies', () => {
    expectUpgradeApplies(synthPair({}), synthPair({ scratch: true }));
  });
});

describe('oneShotJob: Jobs named after their content', () => {
  const build = (image: string, o: { keepFinished?: boolean; baseName?: string; lazy?: () => string } = {}) => {
    const chart = new Chart(Testing.app(), 'test');
    oneShotJob(chart, 'Job', {
      baseName: o.baseName ?? 'cache-init',
      labels: { app: 'x' },
      keepFinished: o.keepFinished,
      spec: {
        template: {
          spec: {
            restartPolicy: 'OnFailure',
            containers: [{ name: 'run', image, env: o.lazy ? [{ name: 'X', value: Lazy.any({ produce: o.lazy }) as unknown as string }] : [] }],
          },
        },
      },
    });
    return Testing.synth(chart)[0];
  };

  test('the name carries a hash of the spec, stable for the same content', () => {
    expect(build('a:1').metadata.name).toMatch(/^cache-init-[0-9a-f]{8}$/);
    expect(build('a:1').metadata.name).toBe(build('a:1').metadata.name);
    expect(build('a:2').metadata.name).not.toBe(build('a:1').metadata.name);
  });

  test('without Lazy content the name is known at construction, for code that refers to the Job', () => {
    const chart = new Chart(Testing.app(), 'test');
    const job = oneShotJob(chart, 'Job', { baseName: 'x', labels: {}, spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    expect(job.name).toMatch(/^x-[0-9a-f]{8}$/);
    expect(Testing.synth(chart)[0].metadata.name).toBe(job.name);
  });

  test('content produced at synthesis counts', () => {
    expect(build('a:1', { lazy: () => 'one' }).metadata.name).not.toBe(build('a:1', { lazy: () => 'two' }).metadata.name);
  });

  test('finished Jobs are deleted after a week unless they must not run again', () => {
    expect(build('a:1').spec.ttlSecondsAfterFinished).toBe(FINISHED_JOB_TTL_SECONDS);
    expect(FINISHED_JOB_TTL_SECONDS).toBe(7 * 86400);
    expect(build('a:1', { keepFinished: true }).spec.ttlSecondsAfterFinished).toBeUndefined();
  });

  test('a long base name is cut so that the name fits in 63 characters', () => {
    const name = build('a:1', { baseName: `${'x'.repeat(53)}-gen` }).metadata.name;
    expect(name).toMatch(/^x{53}-[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(63);
  });

  test('every Job of every construct has a content name; only the Kafka restore Job is kept when finished', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new RedisCluster(chart, 'cache', {});
    new MysqlCluster(chart, 'orders', { databases: ['orders'] });
    new KafkaCluster(chart, 'events', {
      authentication: KafkaAuthentication.SCRAM_SHA_512, topics: [{ name: 't' }], restore: { source: s3('kafka'), backupId: 'latest' },
    });
    new ElasticsearchCluster(chart, 'logs', {});
    const jobs = Testing.synth(chart).filter((o: any) => o.kind === 'Job');
    expect(jobs.length).toBeGreaterThan(8);
    expect(jobs.filter((j: any) => j.metadata.name.startsWith('events-restore-'))).toHaveLength(1);
    for (const j of jobs) {
      expect(j.metadata.name).toMatch(/-[0-9a-f]{8}$/);
      expect([j.metadata.name, j.spec.ttlSecondsAfterFinished])
        .toEqual([j.metadata.name, j.metadata.name.startsWith('events-restore-') ? undefined : FINISHED_JOB_TTL_SECONDS]);
    }
  });
});
