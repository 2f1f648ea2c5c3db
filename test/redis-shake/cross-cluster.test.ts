import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart, Size, Testing } from 'cdk8s';
import { drApp } from '../../examples/redis-dr/main';
import {
  Credentials, CrossClusterRedisShake, CrossClusterRedisShakeProps, DisasterRecoveryState, RedisCluster, RedisMode, RedisShakeEndpoint,
  RedisShakeVersion, ShardExposure,
} from '../../src';
import { v3RenderScript } from '../../src/redis-shake/config';
import { shakeMetricNames } from '../../src/redis-shake/monitoring';
import {
  checkQueriesWithPromtool, checkRulesWithPromtool, expectKnownMetrics, expectProductionPolicy, expectValidManifests, loadMetricList,
  shellcheckScript,
} from '../harness';

// smol-toml's typings describe only its ES module; the CommonJS build is what jest loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('smol-toml') as { parse: (toml: string) => any };

const find = (objs: any[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} in ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
};
const replicasOf = (objs: any[], prefix: string) => objs
  .filter((o) => o.kind === 'Deployment' && o.metadata.name.startsWith(prefix)).map((o) => o.spec.replicas);

function synthState(state: DisasterRecoveryState) {
  const app = Testing.app();
  const { a, b, shake } = drApp(app, state);
  return { a: Testing.synth(a) as any[], b: Testing.synth(b) as any[], shake };
}

