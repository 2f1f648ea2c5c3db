import { readFileSync } from 'fs';
import { join } from 'path';
import { Chart, Cron, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { BinlogFormat, Credentials, MysqlBackupMethod, MysqlCluster, MysqlClusterProps, MysqlTopology, MysqlVersion } from '../../src';
import { WARNING_METADATA } from '../../src/core/validation';
import {
  checkQueriesWithPromtool, checkRulesWithPromtool, expectKnownMetrics, expectProductionPolicy, expectValidManifests, loadMetricList,
  scriptsOf, shellcheckScript,
} from '../harness';

const backup = {
  target: { endpoint: 'http://minio.minio.svc:9000', bucket: 'mysql-backups', credentialsSecret: 'minio-backup' },
  schedule: Cron.schedule({ minute: '0', hour: '3' }),
  retentionDays: 14,
};
const appUsers: MysqlClusterProps = {
  databases: ['orders', 'reports'],
  users: [
    { name: 'orders_app', databases: ['orders'] },
    { name: 'analyst', databases: ['orders', 'reports'], readOnly: true, password: Credentials.fromSecret('analyst-db', 'pw') },
  ],
};

function synth(props: MysqlClusterProps = {}, namespace = 'shop') {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace });
  const mysql = new MysqlCluster(chart, 'orders', props);
  return { chart, mysql, objs: Testing.synth(chart) as any[] };
}
const find = (objs: any[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} in ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
};
const container = (podSpec: any, name: string) => podSpec.containers.find((c: any) => c.name === name);
const myCnf = (objs: any[]) => find(objs, 'ConfigMap', 'orders-config').data['my.cnf'] as string;
const errorOf = (props: MysqlClusterProps) => {
  try {
    synth(props);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('MysqlCluster, replication (defaults) with users and backup', () => {
  const { mysql, objs } = synth({ ...appUsers, backup });

  test('synthesizes the complete set of objects, with stable names', () => {
    const names = objs.map((o) => `${o.kind}/${o.metadata.name}`.replace(/^(Job\/orders-[a-z-]+-)[0-9a-f]{8}$/, '$1<hash>'));
    expect(names.sort()).toEqual([
      'ConfigMap/orders-config', 'ConfigMap/orders-dashboard', 'ConfigMap/orders-scripts',
      'CronJob/orders-backup',
      'Job/orders-exporter-gen-<hash>', 'Job/orders-replication-gen-<hash>', 'Job/orders-root-gen-<hash>', 'Job/orders-user-orders-app-gen-<hash>',
      'Job/orders-users-<hash>',
      'NetworkPolicy/orders', 'PodDisruptionBudget/orders', 'PrometheusRule/orders',
      'Role/orders-agent', 'Role/orders-exporter-gen', 'Role/orders-replication-gen', 'Role/orders-root-gen', 'Role/orders-user-orders-app-gen',
      'RoleBinding/orders-agent', 'RoleBinding/orders-exporter-gen', 'RoleBinding/orders-replication-gen', 'RoleBinding/orders-root-gen',
      'RoleBinding/orders-user-orders-app-gen',
      'Service/orders', 'Service/orders-headless', 'Service/orders-metrics', 'Service/orders-read',
      'ServiceAccount/orders-agent', 'ServiceAccount/orders-exporter-gen', 'ServiceAccount/orders-replication-gen', 'ServiceAccount/orders-root-gen',
      'ServiceAccount/orders-user-orders-app-gen',
      'ServiceMonitor/orders', 'StatefulSet/orders',
    ].sort());
    for (const o of objs) expect(o.metadata.namespace).toBe('shop');
  });

  test('every object passes the Kubernetes and CRD schemas and the production policy', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
  });

  test('connection facts for wiring an app', () => {
    expect(mysql.host).toBe('orders.shop.svc');
    expect(mysql.readHost).toBe('orders-read.shop.svc');
    expect(mysql.port).toBe(3306);
    expect(mysql.instances).toBe(3);
    expect(mysql.rootPasswordSecret).toEqual({ secretName: 'orders-root', key: 'password' });
    expect(mysql.userPasswordSecrets).toEqual({
      orders_app: { secretName: 'orders-user-orders-app', key: 'password' },
      analyst: { secretName: 'analyst-db', key: 'pw' },
    });
    expect(mysql.passwordGeneratorJobs).toHaveLength(4);
  });

  test('the read-write Service follows the primary role label, the read-only one the replicas', () => {
    const sel = { 'app.kubernetes.io/name': 'mysql', 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/component': 'mysql' };
    expect(find(objs, 'Service', 'orders').spec.selector).toEqual({ ...sel, role: 'primary' });
    expect(find(objs, 'Service', 'orders-read').spec.selector).toEqual({ ...sel, role: 'replica' });
    const headless = find(objs, 'Service', 'orders-headless');
    expect(headless.spec.selector).toEqual(sel);
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
  });

  test('my.cnf: GTID, durable commits, semi-sync, reference defaults, buffer pool from the memory limit', () => {
    const cnf = myCnf(objs);
    for (const line of [
      'gtid_mode=ON', 'enforce_gtid_consistency=ON', 'sync_binlog=1', 'innodb_flush_log_at_trx_commit=1', 'max_connections=512',
      'long_query_time=1', 'slow_query_log=ON', 'binlog_format=ROW', 'binlog_expire_logs_seconds=604800', 'character-set-server=utf8mb4',
      'plugin-load-add=mysql_clone.so;semisync_source.so;semisync_replica.so', 'loose_rpl_semi_sync_source_enabled=ON',
      'loose_rpl_semi_sync_source_timeout=10000', 'datadir=/data/mysql', 'log_replica_updates=ON',
      // 60% of 2Gi, rounded down to 128Mi chunks: 9 x 128Mi.
      `innodb_buffer_pool_size=${9 * 128 * 2 ** 20}`,
    ]) expect(cnf.split('\n')).toContain(line);
    expect(cnf).not.toMatch(/group_replication/);
    expect(cnf).not.toMatch(/password/i);
  });

  test('pods: required hostname anti-affinity, parallel start, PVCs retained, config hash, server ids from 100', () => {
    const sts = find(objs, 'StatefulSet', 'orders');
    const pod = sts.spec.template;
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    expect(pod.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(pod.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{16}$/);
    const env = Object.fromEntries(container(pod.spec, 'mysql').env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.SERVER_ID_OFFSET).toBe('100');
    expect(env.SELF_HOST).toBe('$(POD_NAME).orders-headless');
    expect(env.MYSQL_ROOT_PASSWORD).toEqual({ secretKeyRef: { name: 'orders-root', key: 'password' } });
    expect(container(pod.spec, 'mysql').image).toBe(`docker.io/library/mysql:${MysqlVersion.V8_4.imageTag}`);
    expect(container(pod.spec, 'exporter').image).toBe('docker.io/prom/mysqld-exporter:v0.18.0');
  });

  test('only the agent gets an API token, and its Role can only read and label this instance\'s pods', () => {
    const pod = find(objs, 'StatefulSet', 'orders').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('orders-agent');
    const mounts = (c: string) => (container(pod, c).volumeMounts ?? []).map((m: any) => m.name);
    expect(mounts('agent')).toContain('agent-token');
    expect(mounts('mysql')).not.toContain('agent-token');
    expect(mounts('exporter')).not.toContain('agent-token');
    expect(find(objs, 'Role', 'orders-agent').rules).toEqual([
      { apiGroups: [''], resources: ['pods'], resourceNames: ['orders-0', 'orders-1', 'orders-2'], verbs: ['get', 'patch'] },
    ]);
    const env = Object.fromEntries(container(pod, 'agent').env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.PEERS).toBe('orders-0.orders-headless orders-1.orders-headless orders-2.orders-headless');
    expect(env.REPL_PASSWORD).toEqual({ secretKeyRef: { name: 'orders-replication', key: 'password' } });
  });

  test('probes query MySQL through the probe script; the exporter reads its password from the Secret', () => {
    const pod = find(objs, 'StatefulSet', 'orders').spec.template.spec;
    const m = container(pod, 'mysql');
    expect(m.readinessProbe.exec.command).toEqual(['bash', '/scripts/probe.sh', 'readiness']);
    expect(m.livenessProbe.exec.command).toEqual(['bash', '/scripts/probe.sh', 'liveness']);
    expect(m.startupProbe.failureThreshold * m.startupProbe.periodSeconds).toBeGreaterThanOrEqual(600);
    const e = container(pod, 'exporter');
    expect(e.args).toContain('--mysqld.username=exporter');
    expect(e.env).toEqual([{ name: 'MYSQLD_EXPORTER_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-exporter', key: 'password' } } }]);
  });

  test('users Job: databases and users from props, each password from its Secret', () => {
    const job = objs.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('orders-users-'));
    const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.DATABASES).toBe('orders reports');
    expect(env.USERS).toBe('orders_app:orders:rw analyst:orders,reports:ro');
    expect(env.USER_PASSWORD_0).toEqual({ secretKeyRef: { name: 'orders-user-orders-app', key: 'password' } });
    expect(env.USER_PASSWORD_1).toEqual({ secretKeyRef: { name: 'analyst-db', key: 'pw' } });
    expect(env.PRIMARY_HOST).toBe('orders');
  });

  test('backup: mysqldump from the read-only Service first, then the primary; Forbid, retention', () => {
    const cj = find(objs, 'CronJob', 'orders-backup');
    expect(cj.spec.schedule).toBe('0 3 * * *');
    expect(cj.spec.concurrencyPolicy).toBe('Forbid');
    const dump = cj.spec.jobTemplate.spec.template.spec.initContainers[0];
    expect(dump.env.find((e: any) => e.name === 'BACKUP_HOSTS').value).toBe('orders-read orders');
    expect(dump.command[2]).toContain('mysqldump');
    expect(dump.command[2]).toContain('--single-transaction');
  });

  test('a new server starts read-only: the image runs first-boot.sql once, on a new data directory', () => {
    const pod = find(objs, 'StatefulSet', 'orders').spec.template.spec;
    expect(container(pod, 'mysql').volumeMounts).toContainEqual({ name: 'initdb', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'initdb', configMap: { name: 'orders-scripts', items: [{ key: 'first-boot.sql', path: 'first-boot.sql' }] } });
    expect(find(objs, 'ConfigMap', 'orders-scripts').data['first-boot.sql']).toBe('SET PERSIST_ONLY super_read_only = ON;\n');
  });

  test('PDB allows one disruption; NetworkPolicy admits members, clients on 3306 and the scraper on 9104', () => {
    expect(find(objs, 'PodDisruptionBudget', 'orders').spec.maxUnavailable).toBe(1);
    const np = find(objs, 'NetworkPolicy', 'orders');
    expect(np.spec.ingress[0].from[0].podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'mysql', 'app.kubernetes.io/instance': 'orders' });
    expect(np.spec.ingress[1].ports).toEqual([{ protocol: 'TCP', port: 9104 }]);
  });

  test('every generated script passes shellcheck', () => {
    const scripts = scriptsOf(objs);
    expect(scripts.map((s) => s.name)).toEqual(expect.arrayContaining([
      'orders-scripts/entrypoint.sh', 'orders-scripts/agent.sh', 'orders-scripts/probe.sh', 'orders-scripts/promote.sh', 'orders-scripts/users.sh',
    ]));
    for (const s of scripts) shellcheckScript(s.script, s.name, s.shell);
  });

  test('alerts pass promtool, carry severity/summary/description/runbook, and use real exporter metrics', () => {
    const rule = find(objs, 'PrometheusRule', 'orders');
    checkRulesWithPromtool(rule.spec);
    const rules = rule.spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual(expect.arrayContaining([
      'MySQLDown', 'MySQLReplicationIOThreadStopped', 'MySQLReplicationSQLThreadStopped', 'MySQLReplicationLag', 'MySQLTooManyConnections',
      'MySQLSlowQueries', 'MySQLNoPrimary', 'MySQLMultiplePrimaries', 'MySQLReplicasMissing',
    ]));
    for (const r of rules) {
      expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
      expect(r.annotations.summary).toBeTruthy();
      expect(r.annotations.description).toBeTruthy();
    }
    expect(rules.find((r: any) => r.alert === 'MySQLReplicationLag').expr).toContain('> 30');
    expect(rules.find((r: any) => r.alert === 'MySQLTooManyConnections').expr).toContain('> 0.8');
    expectKnownMetrics(rules.map((r: any) => r.expr), new Set([...loadMetricList('mysqld_exporter'), ...loadMetricList('kube_state_metrics')]), ['up']);
  });

  test('dashboard queries parse and use real exporter metrics', () => {
    const dash = JSON.parse(find(objs, 'ConfigMap', 'orders-dashboard').data['mysql-orders.json']);
    const exprs: string[] = dash.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr));
    expect(dash.panels.map((p: any) => p.title)).toEqual(expect.arrayContaining(['Queries per second (QPS)', 'Transactions per second (TPS)', 'Replication delay', 'Buffer pool pages']));
    checkQueriesWithPromtool(exprs);
    expectKnownMetrics(exprs, loadMetricList('mysqld_exporter'));
  });

  test('manifests are stable (reviewed snapshot)', () => {
    expect(objs).toMatchSnapshot();
  });
});

