import { readFileSync } from 'fs';
import { join } from 'path';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  CertificateIssuerKind, Credentials, ElasticsearchCluster, ElasticsearchClusterProps, ElasticsearchServiceType, ElasticsearchTls,
  ElasticsearchVersion, ElasticsearchWorkload, NetworkPeer, TopologyKey,
} from '../../src';
import { WARNING_METADATA } from '../../src/core/validation';
import {
  checkQueriesWithPromtool, checkRulesWithPromtool, expectKnownMetrics, expectProductionPolicy, expectValidManifests, loadMetricList,
  placeholderViolations, scriptsOf, shellcheckScript,
} from '../harness';

const s3 = { endpoint: 'http://minio.minio.svc:9000', bucket: 'es-snapshots', credentialsSecret: 'minio-es' };

function synth(props: ElasticsearchClusterProps = {}, namespace = 'obs') {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace });
  const es = new ElasticsearchCluster(chart, 'logs', props);
  return { chart, es, objs: Testing.synth(chart) as any[] };
}
const find = (objs: any[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} in ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
};
const findPrefix = (objs: any[], kind: string, prefix: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name.startsWith(prefix));
  if (!o) throw new Error(`no ${kind}/${prefix}*`);
  return o;
};
const container = (podSpec: any, name: string) => [...(podSpec.initContainers ?? []), ...podSpec.containers].find((c: any) => c.name === name);
const envOf = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
const yml = (objs: any[], sts: string) => find(objs, 'ConfigMap', 'logs-config').data[`${sts}.yml`] as string;
const errorOf = (props: ElasticsearchClusterProps) => {
  try {
    synth(props);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};
const warningsOf = (es: ElasticsearchCluster) => es.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => m.data as string);
const exprsOfDashboard = (objs: any[]) => {
  const dash = JSON.parse(find(objs, 'ConfigMap', 'logs-dashboard').data['elasticsearch-logs.json']);
  return { dash, exprs: dash.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr)) as string[] };
};