describe('examples/redis-dr: two clusters, every disaster-recovery state', () => {
  const states = Object.values(DisasterRecoveryState);
  const synths = Object.fromEntries(states.map((s) => [s, synthState(s)]));

  test.each(states)('%s: both charts pass the Kubernetes and CRD schemas', (state) => {
    expectValidManifests(synths[state].a);
    expectValidManifests(synths[state].b);
    expectProductionPolicy(synths[state].a);
    expectProductionPolicy(synths[state].b);
  });

  test('each state runs the right group, and the two directions never run at once', () => {
    const expected: Record<string, { sync: number; recovery: number }> = {
      normal: { sync: 1, recovery: 0 },
      failover: { sync: 0, recovery: 0 },
      recovery: { sync: 0, recovery: 1 },
    };
    for (const state of states) {
      const { a, b } = synths[state];
      // The sync group runs in cluster B (the target's), the recovery group in cluster A (the source's).
      expect(replicasOf(b, 'redis-shake-sync-')).toEqual([0, 1, 2].map(() => expected[state].sync));
      expect(replicasOf(a, 'redis-shake-recovery-')).toEqual([0, 1, 2].map(() => expected[state].recovery));
      expect(replicasOf(a, 'redis-shake-sync-')).toEqual([]);
      expect(replicasOf(b, 'redis-shake-recovery-')).toEqual([]);
      const running = [...replicasOf(a, 'redis-shake-'), ...replicasOf(b, 'redis-shake-')].filter((r) => r > 0).length;
      expect(running <= 3).toBe(true);
      expect(expected[state].sync * expected[state].recovery).toBe(0);
    }
  });

  test('only the replica count changes between states: config stays, so a state change restarts nothing else', () => {
    const strip = (objs: any[]) => JSON.stringify(objs.map((o) => {
      const c = JSON.parse(JSON.stringify(o));
      if (c.kind === 'Deployment') {
        delete c.spec.replicas;
        delete c.metadata.annotations['cdk8s-middleware.dev/dr-state'];
      }
      if (c.kind === 'PrometheusRule') delete c.spec;
      return c;
    }));
    expect(strip(synths.failover.b)).toEqual(strip(synths.normal.b));
    expect(strip(synths.recovery.a)).toEqual(strip(synths.normal.a));
  });

  test('source side: one NodePort Service per leader pod, pinned by pod name; peers admitted by CIDR only', () => {
    const { a } = synths.normal;
    for (const i of [0, 1, 2]) {
      const svc = find(a, 'Service', `redis-a-leader-svc-${i}`);
      expect(svc.spec.type).toBe('NodePort');
      expect(svc.spec.ports).toEqual([{ name: 'redis', port: 6379, targetPort: 'redis', nodePort: 31379 + i }]);
      expect(svc.spec.selector).toEqual({
        'app.kubernetes.io/name': 'redis',
        'app.kubernetes.io/instance': 'redis-a',
        'app.kubernetes.io/component': 'redis',
        'statefulset.kubernetes.io/pod-name': `redis-a-leader-${i}`,
      });
    }
    const np = find(a, 'NetworkPolicy', 'redis-a-peer-access');
    expect(np.spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 6379 }] });
  });

  test('target side: one RedisShake per source shard, config in a ConfigMap at /etc/sync, emptyDir at /data', () => {
    const { b } = synths.normal;
    for (const i of [0, 1, 2]) {
      const dep = find(b, 'Deployment', `redis-shake-sync-${i}`);
      expect(dep.spec.strategy).toEqual({ type: 'Recreate' });
      const pod = dep.spec.template.spec;
      const shake = pod.containers.find((c: any) => c.name === 'redis-shake');
      expect(shake.command).toEqual(['/app/redis-shake', '/etc/sync/shake.toml']);
      expect(shake.volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/sync', readOnly: true }, { name: 'data', mountPath: '/data' }]);
      expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name: `redis-shake-sync-${i}` } });
      expect(pod.volumes.find((v: any) => v.name === 'data').emptyDir).toEqual({ sizeLimit: '10Gi' });
      expect(shake.readinessProbe.httpGet).toEqual({ path: '/', port: 'status' });
      expect(shake.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
      expect(shake.env).toEqual([
        { name: 'SOURCE_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-a-auth', key: 'password' } } },
        { name: 'TARGET_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-b-auth', key: 'password' } } },
      ]);
      expect(find(b, 'Service', 'redis-shake-sync').spec.ports.map((p: any) => p.name)).toEqual(['status', 'metrics']);
    }
  });

  test('shake.toml is real TOML in the documented v4 format; passwords are ${VAR} references, never values', () => {
    const { b } = synths.normal;
    for (const i of [0, 1, 2]) {
      const text = find(b, 'ConfigMap', `redis-shake-sync-${i}`).data['shake.toml'];
      const toml = parse(text);
      expect(Object.keys(toml)).toEqual(['sync_reader', 'redis_writer', 'advanced', 'module']);
      expect(toml.sync_reader).toEqual({
        cluster: false,
        address: `cluster-a.example.internal:${31379 + i}`,
        username: '',
        password: '${SOURCE_PASSWORD}',
        tls: false,
        sync_rdb: true,
        sync_aof: true,
        prefer_replica: false,
        try_diskless: false,
      });
      expect(toml.redis_writer).toMatchObject({ cluster: true, sentinel: false, address: 'redis-b.cache.svc:6379', password: '${TARGET_PASSWORD}' });
      expect(toml.advanced).toMatchObject({ dir: '/data', status_port: 8080, rdb_restore_command_behavior: 'rewrite', log_level: 'info' });
    }
    for (const o of [...b, ...synths.normal.a]) {
      if (o.kind === 'ConfigMap') expect(JSON.stringify(o.data)).not.toMatch(/password = "[^$@]/);
      if (o.kind === 'Secret') throw new Error('no Secret may be synthesized');
    }
  });

  test('alerts follow the state, pass promtool and use only metrics that exist', () => {
    const known = new Set([...shakeMetricNames(false), ...loadMetricList('kube_state_metrics')]);
    for (const state of states) {
      const { a, b } = synths[state];
      for (const [objs, group] of [[b, 'sync'], [a, 'recovery']] as const) {
        const rule = find(objs, 'PrometheusRule', `redis-shake-${group}`);
        checkRulesWithPromtool(rule.spec);
        const rules = rule.spec.groups[0].rules;
        const shouldRun = (state === 'normal' && group === 'sync') || (state === 'recovery' && group === 'recovery');
        expect(rules.map((r: any) => r.alert).sort()).toEqual(shouldRun
          ? ['RedisShakeNotConsistent', 'RedisShakeNotProgressing', 'RedisShakeNotRunning', 'RedisShakeRestarting', 'RedisShakeStatusUnavailable']
          : ['RedisShakeGroupShouldBeStopped']);
        expectKnownMetrics(rules.map((r: any) => r.expr), known, ['up']);
        for (const r of rules) expect(r.annotations.runbook_url).toMatch(/#redisshake/);
      }
    }
    const runbooks = readFileSync(join(__dirname, '..', '..', 'docs', 'runbooks.md'), 'utf8');
    for (const name of ['RedisShakeNotRunning', 'RedisShakeStatusUnavailable', 'RedisShakeNotProgressing', 'RedisShakeRestarting',
      'RedisShakeNotConsistent', 'RedisShakeGroupShouldBeStopped']) {
      expect(runbooks).toContain(`\n### ${name}\n`);
    }
  });

  test('metrics: json_exporter sidecar probes the status page; dashboard queries parse and use existing metrics', () => {
    const { b } = synths.normal;
    const sm = find(b, 'ServiceMonitor', 'redis-shake-sync');
    expect(sm.spec.endpoints[0]).toMatchObject({ port: 'metrics', path: '/probe', params: { module: ['redisshake'], target: ['http://127.0.0.1:8080/'] } });
    const exporterConfig = JSON.parse(find(b, 'ConfigMap', 'redis-shake-sync-exporter').data['config.yml']);
    expect(exporterConfig.modules.redisshake.metrics.map((m: any) => m.name).sort()).toEqual([...shakeMetricNames(false)].sort());
    const dash = JSON.parse(find(b, 'ConfigMap', 'redis-shake-sync-dashboard').data['redis-shake-redis-shake-sync.json']);
    const exprs: string[] = dash.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr));
    checkQueriesWithPromtool(exprs);
    expectKnownMetrics(exprs, new Set([...shakeMetricNames(false), ...loadMetricList('kube_state_metrics')]));
  });

  test.each(states)('snapshot: %s', (state) => {
    expect({ 'cluster-a': synths[state].a, 'cluster-b': synths[state].b }).toMatchSnapshot();
  });
});

