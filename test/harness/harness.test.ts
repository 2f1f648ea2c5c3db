/** The harness must catch what it claims to catch: each check is shown failing on a broken input. */
import {
  expectProductionPolicy, parseQuantity,
  checkQueriesWithPromtool, checkRulesWithPromtool, expectKnownMetrics, expectValidManifests, metricNamesInExpr, shellcheckScript,
  substituteGrafanaVariables, filePermissionViolations, imageUserViolations, placeholdersIn, placeholderViolations, privateKeyViolations,
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

describe('what containers read from their mounts', () => {
  const esYml = 'node.name: "${POD_NAME}"\nnetwork.publish_host: "${POD_IP}"\ncluster.name: "c"\nnode.attr.rack: "${RACK:none}"\nx.y: "${cluster.name}"\n';
  /** A pod whose init container copies elasticsearch.yml into an emptyDir the main container reads (as Elasticsearch's does). */
  const esPod = () => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'es' },
    spec: {
      template: {
        spec: {
          securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
          initContainers: [{
            name: 'prepare',
            image: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.15',
            env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
            volumeMounts: [{ name: 'source', mountPath: '/mnt/source', readOnly: true }, { name: 'config', mountPath: '/mnt/config' }],
          }],
          containers: [{
            name: 'es',
            image: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.15',
            envFrom: [{ configMapRef: { name: 'node-env' } }],
            volumeMounts: [{ name: 'config', mountPath: '/usr/share/elasticsearch/config' }],
          }],
          volumes: [
            { name: 'source', configMap: { name: 'es-config', items: [{ key: 'es-hot.yml', path: 'elasticsearch.yml' }] } },
            { name: 'config', emptyDir: {} },
          ],
        },
      },
    },
  });
  const objsWith = (pod: any) => [
    pod,
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'es-config' }, data: { 'es-hot.yml': esYml } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'node-env' }, data: { POD_NAME: 'x', POD_IP: 'y' } },
  ];

  test('placeholder syntax: defaults and nesting as Elasticsearch reads them', () => {
    expect(placeholdersIn('a ${A} ${B:1} ${C:${D}} $E {F}')).toEqual([
      { name: 'A', hasDefault: false }, { name: 'B', hasDefault: true }, { name: 'C', hasDefault: true },
    ]);
    expect(placeholdersIn('${A} ${B:-x} ${C-x} ${D:?} ${E:=y}', 'envsubst')).toEqual([
      { name: 'A', hasDefault: false }, { name: 'B', hasDefault: true }, { name: 'C', hasDefault: true },
      { name: 'D', hasDefault: false }, { name: 'E', hasDefault: true },
    ]);
  });
  test('placeholders: defined in env, envFrom, by a default or by another setting pass', () => {
    expect(placeholderViolations(objsWith(esPod()))).toEqual([]);
  });
  test('placeholders: an init container that mounts the file without the env fails (the keystore CLI resolves them)', () => {
    const pod: any = esPod();
    pod.spec.template.spec.initContainers[0].env = [];
    const v = placeholderViolations(objsWith(pod));
    expect(v).toContain('StatefulSet/es container prepare: elasticsearch.yml (ConfigMap/es-config key es-hot.yml) uses ${POD_NAME}, which is not in its env');
    expect(v.join('\n')).toMatch(/POD_IP/);
    expect(() => expectProductionPolicy(objsWith(pod))).toThrow(/uses \$\{POD_NAME\}/);
  });
  test('placeholders: a container the file is copied to through an emptyDir needs them too', () => {
    const objs = objsWith(esPod());
    objs[2].data = { POD_NAME: 'x' };
    expect(placeholderViolations(objs)).toEqual([
      'StatefulSet/es container es: elasticsearch.yml (ConfigMap/es-config key es-hot.yml) uses ${POD_IP}, which is not in its env'
        + ' (it shares a writable emptyDir with prepare, which mounts the file)',
    ]);
  });
  test('placeholders: kibana.yml mounted by subPath, and files that do not substitute the environment', () => {
    const pod: any = esPod();
    const c = pod.spec.template.spec.containers[0];
    c.envFrom = undefined;
    c.volumeMounts = [{ name: 'kibana', mountPath: '/usr/share/kibana/config/kibana.yml', subPath: 'kibana.yml' }];
    pod.spec.template.spec.volumes.push({ name: 'kibana', configMap: { name: 'kb' } });
    const kb = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kb' }, data: { 'kibana.yml': 'elasticsearch.password: ${KIBANA_PW}\n', 'other.yml': '${NOT_SUBSTITUTED}' } };
    const v = placeholderViolations([...objsWith(pod), kb]);
    expect(v).toContain('StatefulSet/es container es: kibana.yml (ConfigMap/kb key kibana.yml) uses ${KIBANA_PW}, which is not in its env');
    expect(v.join('\n')).not.toMatch(/NOT_SUBSTITUTED/);
  });

  /** An exporter pod that mounts a cert-manager Secret (tls.crt, tls.key, ca.crt). */
  const exporter = (volume: any, pod: any = { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 }) => [
    { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'tls' }, spec: { secretName: 'kafka-tls' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'exporter' },
      spec: {
        template: {
          spec: {
            securityContext: pod,
            containers: [{ name: 'exporter', image: 'docker.io/danielqsj/kafka-exporter:v1.9.0', volumeMounts: [{ name: 'tls', mountPath: '/tls', readOnly: true }] }],
            volumes: [{ name: 'tls', secret: { secretName: 'kafka-tls', ...volume } }],
          },
        },
      },
    },
  ];
  test('permissions: a 0440 Secret without fsGroup is root:root, unreadable to uid 65534', () => {
    const v = filePermissionViolations(exporter({ defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] }));
    expect(v).toEqual(['Deployment/exporter container exporter: cannot read /tls/ca.crt (Secret/kafka-tls key ca.crt, mode 0440, owner 0, group 0)'
      + ' as uid 65534 (pod runAsUser), gid 65534, groups []']);
  });
  test('permissions: other-read, an fsGroup (group and mode |= 0440 by the kubelet), a matching supplemental group or root pass', () => {
    const ca = { items: [{ key: 'ca.crt', path: 'ca.crt' }] };
    expect(filePermissionViolations(exporter({ ...ca, defaultMode: 0o444 }))).toEqual([]);
    expect(filePermissionViolations(exporter({ ...ca }))).toEqual([]);
    expect(filePermissionViolations(exporter({ ...ca, defaultMode: 0o400 }, { runAsUser: 65534, fsGroup: 2000 }))).toEqual([]);
    expect(filePermissionViolations(exporter({ ...ca, defaultMode: 0o440 }, { runAsUser: 65534, supplementalGroups: [0] }))).toEqual([]);
    expect(filePermissionViolations(exporter({ ...ca, defaultMode: 0o400 }, { runAsUser: 0 }))).toEqual([]);
  });
  test('permissions: items[].mode overrides defaultMode; the image user applies without runAsUser; an unknown image user needs other-read', () => {
    expect(filePermissionViolations(exporter({ defaultMode: 0o444, items: [{ key: 'ca.crt', path: 'ca.crt', mode: 0o400 }] }))).toHaveLength(1);
    // danielqsj/kafka-exporter runs as nobody (65534).
    expect(filePermissionViolations(exporter({ defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] }, {}))[0]).toMatch(/uid 65534 \(image danielqsj\/kafka-exporter USER\)/);
    const unknown: any = exporter({ defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] }, {});
    unknown[1].spec.template.spec.containers[0].image = 'example.com/tool:1';
    expect(filePermissionViolations(unknown)[0]).toMatch(/as an unknown uid/);
  });
  test('permissions: a projected service account token is 0600, owned by the common runAsUser', () => {
    const pod = (sc: any, user2?: number) => [{
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        securityContext: sc,
        containers: [
          { name: 'a', image: 'docker.io/curlimages/curl:8.11.1', volumeMounts: [{ name: 't', mountPath: '/t' }] },
          { name: 'b', image: 'docker.io/curlimages/curl:8.11.1', securityContext: user2 === undefined ? undefined : { runAsUser: user2 } },
        ],
        volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
      },
    }];
    expect(filePermissionViolations(pod({ runAsUser: 1000, runAsGroup: 1000 }))).toEqual([]);
    expect(filePermissionViolations(pod({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 }, 2000))).toEqual([]);
    expect(filePermissionViolations(pod({ runAsUser: 1000, runAsGroup: 1000 }, 2000))).toEqual([]);
    expect(filePermissionViolations(pod({ runAsUser: 1000, runAsGroup: 1000, supplementalGroups: [5] }, 2000))).toEqual([]);
    // Different users and an fsGroup: root-owned 0600 | 0440, group 3000: readable through the fsGroup.
    expect(filePermissionViolations(pod({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 3000 }, 2000))).toEqual([]);
  });
  test('private keys: a client mounting the whole TLS Secret fails; the CA alone passes; a declared TLS server may', () => {
    expect(privateKeyViolations(exporter({ defaultMode: 0o444 }))).toEqual([
      'Deployment/exporter container exporter: mounts the private key tls.key (Secret/kafka-tls key tls.key, volume tls) it does not serve TLS with: mount only the CA',
    ]);
    expect(privateKeyViolations(exporter({ items: [{ key: 'ca.crt', path: 'ca.crt' }] }))).toEqual([]);
    const broker: any = exporter({});
    Object.assign(broker[1].spec.template.spec.containers[0], { name: 'kafka', image: 'docker.io/apache/kafka:4.1.1' });
    expect(privateKeyViolations(broker)).toEqual([]);
    const keystores: any = exporter({});
    keystores[0].spec.keystores = { pkcs12: { create: true } };
    Object.assign(keystores[1].spec.template.spec.containers[0], { name: 'setup', image: 'docker.io/apache/kafka:4.1.1' });
    expect(privateKeyViolations(keystores).join('\n')).toMatch(/keystore\.p12/);
    expect(privateKeyViolations(keystores).join('\n')).not.toMatch(/truststore/);
    const unknownKeys: any = exporter({});
    unknownKeys.shift();
    expect(privateKeyViolations(unknownKeys)).toEqual([
      'Deployment/exporter container exporter: mounts every key of Secret/kafka-tls at /tls, whose keys are not known here: list the items it needs',
    ]);
  });
  test('image users: runAsNonRoot without runAsUser fails on a named or root USER, passes on a numeric one', () => {
    const pod = (image: string) => [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: 'c', image }] } }];
    expect(imageUserViolations(pod('docker.io/apache/kafka:4.1.1'))[0]).toMatch(/USER of docker.io\/apache\/kafka:4.1.1 is the name 'appuser'/);
    expect(imageUserViolations(pod('docker.io/library/redis:7.2.12'))[0]).toMatch(/runs as root/);
    expect(imageUserViolations(pod('harbor.example.com/mirror/oliver006/redis_exporter:v1.88.0'))).toEqual([]);
    expect(imageUserViolations(pod('example.com/unknown:1'))).toEqual([]);
  });
});