describe('ElasticsearchCluster defaults: 3 dedicated masters, 3 hot nodes', () => {
  const { es, objs } = synth();

  test('synthesizes the complete set of objects, with stable names', () => {
    const names = objs.map((o) => `${o.kind}/${o.metadata.name}`.replace(/-(setup|gen)-[0-9a-f]{8}$/, '-$1-<hash>'));
    expect(names.sort()).toEqual([
      'Certificate/logs-ca', 'Certificate/logs-http', 'Certificate/logs-transport',
      'ConfigMap/logs-config', 'ConfigMap/logs-dashboard', 'ConfigMap/logs-scripts', 'ConfigMap/logs-setup-<hash>',
      'Deployment/logs-exporter',
      'Issuer/logs-ca', 'Issuer/logs-selfsigned',
      'Job/logs-elastic-gen-<hash>', 'Job/logs-exporter-gen-<hash>', 'Job/logs-setup-<hash>',
      'NetworkPolicy/logs', 'PodDisruptionBudget/logs-hot', 'PodDisruptionBudget/logs-master', 'PrometheusRule/logs',
      'Role/logs-elastic-gen', 'Role/logs-exporter-gen', 'RoleBinding/logs-elastic-gen', 'RoleBinding/logs-exporter-gen',
      'Service/logs', 'Service/logs-masters', 'Service/logs-metrics', 'Service/logs-nodes',
      'ServiceAccount/logs-elastic-gen', 'ServiceAccount/logs-exporter-gen',
      'ServiceMonitor/logs', 'StatefulSet/logs-hot', 'StatefulSet/logs-master',
    ].sort());
    for (const o of objs) expect(o.metadata.namespace).toBe('obs');
  });

  test('every object passes the Kubernetes and CRD schemas (cert-manager included) and the production policy', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
  });

  test('connection facts for wiring an app', () => {
    expect(es.url).toBe('https://logs.obs.svc:9200');
    expect(es.elasticPasswordSecret).toEqual({ secretName: 'logs-elastic', key: 'password' });
    expect(es.caSecretName).toBe('logs-http-tls');
    expect(es.caSecretKey).toBe('ca.crt');
    expect(es.dedicatedMasters).toBe(true);
    expect(es.initialMasterNodes).toEqual(['logs-master-0', 'logs-master-1', 'logs-master-2']);
    expect(es.statefulSets).toHaveLength(2);
    expect(es.masterStatefulSets).toHaveLength(1);
    expect(es.kibanaDeployment).toBeUndefined();
  });

  test('node roles, discovery and TLS settings per tier; no plaintext password anywhere', () => {
    const master = yml(objs, 'logs-master').split('\n');
    expect(master).toEqual(expect.arrayContaining([
      'cluster.name: "logs"', 'node.name: "${POD_NAME}"', 'node.roles: ["master"]', 'discovery.seed_hosts: ["logs-masters:9300"]',
      'xpack.security.enabled: true', 'xpack.security.transport.ssl.enabled: true', 'xpack.security.http.ssl.enabled: true',
      'xpack.security.transport.ssl.verification_mode: "certificate"', 'network.publish_host: "${POD_IP}"',
    ]));
    expect(yml(objs, 'logs-hot')).toContain('node.roles: ["data_hot","data_content","ingest"]');
    // Bootstrapping is decided at start time by the entrypoint, never baked into the config.
    expect(yml(objs, 'logs-master')).not.toContain('initial_master_nodes');
    expect(JSON.stringify(objs)).not.toMatch(/"password":"[A-Za-z0-9]{16,}"/);
  });

  test('heap is half the memory limit; masters get the initial master list, data nodes do not', () => {
    const master = find(objs, 'StatefulSet', 'logs-master').spec.template.spec;
    const hot = find(objs, 'StatefulSet', 'logs-hot').spec.template.spec;
    expect(envOf(container(master, 'elasticsearch')).ES_JAVA_OPTS).toMatch(/^-Xms1024m -Xmx1024m -Xlog:disable /);
    expect(envOf(container(hot, 'elasticsearch')).ES_JAVA_OPTS).toMatch(/^-Xms2048m -Xmx2048m -Xlog:disable /);
    expect(envOf(container(master, 'elasticsearch')).INITIAL_MASTER_NODES).toBe('logs-master-0,logs-master-1,logs-master-2');
    expect(envOf(container(hot, 'elasticsearch')).INITIAL_MASTER_NODES).toBe('');
    expect(envOf(container(hot, 'elasticsearch')).ELASTIC_PASSWORD).toEqual({ secretKeyRef: { name: 'logs-elastic', key: 'password' } });
  });

  test('pods: uid 1000, read-only root, no sysctl init container, probes check the node over HTTPS with credentials', () => {
    const sts = find(objs, 'StatefulSet', 'logs-hot');
    const pod = sts.spec.template.spec;
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.serviceName).toBe('logs-nodes');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['prepare-config']);
    const c = container(pod, 'elasticsearch');
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(c.readinessProbe.exec.command).toEqual(['bash', '/mnt/scripts/readiness.sh']);
    expect(c.command).toEqual(['/bin/tini', '--', 'bash', '/mnt/scripts/entrypoint.sh']);
    const readiness = find(objs, 'ConfigMap', 'logs-scripts').data['readiness.sh'];
    // The local node, under the client Service name that its certificate carries.
    expect(readiness).toContain('--resolve "$ES_HOST:$ES_PORT:127.0.0.1"');
    expect(envOf(c).ES_HOST).toBe('logs');
    // bin/elasticsearch-env refuses ELASTIC_PASSWORD_FILE next to ELASTIC_PASSWORD: the probe's file has its own name.
    expect(Object.keys(envOf(c))).not.toContain('ELASTIC_PASSWORD_FILE');
    expect(envOf(c).PROBE_PASSWORD_FILE).toBe('/mnt/elastic-password/password');
    // A single StatefulSet per tier rolls one pod at a time.
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(readiness).toContain('auth_config "$cfg" elastic "$password"');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('100Gi');
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
  });

  test('every container that loads elasticsearch.yml (the keystore CLI in prepare-config too) has the env its placeholders need', () => {
    // Elasticsearch's CLIs resolve ${NAME} from their environment and fail on an unset one (InternalSettingsPreparer).
    expect(placeholderViolations(objs)).toEqual([]);
    for (const sts of ['logs-master', 'logs-hot']) {
      const pod = find(objs, 'StatefulSet', sts).spec.template.spec;
      expect(yml(objs, sts)).toContain('node.name: "${POD_NAME}"');
      for (const name of ['prepare-config', 'elasticsearch']) {
        expect(envOf(container(pod, name))).toMatchObject({
          POD_NAME: { fieldRef: { fieldPath: 'metadata.name' } }, POD_IP: { fieldRef: { fieldPath: 'status.podIP' } },
        });
      }
    }
  });

  test('services: discovery finds masters before they are ready; clients reach the hot nodes', () => {
    const masters = find(objs, 'Service', 'logs-masters');
    expect(masters.spec.publishNotReadyAddresses).toBe(true);
    expect(masters.spec.selector['elasticsearch.cdk8s-middleware.io/master-eligible']).toBe('true');
    expect(find(objs, 'Service', 'logs').spec.selector['elasticsearch.cdk8s-middleware.io/http-client']).toBe('true');
    const hotLabels = find(objs, 'StatefulSet', 'logs-hot').spec.template.metadata.labels;
    expect(hotLabels['elasticsearch.cdk8s-middleware.io/http-client']).toBe('true');
    expect(hotLabels['elasticsearch.cdk8s-middleware.io/master-eligible']).toBe('false');
  });

  test('cert-manager: self-signed root, CA issuer, HTTP certificate valid for the Service and every node', () => {
    const http = find(objs, 'Certificate', 'logs-http');
    expect(http.spec.issuerRef).toEqual({ name: 'logs-ca', kind: 'Issuer', group: 'cert-manager.io' });
    expect(http.spec.dnsNames).toEqual(expect.arrayContaining(['logs', 'logs.obs.svc', '*.logs-nodes.obs.svc', 'localhost']));
    expect(find(objs, 'Certificate', 'logs-ca').spec.isCA).toBe(true);
    expect(find(objs, 'Issuer', 'logs-ca').spec.ca.secretName).toBe('logs-ca');
  });

  test('every generated script passes shellcheck', () => {
    const scripts = scriptsOf(objs);
    expect(scripts.map((s) => s.name)).toEqual(expect.arrayContaining([
      'logs-scripts/prepare-config.sh', 'logs-scripts/entrypoint.sh', 'logs-scripts/readiness.sh', 'logs-scripts/setup.sh',
    ]));
    for (const s of scripts) shellcheckScript(s.script, s.name, s.shell);
  });

  test('alerts pass promtool, carry severity/summary/description, and use real exporter metrics', () => {
    const rule = find(objs, 'PrometheusRule', 'logs');
    checkRulesWithPromtool(rule.spec);
    const rules = rule.spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual(expect.arrayContaining([
      'ElasticsearchClusterRed', 'ElasticsearchClusterYellow', 'ElasticsearchDiskAboveLowWatermark', 'ElasticsearchDiskAboveHighWatermark',
      'ElasticsearchHeapUsageHigh', 'ElasticsearchUnassignedShards', 'ElasticsearchThreadPoolRejections', 'ElasticsearchNodesMissing',
      'ElasticsearchMasterNodesMissing', 'ElasticsearchHotNodesMissing',
    ]));
    expect(rules.find((r: any) => r.alert === 'ElasticsearchNodesMissing').expr).toContain('< 6');
    for (const r of rules) {
      expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
      expect(r.annotations.summary).toBeTruthy();
      expect(r.annotations.description).toBeTruthy();
      expect(r.expr).toContain('job="logs-metrics",namespace="obs"');
    }
    expectKnownMetrics(rules.map((r: any) => r.expr), loadMetricList('elasticsearch_exporter'), ['up']);
  });

  test('dashboard: a cluster row and a row per tier; queries parse and use real exporter metrics', () => {
    const { dash, exprs } = exprsOfDashboard(objs);
    const rows = dash.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title);
    expect(rows).toEqual(['Cluster', 'Master tier (logs-master-*)', 'Hot tier (logs-hot-*)']);
    checkQueriesWithPromtool(exprs);
    expectKnownMetrics(exprs, loadMetricList('elasticsearch_exporter'));
  });

  test('the exporter reads its own least-privileged user from a Secret and trusts the CA', () => {
    const pod = find(objs, 'Deployment', 'logs-exporter').spec.template.spec;
    const c = container(pod, 'exporter');
    expect(c.image).toBe('quay.io/prometheuscommunity/elasticsearch-exporter:v1.11.0');
    expect(c.args).toEqual(expect.arrayContaining(['--es.uri=https://logs:9200', '--es.all', '--es.ca=/mnt/certs/ca.crt']));
    expect(envOf(c).ES_PASSWORD).toEqual({ secretKeyRef: { name: 'logs-exporter', key: 'password' } });
    const setup = findPrefix(objs, 'ConfigMap', 'logs-setup-');
    expect(JSON.parse(setup.data['exporter-role.json'])).toEqual({ cluster: ['monitor'], indices: [{ names: ['*'], privileges: ['monitor'] }] });
  });

  test('manifests are stable (reviewed snapshot)', () => {
    expect(objs).toMatchSnapshot();
  });
});