describe('MysqlCluster, group replication', () => {
  const { mysql, objs } = synth({ topology: MysqlTopology.GROUP_REPLICATION, instances: 5, backup, backupMethod: MysqlBackupMethod.PHYSICAL });

  test('valid manifests under the production policy; every script passes shellcheck', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    for (const s of scriptsOf(objs)) shellcheckScript(s.script, s.name, s.shell);
  });

  test('my.cnf: single primary, MySQL communication stack, seeds on the server port, a stable group name', () => {
    const cnf = myCnf(objs).split('\n');
    expect(mysql.groupName).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(synth({ topology: MysqlTopology.GROUP_REPLICATION }).mysql.groupName).toBe(mysql.groupName);
    expect(synth({ topology: MysqlTopology.GROUP_REPLICATION }, 'other').mysql.groupName).not.toBe(mysql.groupName);
    for (const line of [
      `loose_group_replication_group_name=${mysql.groupName}`, 'loose_group_replication_single_primary_mode=ON',
      'loose_group_replication_start_on_boot=OFF', 'loose_group_replication_communication_stack=MYSQL', 'loose_group_replication_ssl_mode=REQUIRED',
      'plugin-load-add=mysql_clone.so;group_replication.so', 'binlog_format=ROW',
      `loose_group_replication_group_seeds=${[0, 1, 2, 3, 4].map((i) => `orders-${i}.orders-headless:3306`).join(',')}`,
    ]) expect(cnf).toContain(line);
    expect(cnf.join('\n')).not.toMatch(/semi_sync/);
  });

  test('exporter collects group members; group alerts and dashboard row', () => {
    const pod = find(objs, 'StatefulSet', 'orders').spec.template.spec;
    expect(container(pod, 'exporter').args).toContain('--collect.perf_schema.replication_group_members');
    const rules = find(objs, 'PrometheusRule', 'orders').spec.groups[0].rules;
    checkRulesWithPromtool(find(objs, 'PrometheusRule', 'orders').spec);
    const names = rules.map((r: any) => r.alert);
    expect(names).toEqual(expect.arrayContaining(['MySQLGroupMemberNotOnline', 'MySQLGroupSmallerThanConfigured', 'MySQLGroupQuorumAtRisk', 'MySQLNoPrimary']));
    expect(names).not.toContain('MySQLReplicationLag');
    expect(rules.find((r: any) => r.alert === 'MySQLGroupQuorumAtRisk').expr).toContain('< 3');
    expectKnownMetrics(rules.map((r: any) => r.expr), new Set([...loadMetricList('mysqld_exporter'), ...loadMetricList('kube_state_metrics')]), ['up']);
    const dash = JSON.parse(find(objs, 'ConfigMap', 'orders-dashboard').data['mysql-orders.json']);
    const exprs: string[] = dash.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr));
    checkQueriesWithPromtool(exprs);
    expectKnownMetrics(exprs, loadMetricList('mysqld_exporter'));
    expect(dash.panels.map((p: any) => p.title)).toContain('Members by state');
  });

  test('physical backup: a temporary server in the Job clones a member with the replication user, using the cluster my.cnf', () => {
    const job = find(objs, 'CronJob', 'orders-backup').spec.jobTemplate.spec.template.spec;
    const clone = job.initContainers[0];
    expect(clone.name).toBe('clone');
    expect(clone.command[2]).toContain('CLONE INSTANCE FROM');
    expect(clone.command[2]).not.toContain('mysqldump');
    const env = Object.fromEntries(clone.env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));
    expect(env.BACKUP_HOSTS).toBe('orders-read orders');
    expect(env.REPL_PASSWORD).toEqual({ name: 'orders-replication', key: 'password' });
    expect(env.BASE_CONF).toBe('/etc/mysql-config/my.cnf');
    expect(clone.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/mysql-config', readOnly: true });
    expect(job.volumes).toContainEqual({ name: 'config', configMap: { name: 'orders-config' } });
    expect(clone.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('manifests are stable (reviewed snapshot)', () => {
    expect(objs).toMatchSnapshot();
  });

  test('an even group is allowed with a warning', () => {
    const { mysql: even } = synth({ topology: MysqlTopology.GROUP_REPLICATION, instances: 4 });
    const warnings = even.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => m.data);
    expect(warnings).toEqual([expect.stringContaining('instances = 4: an even group')]);
    expect(mysql.node.metadata.filter((m) => m.type === WARNING_METADATA)).toEqual([]);
  });
});

