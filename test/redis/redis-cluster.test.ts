import { readFileSync } from 'fs';
import { join } from 'path';
import { Chart, Cron, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  AlertSeverity, AntiAffinityMode, Credentials, DashboardDelivery, EvictionPolicy, NetworkPeer, NodeOperator, RedisCluster, RedisClusterProps,
  RedisMode, RedisPersistence, RedisVersion, TopologyKey,
} from '../../src';
import {
  checkQueriesWithPromtool, checkRulesWithPromtool, expectKnownMetrics, expectProductionPolicy, expectValidManifests, loadMetricList,
  metricNamesInExpr, scriptsOf,
  shellcheckScript,
} from '../harness';

const backup = {
  target: { endpoint: 'http://minio.minio.svc:9000', bucket: 'redis-backups', credentialsSecret: 'minio-backup' },
  schedule: Cron.schedule({ minute: '30', hour: '1' }),
  retentionDays: 14,
};

function synth(props: RedisClusterProps = {}, namespace: string | null = 'shop') {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: namespace ?? undefined });
  const redis = new RedisCluster(chart, 'cache', props);
  return { chart, redis, objs: Testing.synth(chart) as any[] };
}
const find = (objs: any[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} in ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
};
const container = (podSpec: any, name: string) => podSpec.containers.find((c: any) => c.name === name);

