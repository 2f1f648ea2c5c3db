/** The harness must catch what it claims to catch: each check is shown failing on a broken input. */
import {
  expectProductionPolicy, parseQuantity,
  checkQueriesWithPromtool, checkRulesWithPromtool, expectKnownMetrics, expectValidManifests, metricNamesInExpr, shellcheckScript,
  substituteGrafanaVariables,
} from '.';

const sts = () => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'x', labels: { app: 'db' } },
  spec: {
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    template: {
      metadata: { labels: { app: 'db' } },
      spec: { containers: [{ name: 'db', image: 'db:1', ports: [{ containerPort: 5432 }], resources: { limits: { memory: '1Gi' } } }] },
    },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
});
const monitor = () => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'db' },
  spec: { selector: { matchLabels: { app: 'db' } }, endpoints: [{ port: 'metrics', interval: '30s' }] },
});

describe('Kubernetes and CRD schemas', () => {
  test('valid objects pass', () => {
    expectValidManifests([sts(), monitor()]);
  });
  test('an unknown field deep in a pod template fails', () => {
    const o: any = sts();
    o.spec.template.spec.containers[0].ports[0].hostPorts = 1;
    expect(() => expectValidManifests([o])).toThrow(/spec\.template\.spec\.containers\[0\]\.ports\[0\]\.hostPorts: unknown field of ContainerPort/);
  });
  test('an unknown field in a volumeClaimTemplate and in metadata fails', () => {
    const o: any = sts();
    o.spec.volumeClaimTemplates[0].spec.size = '1Gi';
    o.metadata.label = {};
    expect(() => expectValidManifests([o])).toThrow(/volumeClaimTemplates\[0\]\.spec\.size: unknown field/);
    expect(() => expectValidManifests([o])).toThrow(/metadata\.label: unknown field of ObjectMeta/);
  });
  test('a wrong type and a missing required field fail', () => {
    const o: any = sts();
    o.spec.replicas = '3';
    delete o.spec.selector;
    expect(() => expectValidManifests([o])).toThrow(/replicas must be integer/);
    expect(() => expectValidManifests([o])).toThrow(/must have required property selector/);
  });
  test('a bad enum value fails', () => {
    const o: any = sts();
    o.spec.podManagementPolicy = 'Sometimes';
    expect(() => expectValidManifests([o])).toThrow(/podManagementPolicy must be equal to one of the allowed values/);
  });
  test('a custom resource with an unknown or malformed field fails', () => {
    const a: any = monitor();
    a.spec.endpoints[0].intervall = '30s';
    expect(() => expectValidManifests([a])).toThrow(/must NOT have additional properties \(intervall\)/);
    const b: any = monitor();
    b.spec.endpoints[0].interval = '30 seconds';
    expect(() => expectValidManifests([b])).toThrow(/interval must match pattern/);
    const c: any = monitor();
    c.metadata.lables = {};
    expect(() => expectValidManifests([c])).toThrow(/metadata\.lables: unknown field/);
  });
  test('unknown kinds and duplicates fail', () => {
    expect(() => expectValidManifests([{ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'a' } }])).toThrow(/no schema for example.com\/v1 Thing/);
    expect(() => expectValidManifests([sts(), sts()])).toThrow(/duplicate object/);
  });
});

describe('promtool and metric names', () => {
  test('valid rules pass and a broken expression fails', () => {
    checkRulesWithPromtool({ groups: [{ name: 'g', rules: [{ alert: 'Down', expr: 'up == 0', for: '5m', labels: { severity: 'critical' } }] }] });
    expect(() => checkRulesWithPromtool({ groups: [{ name: 'g', rules: [{ alert: 'Down', expr: 'up == ', labels: {} }] }] })).toThrow(/promtool check rules failed/);
  });
  test('dashboard queries are parsed after Grafana variables are substituted', () => {
    expect(substituteGrafanaVariables('rate(x{pod=~"$pod",ns="${namespace}"}[$__rate_interval])')).toBe('rate(x{pod=~"x",ns="x"}[5m])');
    checkQueriesWithPromtool(['sum by (pod) (rate(redis_commands_processed_total{namespace="$namespace"}[$__rate_interval]))']);
    expect(() => checkQueriesWithPromtool(['sum(rate(redis_commands_processed_total[$__rate_interval])'])).toThrow(/promtool/);
  });
  test('metric names are extracted from expressions', () => {
    expect(metricNamesInExpr(
      'sum by (instance) (rate(a_total{job="j", x=~"y|z"}[5m])) / on (instance) group_left (role) b_info > 0.9 and c offset 5m unless absent(d) or 1e3',
    ).sort()).toEqual(['a_total', 'b_info', 'c', 'd']);
    expect(metricNamesInExpr('histogram_quantile(0.99, sum(rate(h_bucket[$__rate_interval])) by (le))')).toEqual(['h_bucket']);
  });
  test('an unknown metric fails', () => {
    expect(() => expectKnownMetrics(['rate(redis_commandz_total[5m])'], new Set(['redis_commands_total']))).toThrow(/redis_commandz_total/);
    expectKnownMetrics(['up == 0'], new Set(['x']), ['up']);
  });
});

describe('shellcheck', () => {
  test('a clean script passes and an unquoted expansion fails', () => {
    shellcheckScript('#!/bin/bash\nset -eu\necho "$1"\n', 'ok');
    expect(() => shellcheckScript('#!/bin/bash\nrm -rf $dir/*\n', 'bad')).toThrow(/shellcheck failed on bad[\s\S]*SC2115|SC2086/);
  });
});

describe('production policy', () => {
  const ok = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: {
        metadata: { labels: { a: 'b' } },
        spec: {
          securityContext: { runAsNonRoot: true },
          containers: [{
            name: 'app',
            image: 'repo/app:1.2.3',
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
            livenessProbe: { tcpSocket: { port: 80 } },
            readinessProbe: { tcpSocket: { port: 80 } },
            securityContext: { allowPrivilegeEscalation: false },
            env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'SECRET_NAME', value: 's' }],
          }],
        },
      },
    },
  });
  test('quantities', () => {
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('2Gi')).toBe(2 * 2 ** 30);
    expect(parseQuantity('1')).toBe(1);
  });
  test('a compliant workload passes; each violation is named', () => {
    expectProductionPolicy([ok()]);
    const cases: [(c: any, pod: any) => void, RegExp][] = [
      [(c) => { c.image = 'repo/app:latest'; }, /not pinned/],
      [(c) => { c.image = 'repo/app'; }, /not pinned/],
      [(c) => { c.resources.requests.memory = '256Mi'; }, /memory request 256Mi > limit 128Mi/],
      [(c) => { c.resources.requests.cpu = '2'; }, /cpu request 2 > limit 1/],
      [(c) => { delete c.resources.limits.memory; }, /no memory limit/],
      [(c) => { delete c.readinessProbe; }, /without liveness and readiness probes/],
      [(c) => { c.securityContext = {}; }, /allowPrivilegeEscalation is not false/],
      [(_c, pod) => { pod.securityContext = {}; }, /may run as root/],
      [(c) => { c.env.push({ name: 'REDIS_PASSWORD', value: 'hunter2' }); }, /env REDIS_PASSWORD has a literal value/],
    ];
    for (const [mutate, message] of cases) {
      const o: any = ok();
      mutate(o.spec.template.spec.containers[0], o.spec.template.spec);
      expect(() => expectProductionPolicy([o])).toThrow(message);
    }
  });
});