describe('MysqlCluster, standalone with restore', () => {
  const restore = { source: backup.target, backupId: '20261124T030000Z' };
  const { mysql, objs } = synth({ topology: MysqlTopology.STANDALONE, restore, monitoring: { enabled: false } });

  test('one server, no read Service, no PDB, no exporter; valid under the policy', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    expect(mysql.readService).toBeUndefined();
    expect(mysql.readHost).toBe(mysql.host);
    expect(mysql.disruptionBudget).toBeUndefined();
    const pod = find(objs, 'StatefulSet', 'orders').spec.template.spec;
    expect(pod.containers.map((c: any) => c.name)).toEqual(['mysql', 'agent']);
    expect(myCnf(objs)).not.toMatch(/semisync/);
  });

  test('restore: the backup is downloaded into a fresh volume and loaded by the agent', () => {
    const pod = find(objs, 'StatefulSet', 'orders').spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['restore-download']);
    expect(pod.initContainers[0].env.find((e: any) => e.name === 'BACKUP_ID').value).toBe('20261124T030000Z');
    expect(container(pod, 'agent').volumeMounts).toContainEqual({ name: 'restore', mountPath: '/restore', readOnly: true });
    // The entrypoint turns a physical backup into the data directory.
    expect(container(pod, 'mysql').volumeMounts).toContainEqual({ name: 'restore', mountPath: '/restore', readOnly: true });
    // Only pod 0, the first primary, downloads: the others copy the data from it.
    const env = Object.fromEntries(pod.initContainers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.RESTORE_ORDINALS).toBe('0');
    expect(env.POD_NAME).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
  });
});