describe('every tier combination synthesizes valid manifests with passing alerts', () => {
  const combos: [string, ElasticsearchClusterProps][] = [
    ['single node, no dedicated masters', { masters: { enabled: false }, hot: { replicas: 1 } }],
    ['3 master-eligible hot nodes', { masters: { enabled: false } }],
    ['masters + hot + warm', { warm: {} }],
    ['masters + hot + cold', { cold: {} }],
    ['masters + hot + warm + cold + coordinating', { warm: {}, cold: {}, coordinating: {} }],
    ['5 masters + kibana', { masters: { replicas: 5 }, kibana: {} }],
    ['zone-aware hot/warm/cold', { warm: { replicas: 3 }, cold: { replicas: 3 }, zoneAwareness: { zones: ['zone-a', 'zone-b', 'zone-c'] } }],
    ['no monitoring, no network policy', { monitoring: { enabled: false }, networkPolicy: { enabled: false } }],
    ['7.17', { version: ElasticsearchVersion.V7_17, cold: {} }],
  ];
  test.each(combos)('%s', (_, props) => {
    const { objs } = synth(props);
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    for (const rule of objs.filter((o) => o.kind === 'PrometheusRule')) {
      checkRulesWithPromtool(rule.spec);
      expectKnownMetrics(rule.spec.groups[0].rules.map((r: any) => r.expr), loadMetricList('elasticsearch_exporter'), ['up']);
    }
    for (const s of scriptsOf(objs)) expect(s.script.length).toBeGreaterThan(0);
  });

  test('without dedicated masters the hot nodes are master-eligible and bootstrap the cluster', () => {
    const { es, objs } = synth({ masters: { enabled: false } });
    expect(yml(objs, 'logs-hot')).toContain('node.roles: ["master","data_hot","data_content","ingest"]');
    expect(es.initialMasterNodes).toEqual(['logs-hot-0', 'logs-hot-1', 'logs-hot-2']);
    expect(find(objs, 'StatefulSet', 'logs-hot').spec.template.metadata.labels['elasticsearch.cdk8s-middleware.io/master-eligible']).toBe('true');
    expect(objs.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'logs-master')).toBeUndefined();
  });

  test('warm, cold and coordinating tiers: own StatefulSets, roles, storage, PDBs; clients go to coordinating nodes', () => {
    const { es, objs } = synth({ warm: { storage: { size: Size.gibibytes(300) } }, cold: {}, coordinating: {} });
    expect(yml(objs, 'logs-warm')).toContain('node.roles: ["data_warm"]');
    expect(yml(objs, 'logs-cold')).toContain('node.roles: ["data_cold"]');
    expect(yml(objs, 'logs-coord')).toContain('node.roles: []');
    expect(find(objs, 'StatefulSet', 'logs-warm').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('300Gi');
    expect(find(objs, 'StatefulSet', 'logs-cold').spec.replicas).toBe(3);
    expect(objs.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.metadata.name).sort())
      .toEqual(['logs-cold', 'logs-coord', 'logs-hot', 'logs-master', 'logs-warm']);
    expect(find(objs, 'StatefulSet', 'logs-coord').spec.template.metadata.labels['elasticsearch.cdk8s-middleware.io/http-client']).toBe('true');
    expect(find(objs, 'StatefulSet', 'logs-hot').spec.template.metadata.labels['elasticsearch.cdk8s-middleware.io/http-client']).toBe('false');
    expect(es.coldStatefulSets).toHaveLength(1);
    const { dash } = exprsOfDashboard(objs);
    expect(dash.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title)).toEqual([
      'Cluster', 'Master tier (logs-master-*)', 'Hot tier (logs-hot-*)', 'Warm tier (logs-warm-*)', 'Cold tier (logs-cold-*)',
      'Coordinating tier (logs-coord-*)',
    ]);
  });

  test('zone awareness: one StatefulSet per zone and tier, pinned by node affinity, node.attr.zone and awareness settings', () => {
    const { es, objs } = synth({ cold: { replicas: 4 }, zoneAwareness: { zones: ['zone-a', 'zone-b'], force: true, topologyKey: TopologyKey.custom('zone') } });
    expect(objs.filter((o) => o.kind === 'StatefulSet').map((o) => `${o.metadata.name}:${o.spec.replicas}`).sort()).toEqual([
      'logs-cold-zone-a:2', 'logs-cold-zone-b:2', 'logs-hot-zone-a:2', 'logs-hot-zone-b:1', 'logs-master-zone-a:2', 'logs-master-zone-b:1',
    ]);
    const c = yml(objs, 'logs-cold-zone-b').split('\n');
    expect(c).toEqual(expect.arrayContaining([
      'node.attr.zone: "zone-b"', 'cluster.routing.allocation.awareness.attributes: "zone"',
      'cluster.routing.allocation.awareness.force.zone.values: "zone-a,zone-b"',
    ]));
    const pod = find(objs, 'StatefulSet', 'logs-cold-zone-b').spec.template.spec;
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: 'zone', operator: 'In', values: ['zone-b'] }]);
    expect(pod.topologySpreadConstraints).toBeUndefined();
    // StatefulSets of different zones would roll at the same time: zoned sets wait for a zone-by-zone restart.
    for (const sts of objs.filter((o) => o.kind === 'StatefulSet')) expect(sts.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(es.initialMasterNodes).toEqual(['logs-master-zone-a-0', 'logs-master-zone-a-1', 'logs-master-zone-b-0']);
    // Two zones cannot keep a master majority when one is lost: allowed, with a warning.
    expect(warningsOf(es)).toEqual([expect.stringContaining('losing that zone loses the master quorum')]);
    // One PDB per tier spans its zones.
    expect(find(objs, 'PodDisruptionBudget', 'logs-cold').spec.selector.matchLabels['elasticsearch.cdk8s-middleware.io/tier']).toBe('cold');
  });

  test('three zones: no quorum warning', () => {
    const { es } = synth({ zoneAwareness: { zones: ['a', 'b', 'c'] } });
    expect(warningsOf(es)).toEqual([]);
  });
});