describe('RedisShake v3 (the reference sync.toml)', () => {
  function v3() {
    const app = Testing.app();
    const { a, b } = charts(app);
    new CrossClusterRedisShake(app, 'dr', {
      source: RedisShakeEndpoint.fromRedisCluster(a.redis, { reachableHost: '192.0.2.10', peerCidrs: ['192.0.2.0/24'] }),
      target: RedisShakeEndpoint.fromRedisCluster(b.redis, { reachableHost: '198.51.100.10', peerCidrs: ['198.51.100.0/24'] }),
      version: RedisShakeVersion.v3('registry.example/redis-shake', '3.1.11'),
    });
    return { a: Testing.synth(a.chart) as any[], b: Testing.synth(b.chart) as any[] };
  }

  test('sync.toml has type, [source], [target], [advanced] with the documented keys; rendered at start', () => {
    const { a, b } = v3();
    expectValidManifests(a);
    expectValidManifests(b);
    expectProductionPolicy([...a, ...b]);
    const cm = find(b, 'ConfigMap', 'dr-sync-1');
    const toml = parse(cm.data['sync.toml']);
    expect(Object.keys(toml)).toEqual(['type', 'source', 'target', 'advanced']);
    expect(toml.type).toBe('sync');
    expect(toml.source).toEqual({ version: 7.2, address: '192.0.2.10:31380', username: '', password: '@SOURCE_PASSWORD@', tls: false, elasticache_psync: '' });
    expect(toml.target).toMatchObject({ type: 'cluster', version: 7.2, address: 'redis-b.cache.svc:6379' });
    expect(toml.advanced).toMatchObject({ dir: '/data', metrics_port: 8080, rdb_restore_command_behavior: 'rewrite' });
    const pod = find(b, 'Deployment', 'dr-sync-1').spec.template.spec;
    expect(pod.initContainers[0].name).toBe('render-config');
    expect(pod.containers[0].env).toEqual([]);
    expect(pod.containers[0].image).toBe('registry.example/redis-shake:3.1.11');
    shellcheckScript(pod.initContainers[0].command[2], 'render-config', 'sh');
  });

  test('the render step writes the passwords TOML-escaped, so any password parses back unchanged', () => {
    const { b } = v3();
    const template = find(b, 'ConfigMap', 'dr-sync-0').data['sync.toml'];
    const dir = mkdtempSync(join(tmpdir(), 'shake-v3-'));
    try {
      writeFileSync(join(dir, 'sync.toml'), template);
      const source = 'pa"ss\\word $HOME ${X} \'q\' &|;';
      const target = 'tärget-\\"-pw';
      const r = spawnSync('sh', ['-c', v3RenderScript()], {
        env: { PATH: process.env.PATH, TEMPLATE: join(dir, 'sync.toml'), OUTPUT: join(dir, 'out.toml'), SOURCE_PASSWORD: source, TARGET_PASSWORD: target },
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const toml = parse(readFileSync(join(dir, 'out.toml'), 'utf8'));
      expect(toml.source.password).toBe(source);
      expect(toml.target.password).toBe(target);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function charts(app: App, targetMode: RedisMode = RedisMode.CLUSTER) {
  const a = new Chart(app, 'cluster-a', { namespace: 'cache' });
  const b = new Chart(app, 'cluster-b', { namespace: 'cache' });
  return {
    a: { chart: a, redis: new RedisCluster(a, 'redis-a', { password: Credentials.fromSecret('redis-a-auth') }) },
    b: { chart: b, redis: new RedisCluster(b, 'redis-b', { mode: targetMode, password: Credentials.fromSecret('redis-b-auth') }) },
  };
}

describe('other topologies', () => {
  test('sentinel target (v4): the writer asks the sentinels for the master', () => {
    const app = Testing.app();
    const { a, b } = charts(app, RedisMode.SENTINEL);
    new CrossClusterRedisShake(app, 'dr', {
      source: RedisShakeEndpoint.fromRedisCluster(a.redis, { reachableHost: 'a.example', peerCidrs: ['10.2.0.0/16'] }),
      target: RedisShakeEndpoint.fromRedisCluster(b.redis, { reachableHost: 'b.example', peerCidrs: ['10.1.0.0/16'] }),
    });
    const objsB = Testing.synth(b.chart) as any[];
    const objsA = Testing.synth(a.chart) as any[];
    expectValidManifests(objsB);
    expectValidManifests(objsA);
    const sync = parse(find(objsB, 'ConfigMap', 'dr-sync-0').data['shake.toml']);
    expect(sync.redis_writer).toMatchObject({ cluster: false, sentinel: true, master: 'mymaster', address: 'redis-b-sentinel.cache.svc:26379' });
    // The sentinel-managed target has one shard: one recovery RedisShake, reading redis-b-0 through its NodePort.
    expect(replicasOf(objsA, 'dr-recovery-')).toEqual([0]);
    expect(find(objsB, 'Service', 'redis-b-leader-svc-0').spec.selector['statefulset.kubernetes.io/pod-name']).toBe('redis-b-0');
    expect(parse(find(objsA, 'ConfigMap', 'dr-recovery-0').data['shake.toml']).sync_reader.address).toBe('b.example:31379');
  });

  test('LoadBalancer exposure: one LoadBalancer per shard, source ranges from peerCidrs, addresses as given', () => {
    const app = Testing.app();
    const { a, b } = charts(app);
    new CrossClusterRedisShake(app, 'dr', {
      source: RedisShakeEndpoint.fromRedisCluster(a.redis, {
        exposure: ShardExposure.LOAD_BALANCER,
        shardAddresses: ['redis-a-0.dr.example:6379', 'redis-a-1.dr.example:6379', 'redis-a-2.dr.example:6379'],
        peerCidrs: ['10.2.0.0/16'],
      }),
      target: RedisShakeEndpoint.fromRedisCluster(b.redis, { reachableHost: 'b.example', peerCidrs: ['10.1.0.0/16'] }),
    });
    const objsA = Testing.synth(a.chart) as any[];
    const objsB = Testing.synth(b.chart) as any[];
    expectValidManifests(objsA);
    const svc = find(objsA, 'Service', 'redis-a-leader-svc-2');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['10.2.0.0/16']);
    expect(svc.spec.ports).toEqual([{ name: 'redis', port: 6379, targetPort: 'redis' }]);
    expect(parse(find(objsB, 'ConfigMap', 'dr-sync-2').data['shake.toml']).sync_reader.address).toBe('redis-a-2.dr.example:6379');
  });

  test('external endpoints: standalone writer, shard addresses as given, Secrets by reference', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'x' });
    const b = new Chart(app, 'b', { namespace: 'y' });
    new CrossClusterRedisShake(app, 'dr', {
      source: RedisShakeEndpoint.external({
        chart: a,
        name: 'legacy',
        shardAddresses: ['10.0.0.1:30001', '10.0.0.2:30002'],
        address: 'legacy.x.svc:6379',
        cluster: true,
        password: Credentials.fromSecret('legacy-pw', 'pw'),
      }),
      target: RedisShakeEndpoint.external({
        chart: b,
        name: 'standby',
        shardAddresses: ['10.1.0.1:30001'],
        address: 'standby.y.svc:6379',
        version: '6.2',
        password: Credentials.fromSecret('standby-pw'),
        passwordInPeerCluster: Credentials.fromSecret('standby-pw-copy'),
      }),
    });
    const objsB = Testing.synth(b) as any[];
    const objsA = Testing.synth(a) as any[];
    expectValidManifests(objsB);
    expectValidManifests(objsA);
    expect(replicasOf(objsB, 'dr-sync-')).toEqual([1, 1]);
    expect(parse(find(objsB, 'ConfigMap', 'dr-sync-1').data['shake.toml']).sync_reader.address).toBe('10.0.0.2:30002');
    expect(parse(find(objsB, 'ConfigMap', 'dr-sync-1').data['shake.toml']).redis_writer.cluster).toBe(false);
    const recovery = find(objsA, 'Deployment', 'dr-recovery-0').spec.template.spec.containers[0].env;
    expect(recovery).toContainEqual({ name: 'SOURCE_PASSWORD', valueFrom: { secretKeyRef: { name: 'standby-pw-copy', key: 'password' } } });
    expect(objsA.filter((o) => o.kind === 'Service' && o.spec.type === 'NodePort')).toEqual([]);
  });
});

describe('CrossClusterRedisShake validation', () => {
  const build = (over: (x: ReturnType<typeof charts>) => Partial<CrossClusterRedisShakeProps>) => {
    const app = Testing.app();
    const c = charts(app);
    new CrossClusterRedisShake(app, 'dr', {
      source: RedisShakeEndpoint.fromRedisCluster(c.a.redis, { reachableHost: 'a.example', peerCidrs: ['10.2.0.0/16'] }),
      target: RedisShakeEndpoint.fromRedisCluster(c.b.redis, { reachableHost: 'b.example', peerCidrs: ['10.1.0.0/16'] }),
      ...over(c),
    });
    return app;
  };
  test.each<[string, (x: ReturnType<typeof charts>) => Partial<CrossClusterRedisShakeProps>, RegExp]>([
    ['source and target in one chart', (c) => ({ target: RedisShakeEndpoint.fromRedisCluster(new RedisCluster(c.a.chart, 'other'), { reachableHost: 'a', peerCidrs: ['10.0.0.0/8'] }) }),
      /invalid target = "other": must live in a different chart than the source \(redis-a\)/],
    ['NodePort outside the range', (c) => ({ source: RedisShakeEndpoint.fromRedisCluster(c.a.redis, { reachableHost: 'a', peerCidrs: ['10.0.0.0/8'], nodePortBase: 32766 }) }),
      /invalid source.nodePortBase = 32766: must be an integer from 30000 to 32765/],
    ['no peer CIDRs', (c) => ({ source: RedisShakeEndpoint.fromRedisCluster(c.a.redis, { reachableHost: 'a', peerCidrs: [] }) }),
      /invalid source.peerCidrs = \[\]: must list the CIDRs/],
    ['bad CIDR', (c) => ({ target: RedisShakeEndpoint.fromRedisCluster(c.b.redis, { reachableHost: 'b', peerCidrs: ['10.0.0.0/33'] }) }),
      /invalid target.peerCidrs\[0\] = "10.0.0.0\/33": must be an IPv4 or IPv6 CIDR/],
    ['bad reachable host', (c) => ({ target: RedisShakeEndpoint.fromRedisCluster(c.b.redis, { reachableHost: 'http://b', peerCidrs: ['10.0.0.0/8'] }) }),
      /invalid target.reachableHost = "http:\/\/b": must be a host name or IP address/],
    ['LoadBalancer without one address per shard', (c) => ({
      source: RedisShakeEndpoint.fromRedisCluster(c.a.redis, { exposure: ShardExposure.LOAD_BALANCER, shardAddresses: ['a:6379'], peerCidrs: ['10.0.0.0/8'] }),
    }), /invalid source.shardAddresses = \["a:6379"\]: must hold one host:port per shard \(3\) with ShardExposure.LOAD_BALANCER/],
    ['NodePort without a reachable host', (c) => ({ source: RedisShakeEndpoint.fromRedisCluster(c.a.redis, { peerCidrs: ['10.0.0.0/8'] }) }),
      /invalid source.reachableHost = undefined: must be a host name or IP address/],
    ['name too long', () => ({ name: 'x'.repeat(31) }), /invalid name = "x{31}": must be a DNS-1123 label of at most 30 characters/],
    ['generated password for an external Redis', (c) => ({
      target: RedisShakeEndpoint.external({ chart: c.b.chart, name: 'ext', shardAddresses: ['h:1'], address: 'h:1', password: Credentials.generate() }),
    }), /invalid target.password = "Credentials.generate\(\)": must be Credentials.fromSecret/],
    ['several shard addresses without cluster', (c) => ({
      target: RedisShakeEndpoint.external({ chart: c.b.chart, name: 'ext', shardAddresses: ['h:1', 'h:2'], address: 'h:1', password: Credentials.fromSecret('s') }),
    }), /invalid target.shardAddresses = \["h:1","h:2"\]: must hold exactly one address unless cluster is true/],
    ['bad shard address', (c) => ({
      target: RedisShakeEndpoint.external({ chart: c.b.chart, name: 'ext', shardAddresses: ['h'], address: 'h:1', password: Credentials.fromSecret('s') }),
    }), /invalid target.shardAddresses\[0\] = "h": must be host:port/],
    ['v3 writing to a sentinel', (c) => ({
      version: RedisShakeVersion.v3('r/shake', '3.1.11'),
      target: RedisShakeEndpoint.external({ chart: c.b.chart, name: 'ext', shardAddresses: ['h:1'], address: 'h:26379', sentinelMasterName: 'mymaster', password: Credentials.fromSecret('s') }),
    }), /invalid target = "ext": is sentinel-managed: RedisShake v3 cannot write to a sentinel/],
    ['v3 without a usable image tag', () => ({ version: RedisShakeVersion.v3('r/shake', 'latest') }), /invalid version.tag = "latest"/],
    ['request over limit', () => ({ resources: { memory: { request: Size.gibibytes(4), limit: Size.gibibytes(2) } } }),
      /invalid resources.memory.request = "4Gi": must be <= the memory limit \(2Gi\)/],
  ])('%s', (_title, over, message) => {
    expect(() => build(over)).toThrow(message);
    expect(() => build(over)).toThrow(/^dr: invalid /);
  });

  test('the same instance as source and target', () => {
    const app = Testing.app();
    const c = charts(app);
    expect(() => new CrossClusterRedisShake(app, 'dr', {
      source: RedisShakeEndpoint.fromRedisCluster(c.a.redis, { reachableHost: 'a', peerCidrs: ['10.0.0.0/8'] }),
      target: RedisShakeEndpoint.fromRedisCluster(c.a.redis, { reachableHost: 'a', peerCidrs: ['10.0.0.0/8'] }),
    })).toThrow(/invalid target = "redis-a": must live in a different chart/);
  });
});