describe('RedisCluster, cluster mode (defaults)', () => {
  const { redis, objs } = synth({ backup });

  test('synthesizes the complete set of objects, with stable names', () => {
    const names = objs.map((o) => `${o.kind}/${o.metadata.name}`.replace(/^(Job\/cache-(?:cluster-init|auth-gen)-)[0-9a-f]{8}$/, '$1<hash>'));
    expect(names.sort()).toEqual([
      'ConfigMap/cache-config',
      'ConfigMap/cache-dashboard',
      'ConfigMap/cache-scripts',
      'CronJob/cache-backup',
      'Job/cache-cluster-init-<hash>',
      'Job/cache-auth-gen-<hash>',
      'NetworkPolicy/cache',
      'PodDisruptionBudget/cache',
      'PrometheusRule/cache',
      'Role/cache-auth-gen',
      'RoleBinding/cache-auth-gen',
      'Service/cache',
      'Service/cache-headless',
      'Service/cache-metrics',
      'ServiceAccount/cache-auth-gen',
      'ServiceMonitor/cache',
      'StatefulSet/cache-follower',
      'StatefulSet/cache-leader',
    ].sort());
    for (const o of objs) expect(o.metadata.namespace).toBe('shop');
  });

  test('every object passes the Kubernetes and CRD schemas and the production policy', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
  });

  test('connection facts for wiring an app', () => {
    expect(redis.host).toBe('cache.shop.svc');
    expect(redis.port).toBe(6379);
    expect(redis.passwordSecretName).toBe('cache-auth');
    expect(redis.passwordSecretKey).toBe('password');
    expect(redis.statefulSets).toHaveLength(2);
  });

  test('3 masters x 1 replica, data on PVCs, Parallel start, retained volumes', () => {
    const leader = find(objs, 'StatefulSet', 'cache-leader');
    const follower = find(objs, 'StatefulSet', 'cache-follower');
    expect(leader.spec.replicas).toBe(3);
    expect(follower.spec.replicas).toBe(3);
    expect(leader.spec.podManagementPolicy).toBe('Parallel');
    expect(leader.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(leader.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(leader.spec.template.metadata.labels.role).toBe('leader');
    expect(follower.spec.template.metadata.labels.role).toBe('follower');
  });

  test('a master and its replica never share a node: one required hostname anti-affinity over all Redis pods', () => {
    const terms = [find(objs, 'StatefulSet', 'cache-leader'), find(objs, 'StatefulSet', 'cache-follower')]
      .map((s) => s.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution);
    expect(terms[0]).toEqual(terms[1]);
    expect(terms[0]).toEqual([{
      topologyKey: 'kubernetes.io/hostname',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'cache', 'app.kubernetes.io/component': 'redis' } },
    }]);
  });

  test('containers: pinned images, resources, probes, non-root, no password in args or config', () => {
    const pod = find(objs, 'StatefulSet', 'cache-leader').spec.template;
    const redisC = container(pod.spec, 'redis');
    const exporter = container(pod.spec, 'exporter');
    expect(redisC.image).toBe(`docker.io/library/redis:${RedisVersion.V7_2.imageTag}`);
    expect(exporter.image).toMatch(/^docker\.io\/oliver006\/redis_exporter:v\d+\.\d+\.\d+$/);
    for (const c of [redisC, exporter]) {
      expect(c.livenessProbe).toBeDefined();
      expect(c.readinessProbe).toBeDefined();
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    }
    expect(redisC.resources).toEqual({ requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999 });
    const pw = redisC.env.find((e: any) => e.name === 'REDIS_PASSWORD');
    expect(pw).toEqual({ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'cache-auth', key: 'password' } } });
    const conf = find(objs, 'ConfigMap', 'cache-config').data['redis.conf'];
    expect(conf).not.toMatch(/^\s*(requirepass|masterauth)\b/m);
    expect(conf).toMatch(/^maxmemory 805306368$/m); // 75% of 1Gi
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
    expect(conf).toMatch(/^cluster-enabled yes$/m);
    expect(conf).toMatch(/^appendonly yes$/m);
  });

  test('no plaintext secret anywhere: no Secret objects, every password env is a Secret reference', () => {
    expect(objs.filter((o) => o.kind === 'Secret')).toEqual([]);
    const walk = (x: any): void => {
      if (!x || typeof x !== 'object') return;
      if (typeof x.name === 'string' && /PASSWORD|AUTH|SECRET_ACCESS_KEY|ACCESS_KEY_ID/.test(x.name) && 'value' in x && x.name !== 'PASSWORD_LENGTH') {
        throw new Error(`env ${x.name} has a literal value`);
      }
      Object.values(x).forEach(walk);
    };
    objs.forEach(walk);
  });

  test('the cluster is formed by an idempotent Job that lists every pod', () => {
    const job = objs.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('cache-cluster-init-'));
    const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.LEADERS).toBe('cache-leader-0.cache-headless:6379 cache-leader-1.cache-headless:6379 cache-leader-2.cache-headless:6379');
    expect(env.FOLLOWERS).toBe('cache-follower-0.cache-headless:6379 cache-follower-1.cache-headless:6379 cache-follower-2.cache-headless:6379');
    expect(find(objs, 'Service', 'cache-headless').spec.publishNotReadyAddresses).toBe(true);
  });

  test('rolls never stop a whole shard: a bounded pre-stop gate, followers start it later, the grace period covers it', () => {
    const env = (sts: any) => Object.fromEntries(container(sts.spec.template.spec, 'redis').env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
    const leaders = find(objs, 'StatefulSet', 'cache-leader');
    const followers = find(objs, 'StatefulSet', 'cache-follower');
    for (const sts of [leaders, followers]) {
      const spec = sts.spec.template.spec;
      expect(container(spec, 'redis').lifecycle.preStop.exec.command).toEqual(['bash', '/scripts/prestop.sh']);
      const e = env(sts);
      // The gate's delay and bound plus Redis's own 60 s shutdown fit in the grace period.
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(Number(e.ROLL_GATE_DELAY_SECONDS) + Number(e.ROLL_GATE_SECONDS) + 60);
    }
    expect(Number(env(followers).ROLL_GATE_DELAY_SECONDS)).toBeGreaterThan(Number(env(leaders).ROLL_GATE_DELAY_SECONDS));
    expect(find(objs, 'ConfigMap', 'cache-scripts').data['prestop.sh']).toContain('shard_mates_ok');
  });

  test('a PodDisruptionBudget allows one Redis pod down at a time', () => {
    expect(find(objs, 'PodDisruptionBudget', 'cache').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'cache', 'app.kubernetes.io/component': 'redis' } },
    });
  });

  test('the NetworkPolicy admits only peers and the monitoring namespace by default', () => {
    const np = find(objs, 'NetworkPolicy', 'cache');
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(np.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'cache' } } }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9121 }] },
    ]);
  });

  test('backup CronJob: Forbid, history, deadline, resources, credentials by reference', () => {
    const cj = find(objs, 'CronJob', 'cache-backup');
    expect(cj.spec).toMatchObject({ schedule: '30 1 * * *', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    expect(cj.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(3600);
    const pod = cj.spec.jobTemplate.spec.template.spec;
    expect(pod.initContainers[0].name).toBe('dump');
    expect(pod.containers[0].env).toContainEqual({ name: 'RETENTION_DAYS', value: '14' });
    expect(pod.containers[0].env).toContainEqual({ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'minio-backup', key: 'AWS_SECRET_ACCESS_KEY' } } });
    for (const c of [...pod.initContainers, ...pod.containers]) expect(c.resources.limits).toBeDefined();
  });

  test('every generated script passes shellcheck', () => {
    const scripts = scriptsOf(objs);
    expect(scripts.map((s) => s.name)).toEqual(expect.arrayContaining([
      'cache-scripts/entrypoint.sh', 'cache-scripts/probe.sh', 'cache-scripts/form-cluster.sh', 'cache-scripts/prestop.sh',
      'CronJob/cache-backup/dump', 'CronJob/cache-backup/upload', expect.stringMatching(/^Job\/cache-auth-gen-[0-9a-f]{8}\/generate$/),
    ]));
    for (const s of scripts) shellcheckScript(s.script, s.name, s.shell);
  });

  test('alerts pass promtool, carry severity/summary/description/runbook, and use real exporter metrics', () => {
    const rule = find(objs, 'PrometheusRule', 'cache');
    checkRulesWithPromtool(rule.spec);
    const rules = rule.spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual(expect.arrayContaining([
      'RedisDown', 'RedisMemoryNearLimit', 'RedisMemoryFull', 'RedisRejectedConnections', 'RedisClusterStateNotOk',
      'RedisClusterSlotsNotCovered', 'RedisMasterWithoutReplica', 'RedisReplicationBroken', 'RedisKeysEvicted',
      'RedisRdbSaveFailing', 'RedisAofWriteFailing',
    ]));
    for (const r of rules) {
      expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
      expect(r.annotations.summary).toBeTruthy();
      expect(r.annotations.description).toBeTruthy();
      expect(r.annotations.runbook_url).toMatch(/^https:\/\/.+#redis/);
      // Exporter alerts select this instance's scrape job; the backup alert its CronJob's runs.
      expect(r.expr).toContain(r.alert === 'RedisBackupFailed' ? 'owner_name="cache-backup"' : 'job="cache-metrics",namespace="shop"');
    }
    expect(rules.map((r: any) => r.alert)).toContain('RedisBackupFailed');
    expectKnownMetrics(rules.map((r: any) => r.expr), new Set([...loadMetricList('redis_exporter'), ...loadMetricList('kube_state_metrics')]), ['up']);
  });

  test('every built-in alert, in every mode, has its runbook section', () => {
    const runbooks = readFileSync(join(__dirname, '..', '..', 'docs', 'runbooks.md'), 'utf8');
    for (const mode of [RedisMode.CLUSTER, RedisMode.SENTINEL, RedisMode.STANDALONE]) {
      const rule = find(synth({ mode }).objs, 'PrometheusRule', 'cache');
      for (const r of rule.spec.groups[0].rules) {
        expect(runbooks).toContain(`\n### ${r.alert}\n`);
        expect(r.annotations.runbook_url).toMatch(new RegExp(`/docs/runbooks\\.md#${r.alert.toLowerCase()}$`));
      }
    }
  });

  test('dashboard queries parse with promtool and use real exporter metrics', () => {
    const cm = find(objs, 'ConfigMap', 'cache-dashboard');
    expect(cm.metadata.labels.grafana_dashboard).toBe('1');
    const dash = JSON.parse(cm.data['redis-cache.json']);
    const exprs: string[] = dash.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr));
    expect(exprs.length).toBeGreaterThan(20);
    expect(dash.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title)).toEqual(
      ['Overview', 'Traffic', 'Memory', 'Clients', 'Replication', 'Cluster', 'Persistence and keys']);
    checkQueriesWithPromtool(exprs);
    expectKnownMetrics(exprs, loadMetricList('redis_exporter'));
    expect(exprs.flatMap((e) => metricNamesInExpr(e))).toContain('redis_cluster_state');
  });

  test('snapshot', () => {
    expect(objs).toMatchSnapshot();
  });
});