describe('data lifecycle, snapshots, restore and Kibana', () => {
  const { es, objs } = synth({
    warm: {},
    cold: {},
    kibana: {},
    ilmPolicies: [{
      name: 'logs-default',
      hot: { rollover: { maxPrimaryShardSize: Size.gibibytes(30), maxAge: Duration.days(1), maxDocs: 100_000_000 } },
      warm: { minAge: Duration.days(3), replicas: 1, forceMergeSegments: 1, shrinkToShards: 1 },
      cold: { minAge: Duration.days(14), replicas: 0 },
      delete: { minAge: Duration.days(30) },
    }],
    indexTemplates: [
      { name: 'logs-app', indexPatterns: ['logs-app-*'], ilmPolicy: 'logs-default', shards: 2 },
      { name: 'audit', indexPatterns: ['audit-*'], ilmPolicy: 'logs-default', dataStream: false, rolloverAlias: 'audit' },
    ],
    snapshots: { repository: s3, schedule: '0 0 2 * * ?', expireAfter: Duration.days(14), minCount: 3, maxCount: 30 },
    restore: { repository: { ...s3, bucket: 'old-cluster', prefix: 'logs' }, snapshot: 'latest' },
  });
  const setup = findPrefix(objs, 'ConfigMap', 'logs-setup-').data;

  test('valid manifests under the production policy; scripts pass shellcheck', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    for (const s of scriptsOf(objs)) shellcheckScript(s.script, s.name, s.shell);
  });

  test('ILM policy body: rollover conditions, phases with min_age in order, actions', () => {
    expect(JSON.parse(setup['ilm.logs-default.json'])).toEqual({
      policy: {
        phases: {
          hot: { min_age: '0ms', actions: { rollover: { max_primary_shard_size: '30gb', max_age: '1d', max_docs: 100000000 }, set_priority: { priority: 100 } } },
          warm: {
            min_age: '3d',
            actions: {
              set_priority: { priority: 50 },
              allocate: { number_of_replicas: 1 },
              shrink: { number_of_shards: 1 },
              forcemerge: { max_num_segments: 1 },
            },
          },
          cold: { min_age: '14d', actions: { set_priority: { priority: 0 }, allocate: { number_of_replicas: 0 } } },
          delete: { min_age: '30d', actions: { delete: {} } },
        },
      },
    });
  });

  test('index templates bind patterns to the policy; a classic template gets its rollover alias bootstrapped', () => {
    expect(JSON.parse(setup['template.logs-app.json'])).toEqual({
      index_patterns: ['logs-app-*'],
      priority: 200,
      data_stream: {},
      template: { settings: { 'index.number_of_shards': 2, 'index.number_of_replicas': 1, 'index.lifecycle.name': 'logs-default' } },
    });
    expect(JSON.parse(setup['template.audit.json']).template.settings['index.lifecycle.rollover_alias']).toBe('audit');
    const job = findPrefix(objs, 'Job', 'logs-setup-');
    expect(envOf(job.spec.template.spec.containers[0]).ROLLOVER_ALIASES).toBe('audit');
  });

  test('snapshots: S3 repository, SLM schedule and retention; S3 client settings and keystore keys from the Secret', () => {
    expect(JSON.parse(setup['repository.json'])).toEqual({ type: 's3', settings: { bucket: 'es-snapshots', base_path: 'obs/logs', client: 'default' } });
    expect(JSON.parse(setup['slm.json'])).toEqual({
      schedule: '0 0 2 * * ?',
      name: '<logs-snap-{now/d}>',
      repository: 'backups',
      config: { indices: ['*'], include_global_state: true },
      retention: { expire_after: '14d', min_count: 3, max_count: 30 },
    });
    const hotYml = yml(objs, 'logs-hot').split('\n');
    expect(hotYml).toEqual(expect.arrayContaining([
      's3.client.default.endpoint: "minio.minio.svc:9000"', 's3.client.default.protocol: "http"', 's3.client.default.path_style_access: "true"',
    ]));
    const init = container(find(objs, 'StatefulSet', 'logs-hot').spec.template.spec, 'prepare-config');
    expect(envOf(init).S3_DEFAULT_ACCESS_KEY).toEqual({ secretKeyRef: { name: 'minio-es', key: 'AWS_ACCESS_KEY_ID' } });
    expect(envOf(init).S3_RESTORE_SECRET_KEY).toEqual({ secretKeyRef: { name: 'minio-es', key: 'AWS_SECRET_ACCESS_KEY' } });
  });

  test('backups are monitored: snapshots collector, read-only snapshot privilege, staleness and partial-snapshot alerts', () => {
    const exporter = container(find(objs, 'Deployment', 'logs-exporter').spec.template.spec, 'exporter');
    expect(exporter.args).toContain('--collector.snapshots');
    expect(JSON.parse(setup['exporter-role.json']).cluster).toEqual(['monitor', 'monitor_snapshot']);
    const rule = find(objs, 'PrometheusRule', 'logs');
    checkRulesWithPromtool(rule.spec);
    const rules = rule.spec.groups[0].rules;
    const tooOld = rules.find((r: any) => r.alert === 'ElasticsearchSnapshotTooOld');
    expect(tooOld.expr).toContain('repository="backups"');
    expect(tooOld.expr).toContain('> 129600');
    expect(rules.map((r: any) => r.alert)).toContain('ElasticsearchSnapshotPartial');
    expectKnownMetrics(rules.map((r: any) => r.expr), loadMetricList('elasticsearch_exporter'), ['up']);
    const { dash, exprs } = exprsOfDashboard(objs);
    expect(dash.panels.map((p: any) => p.title)).toContain('Since last successful or partial snapshot');
    checkQueriesWithPromtool(exprs);
    expectKnownMetrics(exprs, loadMetricList('elasticsearch_exporter'));
  });

  test('restore: a read-only source repository with its own client, system indices and feature states left out', () => {
    expect(JSON.parse(setup['restore-repository.json'])).toEqual({
      type: 's3', settings: { bucket: 'old-cluster', base_path: 'logs', client: 'restore', readonly: true },
    });
    expect(JSON.parse(setup['restore.json'])).toEqual({ indices: '*,-.*,-ilm-history-*', include_global_state: false, feature_states: ['none'], include_aliases: true });
    const job = findPrefix(objs, 'Job', 'logs-setup-');
    expect(envOf(job.spec.template.spec.containers[0]).RESTORE_SNAPSHOT).toBe('latest');
  });

  test('Kibana: own kibana_system password set by the setup Job, HTTPS, trusts the cluster CA', () => {
    expect(es.kibanaUrl).toBe('https://logs-kibana.obs.svc:5601');
    const pod = find(objs, 'Deployment', 'logs-kibana').spec.template.spec;
    const k = container(pod, 'kibana');
    expect(k.image).toBe(`docker.elastic.co/kibana/kibana:${ElasticsearchVersion.V8_19.imageTag}`);
    const env = envOf(k);
    expect(env.KIBANA_ES_PASSWORD).toEqual({ secretKeyRef: { name: 'logs-kibana-system', key: 'password' } });
    expect(env.KIBANA_ENCRYPTION_KEY).toEqual({ secretKeyRef: { name: 'logs-kibana-encryption', key: 'password' } });
    expect(find(objs, 'ConfigMap', 'logs-kibana').data['kibana.yml'].split('\n')).toEqual(expect.arrayContaining([
      'elasticsearch.username: "kibana_system"', 'elasticsearch.password: "${KIBANA_ES_PASSWORD}"', 'elasticsearch.hosts: ["https://logs:9200"]',
      'server.ssl.enabled: true',
      'elasticsearch.ssl.certificateAuthorities: ["/usr/share/kibana/config/certs/es/ca.crt"]',
    ]));
    const setupEnv = envOf(findPrefix(objs, 'Job', 'logs-setup-').spec.template.spec.containers[0]);
    expect(setupEnv.KIBANA_SYSTEM_PASSWORD).toEqual({ secretKeyRef: { name: 'logs-kibana-system', key: 'password' } });
    expect(find(objs, 'NetworkPolicy', 'logs').spec.ingress.length).toBeGreaterThan(0);
  });

  test('the setup Job name changes with what it applies', () => {
    const a = findPrefix(synth({ ilmPolicies: [{ name: 'p', delete: { minAge: Duration.days(7) } }] }).objs, 'Job', 'logs-setup-').metadata.name;
    const b = findPrefix(synth({ ilmPolicies: [{ name: 'p', delete: { minAge: Duration.days(8) } }] }).objs, 'Job', 'logs-setup-').metadata.name;
    const c = findPrefix(synth({ ilmPolicies: [{ name: 'p', delete: { minAge: Duration.days(7) } }] }).objs, 'Job', 'logs-setup-').metadata.name;
    expect(a).not.toBe(b);
    expect(a).toBe(c);
  });

  test('manifests are stable (reviewed snapshot)', () => {
    expect(objs).toMatchSnapshot();
  });
});