describe('MysqlCluster validation: each rule names the prop, the value and what is allowed', () => {
  test.each<[string, MysqlClusterProps, RegExp]>([
    ['standalone has one server', { topology: MysqlTopology.STANDALONE, instances: 2 }, /invalid instances = 2: must be an integer from 1 to 1/],
    ['replication needs a replica', { topology: MysqlTopology.REPLICATION, instances: 1 }, /invalid instances = 1: must be an integer from 2 to 10/],
    ['group replication needs 3 members', { topology: MysqlTopology.GROUP_REPLICATION, instances: 2 }, /invalid instances = 2: must be an integer from 3 to 9/],
    ['group replication has at most 9', { topology: MysqlTopology.GROUP_REPLICATION, instances: 10 }, /invalid instances = 10: must be an integer from 3 to 9/],
    ['semi-sync on standalone', { topology: MysqlTopology.STANDALONE, semiSync: true }, /invalid semiSync = true: is only allowed in the replication topology/],
    ['semi-sync with group replication', { topology: MysqlTopology.GROUP_REPLICATION, semiSync: true }, /invalid semiSync = true/],
    ['semi-sync timeout without semi-sync', { semiSync: false, semiSyncTimeout: Duration.seconds(5) }, /invalid semiSyncTimeout = "5 seconds": needs semi-synchronous/],
    ['group replication needs row binlogs', { topology: MysqlTopology.GROUP_REPLICATION, binlogFormat: BinlogFormat.MIXED }, /invalid binlogFormat = "MIXED": must be ROW/],
    ['MySQL 5.7 is not supported', { version: MysqlVersion.ofTag('5.7.44') }, /invalid version = "5.7.44": must be a MySQL 8.4.x or 8.0.x \(from 8.0.27\)/],
    ['8.0 before 8.0.27', { version: MysqlVersion.ofTag('8.0.26') }, /invalid version = "8.0.26"/],
    ['request above limit', { resources: { cpu: { request: Cpu.units(4), limit: Cpu.units(2) } } }, /invalid resources.cpu/],
    ['memory too small for a buffer pool', { resources: { memory: { request: Size.mebibytes(128), limit: Size.mebibytes(128) } } }, /invalid resources.memoryLimit = "128Mi": must leave at least 128Mi/],
    ['buffer pool share', { bufferPoolPercent: 95 }, /invalid bufferPoolPercent = 95: must be an integer from 10 to 80/],
    ['max_connections', { maxConnections: 5 }, /invalid maxConnections = 5/],
    ['long_query_time', { longQueryTime: Duration.hours(2) }, /invalid longQueryTime = 7200000/],
    ['binlog expiry', { binlogExpiry: Duration.minutes(10) }, /invalid binlogExpiry = 600: must be an integer from 3600/],
    ['server id offset', { serverIdOffset: 0 }, /invalid serverIdOffset = 0/],
    ['reserved my.cnf option', { config: { server_id: '7' } }, /invalid config\["server_id"\] = "server_id": is managed by the construct/],
    ['reserved group option', { config: { loose_group_replication_group_name: 'x' } }, /is managed by the construct/],
    ['bad my.cnf option name', { config: { 'Max Connections': '7' } }, /invalid config\["Max Connections"\]/],
    ['multi-line option value', { config: { sql_mode: 'A\nB' } }, /must be a single line/],
    ['database name', { databases: ['orders-db'] }, /invalid databases\[0\] = "orders-db": must be 1-64 letters/],
    ['system schema', { databases: ['mysql'] }, /invalid databases\[0\] = "mysql"/],
    ['duplicate database', { databases: ['a', 'a'] }, /invalid databases\[1\] = "a": is listed twice/],
    ['system user', { users: [{ name: 'repl' }] }, /invalid users\[0\].name = "repl": must be 1-32 letters/],
    ['duplicate user', { users: [{ name: 'app' }, { name: 'app' }] }, /invalid users\[1\].name = "app": is declared twice/],
    ['undeclared database', { databases: ['orders'], users: [{ name: 'app', databases: ['billing'] }] }, /invalid users\[0\].databases = "billing": must be one of databases \(orders\)/],
    ['lag threshold', { replicationLagThreshold: Duration.seconds(0) }, /invalid replicationLagThreshold = 0/],
    ['slow query alert rate', { slowQueriesAlertPerSecond: -1 }, /invalid slowQueriesAlertPerSecond = -1/],
    ['backup bucket', { backup: { target: { bucket: 'A', credentialsSecret: 's' } } }, /invalid backup.target.bucket = "A"/],
    ['restore id', { restore: { source: backup.target, backupId: 'yesterday' } }, /invalid restore.backupId = "yesterday"/],
    ['backup method without backup', { backupMethod: MysqlBackupMethod.PHYSICAL }, /invalid backupMethod = "physical": needs backup/],
    ['instance name', { name: 'Orders' }, /invalid name = "Orders"/],
  ])('%s', (_, props, message) => {
    expect(errorOf(props)).toMatch(message);
  });
});

test('every built-in MySQL alert, in every topology, has its runbook section', () => {
  const runbooks = readFileSync(join(__dirname, '..', '..', 'docs', 'runbooks.md'), 'utf8');
  for (const topology of [MysqlTopology.STANDALONE, MysqlTopology.REPLICATION, MysqlTopology.GROUP_REPLICATION]) {
    const rules = find(synth({ topology }).objs, 'PrometheusRule', 'orders').spec.groups[0].rules;
    for (const r of rules) {
      expect(runbooks).toContain(`\n### ${r.alert}\n`);
      expect(r.annotations.runbook_url).toMatch(new RegExp(`/docs/runbooks\\.md#${r.alert.toLowerCase()}$`));
    }
  }
});
