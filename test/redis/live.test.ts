/**
 * Live test: real redis-server processes on loopback run the generated redis.conf and scripts. Only ports and
 * paths are adjusted (and `bind 127.0.0.1`, so that a stale peer address such as 127.0.0.99 is really
 * unreachable in the IP-change test), plus a short cluster-node-timeout to keep the test fast.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderRedisConf, renderSentinelConfTemplate, RedisServerConfig } from '../../src/redis/config';
import { clusterPreStopScript, redisProbeScript, sentinelProbeScript } from '../../src/redis/probes';
import {
  backupDumpScript, clusterFormationScript, redisEntrypointScript, restoreSeedScript, sentinelEntrypointScript,
} from '../../src/redis/scripts';

jest.setTimeout(180_000);

const PASSWORD = `t3st-${Math.random().toString(36).slice(2)}"\\quote`;
const root = mkdtempSync(join(tmpdir(), 'redis-live-'));
const procs: ChildProcess[] = [];
// Ports below the ephemeral range (32768+), with each node's cluster bus port (+10000) clear of every node port.
let nextPort = 10000 + Math.floor(Math.random() * 9000);

afterAll(() => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function cli(port: number, ...args: string[]): string {
  const r = spawnSync('redis-cli', ['--no-auth-warning', '-h', '127.0.0.1', '-p', String(port), ...args], {
    env: { PATH: process.env.PATH, REDISCLI_AUTH: PASSWORD }, encoding: 'utf8', timeout: 10_000,
  });
  return (r.stdout ?? '').replace(/\r/g, '').trim();
}
const field = (text: string, key: string) => (text.split('\n').find((l) => l.startsWith(`${key}:`)) ?? '').split(':')[1];

function runScript(script: string, env: Record<string, string>, timeoutMs = 120_000) {
  return spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
    env: { PATH: process.env.PATH, REDISCLI_AUTH: PASSWORD, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

interface Node { name: string; port: number; dir: string; proc?: ChildProcess }

function clusterConfig(node: Node, mode: 'cluster' | 'sentinel' = 'cluster'): RedisServerConfig {
  return {
    mode,
    version: '7.2',
    port: node.port,
    dataDir: join(node.dir, 'data'),
    runtimeConfPath: join(node.dir, 'run', 'runtime.conf'),
    maxmemoryBytes: 64 * 1024 * 1024,
    maxmemoryPolicy: 'noeviction',
    appendOnly: true,
    appendFsync: 'everysec',
    rdbSavePoints: [{ seconds: 3600, changes: 1 }],
    timeoutSeconds: 0,
    tcpKeepaliveSeconds: 300,
    clusterNodeTimeoutMs: 2000,
    clusterRequireFullCoverage: true,
    clusterAllowReadsWhenDown: false,
    overrides: { bind: '127.0.0.1' },
  };
}

function newNode(group: string, name: string, mode: 'cluster' | 'sentinel' = 'cluster'): Node {
  const node: Node = { name, port: nextPort++, dir: join(root, group, name) };
  mkdirSync(join(node.dir, 'data'), { recursive: true });
  mkdirSync(join(node.dir, 'run'), { recursive: true });
  writeFileSync(join(node.dir, 'redis.conf'), renderRedisConf(clusterConfig(node, mode)));
  return node;
}

function start(node: Node, extraEnv: Record<string, string> = {}, mode = 'cluster'): void {
  const log = openSync(join(node.dir, 'redis.log'), 'a');
  node.proc = spawn('bash', ['--norc', '--noprofile', '-c', redisEntrypointScript()], {
    env: {
      PATH: process.env.PATH,
      REDIS_MODE: mode,
      REDIS_PASSWORD: PASSWORD,
      REDIS_PORT: String(node.port),
      REDIS_CONF: join(node.dir, 'redis.conf'),
      RUNTIME_CONF: join(node.dir, 'run', 'runtime.conf'),
      DATA_DIR: join(node.dir, 'data'),
      ANNOUNCE_IP: '127.0.0.1',
      ANNOUNCE_HOSTNAME: 'localhost',
      ...extraEnv,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  procs.push(node.proc);
}
async function startAll(nodes: Node[]): Promise<void> {
  nodes.forEach((n) => start(n));
  for (const n of nodes) {
    await waitFor(`${n.name} to answer`, () => cli(n.port, 'ping') === 'PONG', 15_000).catch((e) => {
      throw new Error(`${e.message}; its log:\n${readFileSync(join(n.dir, 'redis.log'), 'utf8').slice(-2000)}`);
    });
  }
}
async function stop(node: Node, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const p = node.proc;
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill(signal);
  // Redis refuses a SIGTERM shutdown when its final save fails or replicas lag; the tests only need it gone.
  const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
const addr = (nodes: Node[]) => nodes.map((n) => `127.0.0.1:${n.port}`).join(' ');
const clusterNodes = (n: Node) => cli(n.port, 'cluster', 'nodes').split('\n').map((l) => l.split(' '));
const dbsizeOfMasters = (nodes: Node[]) => nodes
  .filter((n) => field(cli(n.port, 'info', 'replication'), 'role') === 'master')
  .reduce((sum, n) => sum + Number(cli(n.port, 'dbsize')), 0);

function writeKeys(port: number, count: number): void {
  // One cluster-aware redis-cli call per key, so redirects to the owning shard are followed.
  const r = spawnSync('bash', ['--norc', '-c',
    `for i in $(seq 1 ${count}); do redis-cli --no-auth-warning -c -h 127.0.0.1 -p ${port} set "key:$i" "value-$i" > /dev/null; done`],
  { env: { PATH: process.env.PATH, REDISCLI_AUTH: PASSWORD }, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(r.stderr);
}

describe('Redis Cluster formed by the generated scripts (real redis-server on loopback)', () => {
  const leaders = [0, 1, 2].map((i) => newNode('a', `cache-leader-${i}`));
  const followers = [0, 1, 2].map((i) => newNode('a', `cache-follower-${i}`));
  const all = [...leaders, ...followers];
  const formationEnv = { LEADERS: addr(leaders), FOLLOWERS: addr(followers), WAIT_TIMEOUT_SECONDS: '60' };
  const backupDir = join(root, 'backup');

  test('the entrypoint keeps the password out of redis.conf and process arguments', async () => {
    await startAll(all);
    expect(readFileSync(join(leaders[0].dir, 'redis.conf'), 'utf8')).not.toContain(PASSWORD);
    const args = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
    expect(args).not.toContain(PASSWORD);
    // Authentication is enforced.
    const anonymous = spawnSync('redis-cli', ['-p', String(leaders[0].port), 'ping'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(anonymous.stdout).toMatch(/NOAUTH/);
  });

  test('formation: all 16384 slots ok, 3 masters, follower k replicates leader k mod 3', () => {
    const r = runScript(clusterFormationScript(), formationEnv);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const n of all) {
      const info = cli(n.port, 'cluster', 'info');
      expect(field(info, 'cluster_state')).toBe('ok');
      expect(field(info, 'cluster_slots_ok')).toBe('16384');
      expect(field(info, 'cluster_known_nodes')).toBe('6');
    }
    const ids = leaders.map((n) => cli(n.port, 'cluster', 'myid'));
    followers.forEach((f, k) => {
      const me = clusterNodes(f).find((l) => l[2].includes('myself'))!;
      expect(me[2]).toContain('slave');
      expect(me[3]).toBe(ids[k % 3]);
    });
    // Deterministic slot ranges: leader i serves the i-th third.
    expect(clusterNodes(leaders[1]).find((l) => l[2].includes('myself'))!.slice(8)).toEqual(['5461-10921']);
  });

  test('formation is idempotent: a second run changes nothing', () => {
    const before = clusterNodes(leaders[0]).map((l) => `${l[0]} ${l[2]} ${l[3]} ${l.slice(8).join(',')}`).sort();
    const r = runScript(clusterFormationScript(), formationEnv);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('already formed');
    const after = clusterNodes(leaders[0]).map((l) => `${l[0]} ${l[2]} ${l[3]} ${l.slice(8).join(',')}`).sort();
    expect(after).toEqual(before);
  });

  test('backup dump: one RDB per shard, taken from in-sync replicas', async () => {
    writeKeys(leaders[0].port, 300);
    await waitFor('replicas to catch up', () => followers.every((f) => {
      const rep = cli(f.port, 'info', 'replication');
      return field(rep, 'master_link_status') === 'up';
    }));
    expect(dbsizeOfMasters(all)).toBe(300);
    const r = runScript(backupDumpScript(), { REDIS_MODE: 'cluster', SEED_HOSTS: addr(all), OUT_DIR: backupDir });
    expect(r.status).toBe(0);
    expect(readdirSync(backupDir).sort()).toEqual(['manifest.txt', 'shard-0.rdb', 'shard-1.rdb', 'shard-2.rdb']);
    const manifest = readFileSync(join(backupDir, 'manifest.txt'), 'utf8').trim().split('\n').map((l) => l.split(' '));
    expect(manifest.map((m) => [m[0], m[2], m[4]])).toEqual([
      ['shard-0.rdb', 'replica', '0-5460'], ['shard-1.rdb', 'replica', '5461-10921'], ['shard-2.rdb', 'replica', '10922-16383'],
    ]);
    for (const m of manifest) expect(Number(m[3])).toBeGreaterThan(100);
  });

  test('backup dump waits for a node to answer: a new pod is refused until its NetworkPolicy catches up', () => {
    // Seen on the cluster tier: the backup pod's first connections were refused for about a second (the policy
    // enforcer had not yet admitted the new pod's address), and the dump gave up with "no node answered".
    const fakes = mkdtempSync(join(tmpdir(), 'redis-cli-late-'));
    const real = spawnSync('bash', ['-c', 'command -v redis-cli'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(fakes, 'redis-cli'), `#!/bin/bash
if [ "$(date +%s)" -lt "$READY_AT" ]; then echo "Could not connect to Redis: Connection refused" >&2; exit 1; fi
exec ${real} "$@"
`, { mode: 0o755 });
    const out = mkdtempSync(join(tmpdir(), 'redis-backup-late-'));
    const r = runScript(backupDumpScript(), {
      REDIS_MODE: 'cluster',
      SEED_HOSTS: addr(all),
      OUT_DIR: out,
      PATH: `${fakes}:${process.env.PATH}`,
      READY_AT: String(Math.floor(Date.now() / 1000) + 4),
    });
    expect(r.stderr + r.stdout).not.toContain('no node answered');
    expect(r.status).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.rdb'))).toHaveLength(3);
  });

  test('a master dies: its replica takes over, data stays readable, the old master rejoins as a replica', async () => {
    await stop(leaders[0], 'SIGKILL');
    await waitFor('follower-0 to become master', () => field(cli(followers[0].port, 'info', 'replication'), 'role') === 'master');
    await waitFor('cluster_state ok', () => field(cli(leaders[1].port, 'cluster', 'info'), 'cluster_state') === 'ok');
    expect(cli(leaders[1].port, '-c', 'get', 'key:1')).toBe('value-1');
    expect(dbsizeOfMasters([...leaders.slice(1), ...followers])).toBe(300);

    start(leaders[0]);
    await waitFor('old master to rejoin as replica', () => field(cli(leaders[0].port, 'info', 'replication'), 'role') === 'slave'
      && field(cli(leaders[0].port, 'info', 'replication'), 'master_link_status') === 'up');
    // Re-running the formation after a failover leaves the swapped roles alone.
    const r = runScript(clusterFormationScript(), formationEnv);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('already formed');
    expect(field(cli(followers[0].port, 'info', 'replication'), 'role')).toBe('master');
  });

  test('a full restart where every node got a new IP: the entrypoint re-resolves peers and the cluster recovers', async () => {
    if (spawnSync('getent', ['hosts', 'localhost'], { encoding: 'utf8' }).stdout.split(/\s+/)[0] !== '127.0.0.1') {
      throw new Error('this test needs localhost to resolve to 127.0.0.1');
    }
    for (const n of all) cli(n.port, 'cluster', 'saveconfig');
    await Promise.all(all.map((n) => stop(n)));
    // Pretend every pod had 127.0.0.99 before: peers are unreachable there (redis binds 127.0.0.1 only).
    for (const n of all) {
      const file = join(n.dir, 'data', 'nodes.conf');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/127\.0\.0\.1:/g, '127.0.0.99:'));
    }
    await startAll(all);
    await waitFor('cluster_state ok after the restart', () => all.every((n) => field(cli(n.port, 'cluster', 'info'), 'cluster_state') === 'ok'), 60_000);
    for (const n of all) expect(readFileSync(join(n.dir, 'data', 'nodes.conf'), 'utf8')).not.toContain('127.0.0.99');
    expect(dbsizeOfMasters(all)).toBe(300);
    expect(cli(leaders[2].port, '-c', 'get', 'key:300')).toBe('value-300');
  });

  test('pre-stop gate: a pod waits while its shard mate is down, and stops once the mate is back in sync', async () => {
    // Shard 2 kept its original roles: leader-2 is the master, follower-2 its replica.
    const gate = (node: Node, seconds: number) => runScript(clusterPreStopScript(),
      { REDIS_PORT: String(node.port), ROLL_GATE_DELAY_SECONDS: '0', ROLL_GATE_SECONDS: String(seconds) }, 60_000);
    const probe = (node: Node) => runScript(`set -- readiness\n${redisProbeScript()}`, { REDIS_PORT: String(node.port), REDIS_MODE: 'cluster' });
    expect(gate(leaders[2], 20).stdout).toContain('shard mate in sync: stopping');

    await stop(followers[2]);
    const t0 = Date.now();
    const waited = gate(leaders[2], 6);
    expect(waited.stdout).toContain('not in sync after 6s: stopping anyway');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(6000);
    // The replica's gate also waits while its master is away.
    const leader1Id = cli(leaders[1].port, 'cluster', 'myid');
    const replicaOfLeader1 = all.find((n) => clusterNodes(n).some((l) => l[2].includes('myself') && l[3] === leader1Id))!;
    await stop(leaders[1]);
    expect(gate(replicaOfLeader1, 4).stdout).toContain('not in sync after 4s');

    start(followers[2]);
    start(leaders[1]);
    await waitFor('shard 1 and 2 back in sync', () => probe(followers[2]).status === 0 && probe(replicaOfLeader1).status === 0, 60_000);
    expect(gate(leaders[2], 20).stdout).toContain('shard mate in sync: stopping');
    expect(gate(replicaOfLeader1, 20).stdout).toContain('shard mate in sync: stopping');
  });

  test('restore: a new cluster seeded from the backup has every key', async () => {
    const newLeaders = [0, 1, 2].map((i) => newNode('b', `copy-leader-${i}`));
    const newFollowers = [0, 1, 2].map((i) => newNode('b', `copy-follower-${i}`));
    for (const n of [...newLeaders, ...newFollowers]) {
      const r = runScript(restoreSeedScript(), {
        DATA_DIR: join(n.dir, 'data'), RESTORE_DIR: backupDir, POD_NAME: n.name, REDIS_MODE: 'cluster', APPENDONLY: 'yes',
      });
      expect(r.status).toBe(0);
    }
    expect(existsSync(join(newLeaders[1].dir, 'data', 'appendonlydir', 'appendonly.aof.manifest'))).toBe(true);
    // A seeded volume is never seeded twice.
    const again = runScript(restoreSeedScript(), {
      DATA_DIR: join(newLeaders[0].dir, 'data'), RESTORE_DIR: backupDir, POD_NAME: newLeaders[0].name, REDIS_MODE: 'cluster', APPENDONLY: 'yes',
    });
    expect(again.stdout).toContain('not restoring');

    await startAll([...newLeaders, ...newFollowers]);
    const r = runScript(clusterFormationScript(), { LEADERS: addr(newLeaders), FOLLOWERS: addr(newFollowers), WAIT_TIMEOUT_SECONDS: '60' });
    expect(`${r.stdout}${r.stderr}`).toContain('cluster formed');
    expect(r.status).toBe(0);
    expect(dbsizeOfMasters(newLeaders)).toBe(300);
    for (const i of [1, 150, 300]) expect(cli(newLeaders[0].port, '-c', 'get', `key:${i}`)).toBe(`value-${i}`);
    await Promise.all([...newLeaders, ...newFollowers].map((n) => stop(n)));
  });

  afterAll(async () => {
    await Promise.all(all.map((n) => stop(n)));
  });
});

describe('Formation refuses slots that do not match its plan (e.g. a backup of another shard count)', () => {
  const nodes = [0, 1, 2].map((i) => newNode('c', `odd-leader-${i}`));

  test('a leader holding slots outside its planned range stops the formation with a clear message', async () => {
    await startAll(nodes);
    // Leader 0 plans 0-5460; slot 16000 belongs to leader 2's range.
    expect(cli(nodes[0].port, 'cluster', 'addslots', '16000')).toBe('OK');
    const r = runScript(clusterFormationScript(), { LEADERS: addr(nodes), FOLLOWERS: '', WAIT_TIMEOUT_SECONDS: '20' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('holds slots 16000 outside its planned range 0-5460');
    // Nothing was changed: the nodes never met.
    expect(field(cli(nodes[1].port, 'cluster', 'info'), 'cluster_known_nodes')).toBe('1');
  });

  afterAll(async () => {
    await Promise.all(nodes.map((n) => stop(n)));
  });
});

describe('Sentinel mode with the generated scripts (real redis-server and sentinels on loopback)', () => {
  const data = [0, 1, 2].map((i) => newNode('s', `cache-${i}`, 'sentinel'));
  const sentinels = [0, 1, 2].map((i) => ({ name: `cache-sentinel-${i}`, port: nextPort++, dir: join(root, 's', `cache-sentinel-${i}`) } as Node));
  const sentinelHosts = sentinels.map((s) => `127.0.0.1:${s.port}`).join(' ');
  const env = (n: Node) => ({
    SENTINEL_HOSTS: sentinelHosts,
    SENTINEL_MASTER_NAME: 'mymaster',
    INITIAL_MASTER_HOST: '127.0.0.1',
    INITIAL_MASTER_PORT: String(data[0].port),
    SELF_HOST: '127.0.0.1',
    ANNOUNCE_HOSTNAME: '',
    REDIS_PORT: String(n.port),
  });
  const sentinelCli = (s: Node, ...args: string[]) => spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(s.port), ...args],
    { encoding: 'utf8', env: { PATH: process.env.PATH } }).stdout.trim().split('\n');

  function startSentinel(s: Node): void {
    mkdirSync(s.dir, { recursive: true });
    writeFileSync(join(s.dir, 'sentinel.tmpl'), renderSentinelConfTemplate({
      masterName: 'mymaster', quorum: 2, downAfterMs: 2000, failoverTimeoutMs: 10_000, parallelSyncs: 1, port: s.port,
    }).replace('dir /run/redis', `dir ${s.dir}`).replace('protected-mode no', 'protected-mode no\nbind 127.0.0.1'));
    const log = openSync(join(s.dir, 'sentinel.log'), 'a');
    s.proc = spawn('bash', ['--norc', '--noprofile', '-c', sentinelEntrypointScript()], {
      env: {
        PATH: process.env.PATH,
        SENTINEL_PORT: String(s.port),
        SENTINEL_CONF_TEMPLATE: join(s.dir, 'sentinel.tmpl'),
        SENTINEL_CONF: join(s.dir, 'sentinel.conf'),
        SENTINEL_MASTER_NAME: 'mymaster',
        SENTINEL_QUORUM: '2',
        REDIS_PASSWORD: PASSWORD,
        REDISCLI_AUTH: PASSWORD,
        INITIAL_MASTER_HOST: '127.0.0.1',
        INITIAL_MASTER_PORT: String(data[0].port),
        SENTINEL_HOSTS: sentinelHosts,
        REDIS_HOSTS: addr(data),
        SENTINEL_DOWN_AFTER_MS: '2000',
        SENTINEL_FAILOVER_TIMEOUT_MS: '10000',
      },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    procs.push(s.proc);
  }

  test('pod 0 starts as master, the others replicate it, sentinels agree', async () => {
    data.forEach((n) => start(n, env(n), 'sentinel'));
    for (const n of data) await waitFor(`${n.name}`, () => cli(n.port, 'ping') === 'PONG', 15_000);
    await waitFor('replicas linked', () => data.slice(1).every((n) => field(cli(n.port, 'info', 'replication'), 'master_link_status') === 'up'));
    sentinels.forEach(startSentinel);
    await waitFor('sentinels to see the master', () => sentinels.every((s) => sentinelCli(s, 'sentinel', 'get-master-addr-by-name', 'mymaster')[1] === String(data[0].port)));
    await waitFor('sentinels to find each other', () => sentinels.every((s) => {
      const reply = sentinelCli(s, 'sentinel', 'master', 'mymaster');
      return reply[reply.indexOf('num-other-sentinels') + 1] === '2';
    }));
    // The sentinel container's probes, with the container's env (REDISCLI_AUTH included, as the manifest sets it).
    // Seen on the cluster tier: redis-cli sent AUTH to the password-less sentinel, printed "AUTH failed" next to
    // PONG, and no sentinel ever became Ready.
    for (const mode of ['liveness', 'readiness']) {
      const probe = runScript(`set -- ${mode}\n${sentinelProbeScript()}`, { SENTINEL_PORT: String(sentinels[0].port), SENTINEL_MASTER_NAME: 'mymaster' });
      expect([mode, probe.stdout + probe.stderr, probe.status]).toEqual([mode, '', 0]);
    }
    expect(cli(data[0].port, 'set', 'k', 'v')).toBe('OK');
  });

  test('the master dies: a replica is promoted, and the old master comes back as a replica', async () => {
    await stop(data[0], 'SIGKILL');
    await waitFor('a new master', () => {
      const m = sentinelCli(sentinels[1], 'sentinel', 'get-master-addr-by-name', 'mymaster')[1];
      return m !== String(data[0].port) && field(cli(Number(m), 'info', 'replication'), 'role') === 'master';
    }, 60_000);
    const newPort = Number(sentinelCli(sentinels[1], 'sentinel', 'get-master-addr-by-name', 'mymaster')[1]);
    expect(cli(newPort, 'get', 'k')).toBe('v');
    start(data[0], env(data[0]), 'sentinel');
    await waitFor('old master to rejoin as a replica', () => {
      const rep = cli(data[0].port, 'info', 'replication');
      return field(rep, 'role') === 'slave' && field(rep, 'master_port') === String(newPort) && field(rep, 'master_link_status') === 'up';
    }, 60_000);
  });

  afterAll(async () => {
    await Promise.all([...data, ...sentinels].filter((n) => n.proc).map((n) => stop(n)));
  });
});