describe('RedisCluster, sentinel and standalone', () => {
  test('sentinel mode: data pods, 3 sentinels, sentinel Service, two PDBs', () => {
    const { redis, objs } = synth({ mode: RedisMode.SENTINEL, backup });
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    expect(find(objs, 'StatefulSet', 'cache').spec.replicas).toBe(3);
    expect(find(objs, 'StatefulSet', 'cache-sentinel').spec.replicas).toBe(3);
    expect(objs.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.metadata.name).sort()).toEqual(['cache', 'cache-sentinel']);
    expect(redis.host).toBe('cache-sentinel.shop.svc');
    expect(redis.port).toBe(26379);
    expect(redis.sentinelMasterName).toBe('mymaster');
    const rule = find(objs, 'PrometheusRule', 'cache');
    checkRulesWithPromtool(rule.spec);
    expect(rule.spec.groups[0].rules.map((r: any) => r.alert)).toContain('RedisNotExactlyOneMaster');
    for (const s of scriptsOf(objs)) shellcheckScript(s.script, s.name, s.shell);
    expect(objs).toMatchSnapshot();
  });

  test('standalone mode: one pod, no PDB, no cluster Job', () => {
    const { objs } = synth({ mode: RedisMode.STANDALONE, persistence: RedisPersistence.RDB, evictionPolicy: EvictionPolicy.ALLKEYS_LRU });
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    expect(find(objs, 'StatefulSet', 'cache').spec.replicas).toBe(1);
    expect(objs.filter((o) => o.kind === 'PodDisruptionBudget' || o.kind === 'Job' && o.metadata.name.includes('cluster-init'))).toEqual([]);
    const conf = find(objs, 'ConfigMap', 'cache-config').data['redis.conf'];
    expect(conf).toMatch(/^appendonly no$/m);
    expect(conf).toMatch(/^maxmemory-policy allkeys-lru$/m);
    expect(conf).not.toMatch(/^cluster-enabled yes$/m);
  });
});