describe('TLS sources and options', () => {
  test('a user Issuer signs the certificates; no CA objects are created', () => {
    const { objs } = synth({ tls: ElasticsearchTls.fromIssuer('corp-ca', CertificateIssuerKind.CLUSTER_ISSUER) });
    expect(objs.filter((o) => o.kind === 'Issuer')).toEqual([]);
    expect(find(objs, 'Certificate', 'logs-http').spec.issuerRef).toEqual({ name: 'corp-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    expectValidManifests(objs);
  });

  test('user Secrets: no cert-manager objects; pods mount the given Secrets; Kibana without its Secret serves HTTP', () => {
    const { es, objs } = synth({ tls: ElasticsearchTls.fromSecrets('es-http', 'es-transport'), kibana: {} });
    expect(objs.filter((o) => o.kind === 'Certificate' || o.kind === 'Issuer')).toEqual([]);
    const vols = find(objs, 'StatefulSet', 'logs-hot').spec.template.spec.volumes;
    expect(vols.find((v: any) => v.name === 'http-certs').secret.secretName).toBe('es-http');
    expect(vols.find((v: any) => v.name === 'transport-certs').secret.secretName).toBe('es-transport');
    expect(es.caSecretName).toBe('es-http');
    expect(es.kibanaUrl).toBe('http://logs-kibana.obs.svc:5601');
    expectValidManifests(objs);
    expectProductionPolicy(objs);
  });

  test('service types: the client Service and Kibana can be exposed', () => {
    const { objs } = synth({
      serviceType: ElasticsearchServiceType.LOAD_BALANCER,
      kibana: { serviceType: ElasticsearchServiceType.NODE_PORT },
      networkPolicy: { allowedClients: [NetworkPeer.ipBlock('10.0.0.0/8')] },
    });
    expect(find(objs, 'Service', 'logs').spec.type).toBe('LoadBalancer');
    expect(find(objs, 'Service', 'logs-kibana').spec.type).toBe('NodePort');
    expect(find(objs, 'Service', 'logs-nodes').spec.clusterIP).toBe('None');
    expectValidManifests(objs);
  });

  test('the elastic password from an existing Secret: no generator Job', () => {
    const { es, objs } = synth({ elasticPassword: Credentials.fromSecret('es-admin', 'pw') });
    expect(es.elasticPasswordSecret).toEqual({ secretName: 'es-admin', key: 'pw' });
    expect(objs.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('logs-elastic-gen-'))).toBeUndefined();
  });

  test('the privileged sysctl init container is opt-in, and then flagged by the production policy', () => {
    const { objs } = synth({ sysctlInitContainer: true });
    const init = container(find(objs, 'StatefulSet', 'logs-hot').spec.template.spec, 'sysctl');
    expect(init.command).toEqual(['sh', '-c', 'sysctl -w vm.max_map_count=262144']);
    expect(() => expectProductionPolicy(objs)).toThrow(/sysctl: privileged/);
    expect(yml(synth({ allowMmap: false }).objs, 'logs-hot')).toContain('node.store.allow_mmap: false');
  });

  test('tier config: extra settings land in elasticsearch.yml (e.g. the write queue of the reference case 7)', () => {
    const { objs } = synth({ hot: { config: { 'thread_pool.write.queue_size': '1000', 'node.attr.pod': '${POD_NAME}', 'node.attr.rack': '${RACK:none}' } } });
    expect(yml(objs, 'logs-hot')).toContain('thread_pool.write.queue_size: "1000"');
    // Placeholders the pods define, or with a default, resolve in every container that loads the file.
    expect(placeholderViolations(objs)).toEqual([]);
  });

  test('a namespace-less chart still synthesizes valid objects', () => {
    const chart = new Chart(Testing.app(), 'test');
    const es = new ElasticsearchCluster(chart, 'logs');
    const objs = Testing.synth(chart);
    expect(es.url).toBe('https://logs:9200');
    expectValidManifests(objs);
  });

  test('heap: an explicit size, and the 31Gi cap for large memory limits', () => {
    const { objs } = synth({ hot: { heapSize: Size.gibibytes(3), resources: { memory: { limit: Size.gibibytes(6) } } } });
    expect(envOf(container(find(objs, 'StatefulSet', 'logs-hot').spec.template.spec, 'elasticsearch')).ES_JAVA_OPTS).toMatch(/^-Xms3072m -Xmx3072m -Xlog:disable /);
    const big = synth({ hot: { resources: { cpu: { request: Cpu.units(8), limit: Cpu.units(16) }, memory: { limit: Size.gibibytes(96) } } } }).objs;
    expect(envOf(container(find(big, 'StatefulSet', 'logs-hot').spec.template.spec, 'elasticsearch')).ES_JAVA_OPTS).toMatch(/^-Xms31744m -Xmx31744m -Xlog:disable /);
  });
});

describe('validation: each rule fails at synth with the prop, the value and what is allowed', () => {
  const cases: [string, ElasticsearchClusterProps, RegExp][] = [
    ['version not 8.x or 7.17', { version: ElasticsearchVersion.ofTag('7.10.2') }, /invalid version = "7.10.2": must be an Elasticsearch 8.x.y or 7.17.x/],
    ['version tag not x.y.z', { version: ElasticsearchVersion.ofTag('latest') }, /invalid version = "latest"/],
    ['master count', { masters: { replicas: 4 } }, /invalid masters.replicas = 4: must be one of 3, 5/],
    ['hot count low', { hot: { replicas: 0 } }, /invalid hot.replicas = 0: must be an integer from 1 to 50/],
    ['hot count high', { hot: { replicas: 51 } }, /invalid hot.replicas = 51: must be an integer from 1 to 50/],
    ['cold count', { cold: { replicas: 1 } }, /invalid cold.replicas = 1: must be an integer from 2 to 50/],
    ['warm count', { warm: { replicas: 0 } }, /invalid warm.replicas = 0: must be an integer from 1 to 50/],
    ['coordinating count', { coordinating: { replicas: 21 } }, /invalid coordinating.replicas = 21: must be an integer from 1 to 20/],
    ['cold without dedicated masters', { masters: { enabled: false }, cold: {} }, /invalid cold = "set": needs dedicated masters/],
    ['warm without dedicated masters', { masters: { enabled: false }, warm: {} }, /invalid warm = "set": needs dedicated masters/],
    ['master settings without masters', { masters: { enabled: false, replicas: 3 } }, /invalid masters = "enabled: false": takes no other settings/],
    ['two master-eligible hot nodes', { masters: { enabled: false }, hot: { replicas: 2 } }, /invalid hot.replicas = 2: must not be 2 without dedicated masters/],
    ['memory below 1Gi', { hot: { resources: { memory: { limit: Size.mebibytes(512) } } } }, /invalid hot.resources.memory.limit = "512Mi": must be at least 1Gi/],
    ['heap above 75% of memory', { hot: { heapSize: Size.gibibytes(4) } }, /invalid hot.heapSize = "4Gi": must be at most 75% of the memory limit/],
    ['heap at 32Gi', { hot: { heapSize: Size.gibibytes(32), resources: { memory: { limit: Size.gibibytes(64) } } } }, /invalid hot.heapSize = "32Gi": must be below 32Gi/],
    ['heap too small', { masters: { heapSize: Size.mebibytes(128) } }, /invalid masters.heapSize = "128Mi": must be at least 256Mi/],
    ['request above limit', { hot: { resources: { cpu: { request: Cpu.units(4), limit: Cpu.units(2) } } } }, /invalid hot.resources.cpu.request = "4": must be <= the CPU limit/],
    ['reserved setting', { hot: { config: { 'node.roles': 'master' } } }, /invalid hot.config\["node.roles"\] = "node.roles": is managed by the construct/],
    ['bad setting name', { hot: { config: { 'Bad Key': 'x' } } }, /invalid hot.config\["Bad Key"\].*must be an elasticsearch.yml setting name/],
    ['placeholder the pods do not define', { hot: { config: { 'node.attr.rack': '${RACK}' } } },
      /invalid hot.config\["node.attr.rack"\] = "\$\{RACK\}": must not reference \$\{RACK\}: .*only POD_NAME, POD_IP/],
    ['one zone', { zoneAwareness: { zones: ['a'] } }, /invalid zoneAwareness.zones = \["a"\]: must list 2 to 6 zones/],
    ['duplicate zone', { zoneAwareness: { zones: ['a', 'a'] } }, /invalid zoneAwareness.zones\[1\] = "a": is listed twice/],
    ['bad zone name', { zoneAwareness: { zones: ['a', 'Zone_B'] } }, /invalid zoneAwareness.zones\[1\] = "Zone_B": must be a DNS-1123 label/],
    ['data tier smaller than zones', { cold: { replicas: 2 }, zoneAwareness: { zones: ['a', 'b', 'c'] } }, /invalid cold.replicas = 2: must be at least the number of zones \(3\)/],
    ['names too long with zones', { name: 'x'.repeat(40), zoneAwareness: { zones: ['zone-a', 'zone-b'] } }, /invalid zoneAwareness.zones = "x+-master-zone-a": makes a StatefulSet name longer than 52/],
    ['ILM ages out of order', { ilmPolicies: [{ name: 'p', warm: { minAge: Duration.days(7) }, cold: { minAge: Duration.days(3) } }] },
      /invalid ilmPolicies\[0\].cold.minAge = "3d": must be greater than warm.minAge \(7d\)/],
    ['ILM delete before cold', { ilmPolicies: [{ name: 'p', cold: { minAge: Duration.days(30) }, delete: { minAge: Duration.days(30) } }] },
      /invalid ilmPolicies\[0\].delete.minAge = "30d": must be greater than cold.minAge/],
    ['ILM rollover without condition', { ilmPolicies: [{ name: 'p', hot: { rollover: {} } }] }, /invalid ilmPolicies\[0\].hot.rollover = \{\}: must set at least one of/],
    ['ILM without phases', { ilmPolicies: [{ name: 'p' }] }, /invalid ilmPolicies\[0\] = "p": must declare at least one phase/],
    ['ILM shrink to a count that does not divide the template\'s shards', {
      ilmPolicies: [{ name: 'p', warm: { minAge: Duration.days(2), shrinkToShards: 2 } }],
      indexTemplates: [{ name: 't', indexPatterns: ['t-*'], ilmPolicy: 'p', shards: 3 }],
    }, /invalid indexTemplates\[0\].shards = 3: must be a multiple of 2: policy p shrinks its indices to 2 shard\(s\)/],
    ['ILM bad name', { ilmPolicies: [{ name: 'Bad Name', delete: { minAge: Duration.days(1) } }] }, /invalid ilmPolicies\[0\].name = "Bad Name"/],
    ['ILM duplicate', { ilmPolicies: [{ name: 'p', delete: { minAge: Duration.days(1) } }, { name: 'p', delete: { minAge: Duration.days(2) } }] },
      /invalid ilmPolicies\[1\].name = "p": is declared twice/],
    ['ILM rollover max age too small', { ilmPolicies: [{ name: 'p', hot: { rollover: { maxAge: Duration.seconds(10) } } }] }, /hot.rollover.maxAge = "10s": must be at least 1 minute/],
    ['template with unknown policy', { indexTemplates: [{ name: 't', indexPatterns: ['t-*'], ilmPolicy: 'nope' }] }, /invalid indexTemplates\[0\].ilmPolicy = "nope": must name a policy declared/],
    ['template without patterns', { indexTemplates: [{ name: 't', indexPatterns: [] }] }, /invalid indexTemplates\[0\].indexPatterns = \[\]: must list at least one pattern/],
    ['template bad pattern', { indexTemplates: [{ name: 't', indexPatterns: ['_bad'] }] }, /invalid indexTemplates\[0\].indexPatterns\[0\] = "_bad"/],
    ['templates clash', { indexTemplates: [{ name: 't', indexPatterns: ['x-*'] }, { name: 'u', indexPatterns: ['x-*'] }] }, /with the same priority 200/],
    ['classic rollover without alias', {
      ilmPolicies: [{ name: 'p', hot: { rollover: { maxDocs: 10 } } }], indexTemplates: [{ name: 't', indexPatterns: ['t-*'], ilmPolicy: 'p', dataStream: false }],
    }, /invalid indexTemplates\[0\].rolloverAlias = undefined: is required: policy p rolls over/],
    ['alias on a data stream', { indexTemplates: [{ name: 't', indexPatterns: ['t-*'], rolloverAlias: 't' }] }, /rolloverAlias = "t": is only for classic templates/],
    ['alias not matching the patterns', { indexTemplates: [{ name: 't', indexPatterns: ['t-*'], dataStream: false, rolloverAlias: 'other' }] },
      /rolloverAlias = "other": needs an index pattern matching its first index other-000001/],
    ['template shards', { indexTemplates: [{ name: 't', indexPatterns: ['t-*'], shards: 0 }] }, /indexTemplates\[0\].shards = 0: must be an integer from 1 to 1024/],
    ['SLM schedule', { snapshots: { repository: s3, schedule: '0 2 * * *' } }, /invalid snapshots.schedule = "0 2 \* \* \*": must be an Elasticsearch cron expression/],
    ['SLM counts', { snapshots: { repository: s3, minCount: 10, maxCount: 5 } }, /invalid snapshots.minCount = 10: must be <= snapshots.maxCount \(5\)/],
    ['SLM retention', { snapshots: { repository: s3, expireAfter: Duration.minutes(5) } }, /invalid snapshots.expireAfter = "5m": must be at least 1 hour/],
    ['snapshot age alert', { snapshots: { repository: s3, maxSnapshotAge: Duration.minutes(10) } }, /invalid snapshots.maxSnapshotAge = 600: must be an integer from 3600/],
    ['snapshot bucket', { snapshots: { repository: { ...s3, bucket: 'B' } } }, /invalid snapshots.repository.bucket = "B"/],
    ['snapshot endpoint with a path', { snapshots: { repository: { ...s3, endpoint: 'http://minio:9000/bucket' } } }, /invalid snapshots.repository.endpoint = .*without a path/],
    ['repository name', { snapshots: { repository: s3, repositoryName: 'restore-source' } }, /invalid snapshots.repositoryName = "restore-source"/],
    ['restore snapshot name', { restore: { repository: s3, snapshot: 'Bad Name' } }, /invalid restore.snapshot = "Bad Name"/],
    ['snapshot indices', { snapshots: { repository: s3, indices: [] } }, /invalid snapshots.indices = \[\]/],
    ['capacity replicas', { capacity: { sourceData: Size.gibibytes(10), replicas: -1 } }, /invalid capacity.replicas = -1/],
    ['TLS secret name', { tls: ElasticsearchTls.fromSecrets('Bad', 'ok') }, /invalid tls.httpSecretName = "Bad"/],
    ['Kibana memory', { kibana: { resources: { memory: { limit: Size.mebibytes(256) } } } }, /invalid kibana.resources.memory.limit = "256Mi": must be at least 512Mi/],
    ['name', { name: 'Logs' }, /invalid name = "Logs": must be a DNS-1123 label of at most 40/],
  ];
  test.each(cases)('%s', (_, props, message) => {
    expect(errorOf(props)).toMatch(message);
    expect(errorOf(props)).toMatch(/^test\/logs: invalid /);
  });
});

describe('warnings (allowed but risky)', () => {
  test('an even number of master-eligible hot nodes', () => {
    expect(warningsOf(synth({ masters: { enabled: false }, hot: { replicas: 4 } }).es)).toEqual([expect.stringContaining('hot.replicas = 4: the hot nodes are master-eligible')]);
  });
  test('template replicas that a small hot tier cannot allocate', () => {
    const { es } = synth({ masters: { enabled: false }, hot: { replicas: 1 }, indexTemplates: [{ name: 't', indexPatterns: ['t-*'] }] });
    expect(warningsOf(es)).toEqual([expect.stringContaining('indexTemplates[0].replicas = 1: the hot tier has 1 node(s)')]);
  });
  test('ILM phases without their tier', () => {
    const { es } = synth({ ilmPolicies: [{ name: 'p', warm: { minAge: Duration.days(1) }, cold: { minAge: Duration.days(2) } }] });
    expect(warningsOf(es)).toEqual([
      expect.stringContaining('ilmPolicies[0].warm = "p": there is no warm tier'),
      expect.stringContaining('ilmPolicies[0].cold = "p": there is no cold tier'),
    ]);
  });
  test('snapshots on 7.17 need the repository-s3 plugin', () => {
    expect(warningsOf(synth({ version: ElasticsearchVersion.V7_17, snapshots: { repository: s3 } }).es))
      .toEqual([expect.stringContaining('reached end of life on 2026-01-15'), expect.stringContaining('repository-s3')]);
  });
  test('a heap above half the memory', () => {
    expect(warningsOf(synth({ hot: { heapSize: Size.gibibytes(3) } }).es)).toEqual([expect.stringContaining('hot.heapSize = "3Gi": more than half')]);
  });
  test('storage below the capacity formula, or above the per-node disk for the memory', () => {
    // 500Gi with 1 replica needs 500 x 2 x 1.1 / 0.95 / 0.8 = 1447.4Gi; 3 x 100Gi hot is far below.
    const { es } = synth({ capacity: { sourceData: Size.gibibytes(500), replicas: 1 } });
    expect(warningsOf(es)).toEqual([expect.stringContaining('the data tiers hold 300Gi but 1448Gi is the minimum')]);
    expect(es.capacityPlan!.minimumStorageGiB).toBeCloseTo(1447.37, 2);
    // 3 x 500Gi = 1500Gi: above the minimum but below 1447.4 / 0.85 = 1702.8Gi, and 500Gi > 4Gi x 50 = 200Gi per node.
    const logs = synth({
      hot: { storage: { size: Size.gibibytes(500) } }, capacity: { sourceData: Size.gibibytes(500), workload: ElasticsearchWorkload.LOGGING },
    }).es;
    expect(warningsOf(logs)).toEqual([
      expect.stringContaining('disk usage would exceed 85% (recommended 1703Gi)'),
      expect.stringContaining('hot.storage.size = "500Gi": one hot node with 4Gi memory should serve at most 200Gi for a logging workload'),
    ]);
    expect(warningsOf(synth({ hot: { storage: { size: Size.gibibytes(120) } }, capacity: { sourceData: Size.gibibytes(100) } }).es)).toEqual([]);
  });
  test('the defaults warn about nothing', () => {
    expect(warningsOf(synth().es)).toEqual([]);
  });
});

test('every built-in Elasticsearch alert has its runbook section', () => {
  const runbooks = readFileSync(join(__dirname, '..', '..', 'docs', 'runbooks.md'), 'utf8');
  const { objs } = synth({ warm: {}, cold: {}, coordinating: {}, snapshots: { repository: s3 } });
  const rules = find(objs, 'PrometheusRule', 'logs').spec.groups[0].rules;
  expect(rules.length).toBe(18);
  for (const r of rules) {
    expect(r.annotations.runbook_url).toMatch(new RegExp(`/docs/runbooks\\.md#${r.alert.toLowerCase()}$`));
    expect(runbooks).toContain(`### ${r.alert}\n`);
  }
});

// The entrypoint, preStop and readiness scripts of the node pods run with the manifest's env in node-lifecycle.test.ts.

test('node pods roll on a change of their config, not on a change of what the setup Job applies', () => {
  const hash = (props: ElasticsearchClusterProps) =>
    find(synth(props).objs, 'StatefulSet', 'logs-hot').spec.template.metadata.annotations['checksum/config'];
  const base = hash({});
  expect(hash({ ilmPolicies: [{ name: 'p', delete: { minAge: Duration.days(7) } }] })).toBe(base);
  expect(hash({ hot: { config: { 'thread_pool.write.queue_size': '1000' } } })).not.toBe(base);
  expect(hash({ snapshots: { repository: s3 } })).not.toBe(base);
});

describe('a snapshot repository has one writer (review E3)', () => {
  test('the default base_path is unique per namespace and name: two "logs" clusters in two namespaces never share it', () => {
    const base = (ns: string) => JSON.parse(findPrefix(synth({ snapshots: { repository: s3 } }, ns).objs, 'ConfigMap', 'logs-setup-').data['repository.json']).settings.base_path;
    expect(base('team-a')).toBe('team-a/logs');
    expect(base('team-b')).toBe('team-b/logs');
  });

  test('restore from the path this cluster writes to is refused (default prefixes, explicit prefixes, nested prefixes)', () => {
    expect(errorOf({ snapshots: { repository: s3 }, restore: { repository: s3, snapshot: 'latest' } }))
      .toMatch(/invalid restore.repository = "s3:\/\/es-snapshots\/obs\/logs".*snapshots.repository writes there/);
    expect(errorOf({ snapshots: { repository: { ...s3, prefix: 'old' } }, restore: { repository: { ...s3, prefix: 'old/' }, snapshot: 'latest' } }))
      .toMatch(/invalid restore.repository = "s3:\/\/es-snapshots\/old"/);
    expect(errorOf({ snapshots: { repository: { ...s3, prefix: 'old/new' } }, restore: { repository: { ...s3, prefix: 'old' }, snapshot: 'latest' } }))
      .toMatch(/invalid restore.repository = "s3:\/\/es-snapshots\/old"/);
    // Another bucket, or another store with the same bucket name, is fine.
    expect(errorOf({ snapshots: { repository: s3 }, restore: { repository: { ...s3, bucket: 'old-cluster' }, snapshot: 'latest' } })).toBe('no error');
    expect(errorOf({ snapshots: { repository: s3 }, restore: { repository: { ...s3, endpoint: 'https://s3.example.com' }, snapshot: 'latest' } })).toBe('no error');
  });

  test('two clusters of one app cannot write the same repository path; the restoring one reads it read-only', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'obs' });
    new ElasticsearchCluster(a, 'old', { snapshots: { repository: { ...s3, prefix: 'shared' } } });
    const b = new Chart(app, 'b', { namespace: 'obs2' });
    expect(() => new ElasticsearchCluster(b, 'new', { snapshots: { repository: { ...s3, prefix: 'shared/' } } }))
      .toThrow(/invalid snapshots.repository = "s3:\/\/es-snapshots\/shared".*a\/old writes there/);
    const c = new Chart(app, 'c', { namespace: 'obs3' });
    const restoring = new ElasticsearchCluster(c, 'new', { snapshots: { repository: s3 }, restore: { repository: { ...s3, prefix: 'shared' }, snapshot: 'latest' } });
    const setup = Testing.synth(Chart.of(restoring)).find((o: any) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('new-setup-')).data;
    expect(JSON.parse(setup['restore-repository.json']).settings).toEqual({ bucket: 'es-snapshots', base_path: 'shared', client: 'restore', readonly: true });
    expect(JSON.parse(setup['repository.json']).settings.base_path).toBe('obs3/new');
  });
});