describe('RedisCluster options', () => {
  test('a configuration change rolls the pods (config hash annotation)', () => {
    const hash = (props: RedisClusterProps) => find(synth(props).objs, 'StatefulSet', 'cache-leader').spec.template.metadata.annotations['checksum/config'];
    expect(hash({})).toBe(hash({}));
    expect(hash({ config: { hz: '20' } })).not.toBe(hash({}));
    expect(hash({ evictionPolicy: EvictionPolicy.ALLKEYS_LFU })).not.toBe(hash({}));
  });

  test('existing Secret, registry mirror with pull secrets, custom sizes, preferred anti-affinity', () => {
    const { objs, redis } = synth({
      password: Credentials.fromSecret('redis-pw', 'pw'),
      registry: { registry: 'harbor.local/mirror', pullSecrets: ['harbor'] },
      resources: { cpu: { request: Cpu.millis(500), limit: Cpu.units(2) }, memory: { limit: Size.gibibytes(4) } },
      storage: { size: Size.gibibytes(50), storageClassName: 'fast-ssd' },
      scheduling: { antiAffinity: { mode: AntiAffinityMode.PREFERRED, weight: 50 } },
      masters: 5,
      replicasPerMaster: 2,
      config: { 'hz': '20', 'maxmemory-policy': 'volatile-lru' },
    });
    expectValidManifests(objs);
    expect(objs.filter((o) => o.kind === 'Job' && /-gen-[0-9a-f]{8}$/.test(o.metadata.name))).toEqual([]);
    expect(redis.passwordSecretName).toBe('redis-pw');
    const leader = find(objs, 'StatefulSet', 'cache-leader');
    expect(leader.spec.replicas).toBe(5);
    expect(find(objs, 'StatefulSet', 'cache-follower').spec.replicas).toBe(10);
    expect(leader.spec.template.spec.imagePullSecrets).toEqual([{ name: 'harbor' }]);
    expect(container(leader.spec.template.spec, 'redis').image).toMatch(/^harbor\.local\/mirror\/library\/redis:/);
    expect(container(leader.spec.template.spec, 'redis').resources.requests.memory).toBe('4Gi');
    expect(leader.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast-ssd', resources: { requests: { storage: '50Gi' } } });
    expect(leader.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(50);
    const conf = find(objs, 'ConfigMap', 'cache-config').data['redis.conf'];
    expect(conf).toMatch(/^hz 20$/m);
    expect(conf).toMatch(/^maxmemory-policy volatile-lru$/m);
    expect(conf).not.toMatch(/^maxmemory-policy noeviction$/m);
  });

  test("the reference platform's two-datacenter layout: leaders and followers placed by different node labels", () => {
    const placement = (key: string) => ({
      antiAffinity: { mode: AntiAffinityMode.REQUIRED, topologyKey: TopologyKey.custom(key) },
      nodeAffinity: ['node01', 'node02', 'node03'].map((v, i) => ({ key, operator: NodeOperator.IN, values: [v], weight: 100 - 10 * i })),
    });
    const { objs } = synth({ scheduling: placement('az1'), followerScheduling: placement('az2') });
    expectValidManifests(objs);
    const affinity = (sts: string) => find(objs, 'StatefulSet', sts).spec.template.spec.affinity;
    expect(affinity('cache-leader').podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('az1');
    expect(affinity('cache-follower').podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('az2');
    expect(affinity('cache-follower').nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution.map((t: any) => t.weight)).toEqual([100, 90, 80]);
    // The anti-affinity keeps selecting every Redis pod of the instance.
    expect(affinity('cache-follower').podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels)
      .toEqual({ 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'cache', 'app.kubernetes.io/component': 'redis' });
  });

  test('clients allowed by the NetworkPolicy', () => {
    const { objs } = synth({ networkPolicy: { allowedClients: [NetworkPeer.pods({ app: 'checkout' }), NetworkPeer.namespaces({ team: 'web' })] } });
    expect(find(objs, 'NetworkPolicy', 'cache').spec.ingress[1]).toEqual({
      from: [{ podSelector: { matchLabels: { app: 'checkout' } } }, { namespaceSelector: { matchLabels: { team: 'web' } } }],
      ports: [{ protocol: 'TCP', port: 6379 }],
    });
  });

  test('grafana-operator dashboard, alert overrides and extra alerts', () => {
    const { objs, redis } = synth({
      monitoring: {
        dashboard: DashboardDelivery.GRAFANA_OPERATOR,
        grafanaInstanceSelector: { dashboards: 'main' },
        selectorLabels: { release: 'prom' },
        scrapeInterval: Duration.seconds(15),
        alertOverrides: [{ name: 'RedisKeysEvicted', disabled: true }, { name: 'RedisDown', for: Duration.minutes(3) }],
        extraAlerts: [{ name: 'RedisSlowlogGrowing', expr: 'redis_slowlog_length{job="cache-metrics"} > 100', severity: AlertSeverity.INFO, summary: 's', description: 'd' }],
      },
    });
    expectValidManifests(objs);
    const gd = find(objs, 'GrafanaDashboard', 'cache');
    expect(gd.spec.instanceSelector).toEqual({ matchLabels: { dashboards: 'main' } });
    expect(JSON.parse(gd.spec.json).uid).toBe('redis-cache');
    expect(find(objs, 'ServiceMonitor', 'cache').metadata.labels.release).toBe('prom');
    expect(find(objs, 'ServiceMonitor', 'cache').spec.endpoints[0].interval).toBe('15s');
    const names = redis.alerts.map((a) => a.name);
    expect(names).not.toContain('RedisKeysEvicted');
    expect(names).toContain('RedisSlowlogGrowing');
    const rule = find(objs, 'PrometheusRule', 'cache');
    expect(rule.spec.groups[0].rules.find((r: any) => r.alert === 'RedisDown').for).toBe('3m');
    checkRulesWithPromtool(rule.spec);
  });

  test('monitoring off removes the exporter and its objects', () => {
    const { objs } = synth({ monitoring: { enabled: false } });
    expect(objs.filter((o) => ['ServiceMonitor', 'PrometheusRule'].includes(o.kind))).toEqual([]);
    expect(find(objs, 'StatefulSet', 'cache-leader').spec.template.spec.containers.map((c: any) => c.name)).toEqual(['redis']);
  });

  test('restore seeds new leaders from a backup', () => {
    const { objs } = synth({ restore: { source: backup.target, backupId: '20261124T013000Z' } });
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    const leader = find(objs, 'StatefulSet', 'cache-leader').spec.template.spec;
    expect(leader.initContainers.map((c: any) => c.name)).toEqual(['restore-download', 'restore-seed']);
    expect(leader.initContainers[0].env).toContainEqual({ name: 'BACKUP_ID', value: '20261124T013000Z' });
    expect(find(objs, 'StatefulSet', 'cache-follower').spec.template.spec.initContainers).toBeUndefined();
    for (const s of scriptsOf(objs)) shellcheckScript(s.script, s.name, s.shell);
  });

  test('Redis 6.2 is accepted', () => {
    const { objs } = synth({ version: RedisVersion.V6_2 });
    expect(container(find(objs, 'StatefulSet', 'cache-leader').spec.template.spec, 'redis').image).toBe(`docker.io/library/redis:${RedisVersion.V6_2.imageTag}`);
  });

  test('objects land in the chart namespace, or none', () => {
    const { objs } = synth({}, null);
    expect(objs.every((o) => o.metadata.namespace === undefined)).toBe(true);
  });
});

describe('RedisCluster validation', () => {
  test.each<[string, RedisClusterProps, RegExp]>([
    ['fewer than 3 masters', { masters: 2 }, /invalid masters = 2: must be an integer from 3 to 100/],
    ['negative replicas', { replicasPerMaster: -1 }, /invalid replicasPerMaster = -1: must be an integer from 0 to 5/],
    ['fractional masters', { masters: 3.5 }, /invalid masters = 3.5/],
    ['sentinel without replicas', { mode: RedisMode.SENTINEL, replicasPerMaster: 0 }, /invalid replicasPerMaster = 0: must be an integer from 1 to 5/],
    ['even sentinel count', { mode: RedisMode.SENTINEL, sentinels: 4 }, /invalid sentinels = 4: must be odd/],
    ['too few sentinels', { mode: RedisMode.SENTINEL, sentinels: 1 }, /invalid sentinels = 1: must be an integer from 3 to 9/],
    ['sentinels outside sentinel mode', { sentinels: 3 }, /invalid sentinels = 3: is only allowed in sentinel mode/],
    ['masters outside cluster mode', { mode: RedisMode.SENTINEL, masters: 3 }, /invalid masters = 3: is only allowed in cluster mode/],
    ['replicas in standalone', { mode: RedisMode.STANDALONE, replicasPerMaster: 1 }, /invalid replicasPerMaster = 1: must be 0 or unset in standalone mode/],
    ['node timeout outside cluster mode', { mode: RedisMode.STANDALONE, clusterNodeTimeout: Duration.seconds(5) }, /clusterNodeTimeout = "5000ms": is only allowed in cluster mode/],
    ['node timeout too small', { clusterNodeTimeout: Duration.millis(100) }, /clusterNodeTimeout = 100/],
    ['cpu request over limit', { resources: { cpu: { request: Cpu.units(2), limit: Cpu.units(1) } } }, /invalid resources.cpu.request = "2": must be <= the CPU limit \(1\)/],
    ['memory request over limit', { resources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } }, /resources.memory.request = "2Gi": must be <= the memory limit \(1Gi\)/],
    ['volume smaller than two snapshots', { storage: { size: Size.gibibytes(1) } }, /invalid storage.size = "1024Mi": must be at least twice maxmemory \(1536Mi\)/],
    ['tiny volume', { storage: { size: Size.mebibytes(64) } }, /storage.size = "64Mi": must be at least 128Mi/],
    ['follower placement outside cluster mode', { mode: RedisMode.SENTINEL, followerScheduling: {} }, /invalid followerScheduling = "sentinel": is only allowed in cluster mode with replicas/],
    ['maxmemory share', { maxmemoryPercent: 99 }, /maxmemoryPercent = 99: must be an integer from 10 to 95/],
    ['bad name', { name: 'Cache_1' }, /invalid name = "Cache_1": must be a DNS-1123 label of at most 40/],
    ['long name', { name: 'a'.repeat(41) }, /at most 40 characters/],
    ['unsupported version', { version: RedisVersion.ofTag('5.0.14') }, /invalid version = "5.0.14": must be a Redis 6.2.x or 7.x image tag/],
    ['password in free-form config', { config: { requirepass: 'x' } }, /config\["requirepass"\] = "requirepass": is managed by the construct/],
    ['bad directive name', { config: { 'Max Memory': '1' } }, /must be a redis.conf directive name/],
    ['moving image tag', { image: { tag: 'latest' } }, /image.tag = "latest": must be an explicit version tag/],
    ['bad backup schedule', { backup: { ...backup, schedule: Cron.schedule({ minute: '0', hour: '25' }) } }, /invalid backup.schedule = "0 25 \* \* \*"/],
    ['zero retention', { backup: { ...backup, retentionDays: 0 } }, /invalid backup.retentionDays = 0: must be an integer from 1 to 3650/],
    ['bad bucket', { backup: { ...backup, target: { ...backup.target, bucket: 'B' } } }, /invalid backup.target.bucket = "B"/],
    ['bad restore id', { restore: { source: backup.target, backupId: 'yesterday' } }, /invalid restore.backupId = "yesterday": must be 'latest' or a backup folder name/],
    ['restore without persistence', { persistence: RedisPersistence.NONE, restore: { source: backup.target, backupId: 'latest' } }, /invalid restore = "latest": needs persistence/],
    ['generated password too short', { password: Credentials.generate({ length: 8 }) }, /invalid password.length = 8/],
    ['unknown alert override', { monitoring: { alertOverrides: [{ name: 'RedisNope' }] } }, /monitoring.alertOverrides\[0\].name = "RedisNope": must name a built-in alert/],
    ['scrape interval', { monitoring: { scrapeInterval: Duration.seconds(1) } }, /monitoring.scrapeInterval = "1s": must be from 5s to 10m/],
  ])('%s', (_title, props, message) => {
    expect(() => synth(props)).toThrow(message);
    // Every message names the construct path.
    expect(() => synth(props)).toThrow(/^test\/cache: invalid /);
  });
});
