import { readFileSync } from 'fs';
import { join } from 'path';
import { Chart, Cron, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { parse } from 'yaml';
import {
  Credentials, KafkaAuthentication, KafkaCluster, KafkaClusterProps, KafkaExternalAccessType, CertificateIssuerKind, KafkaTopology, KafkaVersion,
  NetworkPeer, TopologyKey,
} from '../../src';
import { WARNING_METADATA } from '../../src/core/validation';
import { jmxMetricNames, renderJmxExporterConfig } from '../../src/kafka/jmx';
import { clusterIdFrom } from '../../src/kafka/kafka-cluster';
import {
  checkQueriesWithPromtool, checkRulesWithPromtool, expectKnownMetrics, expectProductionPolicy, expectValidManifests, loadMetricList,
  filePermissionViolations, metricNamesInExpr, privateKeyViolations, scriptsOf, shellcheckScript,
} from '../harness';

/** `namespace: null` synthesizes a chart without a namespace. */
function synth(props: KafkaClusterProps = {}, namespace: string | null = 'shop', configure?: (k: KafkaCluster) => void) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: namespace ?? undefined });
  const kafka = new KafkaCluster(chart, 'events', props);
  configure?.(kafka);
  return { chart, kafka, objs: Testing.synth(chart) as any[] };
}
const find = (objs: any[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} in ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
};
const podOf = (objs: any[], sts: string) => find(objs, 'StatefulSet', sts).spec.template.spec;
const container = (podSpec: any, name: string) => podSpec.containers.find((c: any) => c.name === name);
const envOf = (c: any) => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
const props = (text: string) => Object.fromEntries(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
  const i = l.indexOf('=');
  return [l.slice(0, i), l.slice(i + 1)];
}));
const errorOf = (p: KafkaClusterProps, configure?: (k: KafkaCluster) => void, namespace: string | null = 'shop') => {
  try {
    synth(p, namespace, configure);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};
const KNOWN = new Set([...jmxMetricNames(), ...loadMetricList('kafka_exporter')]);

const secure: KafkaClusterProps = {
  authentication: KafkaAuthentication.SCRAM_SHA_512,
  users: [{ name: 'orders-service' }, { name: 'analytics', password: Credentials.fromSecret('analytics-kafka', 'pw') }],
  tls: { issuerName: 'internal-ca', issuerKind: CertificateIssuerKind.CLUSTER_ISSUER },
  rackAwareness: { topologyKey: TopologyKey.ZONE },
  external: { type: KafkaExternalAccessType.NODE_PORT, advertisedHosts: ['kafka.example.com'], allowedCidrs: ['203.0.113.0/24'] },
  ui: {},
  networkPolicy: { allowedClients: [NetworkPeer.pods({ 'app.kubernetes.io/name': 'orders' })] },
  topics: [
    { name: 'orders', partitions: 12, config: { 'retention.ms': '259200000', 'min.insync.replicas': '2' } },
    { name: 'customers', config: { 'cleanup.policy': 'compact,delete' } },
  ],
  backup: {
    target: { endpoint: 'http://minio.minio.svc:9000', bucket: 'kafka-backups', credentialsSecret: 'minio-backup' },
    schedule: Cron.schedule({ minute: '30', hour: '1' }),
    retentionDays: 14,
  },
};

describe('KafkaCluster, dedicated controllers (defaults)', () => {
  const { kafka, objs } = synth();

  test('synthesizes the complete set of objects, with stable names', () => {
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/events-config', 'ConfigMap/events-dashboard', 'ConfigMap/events-scripts',
      'Deployment/events-exporter', 'NetworkPolicy/events',
      'PodDisruptionBudget/events-broker', 'PodDisruptionBudget/events-controller', 'PrometheusRule/events',
      'Service/events', 'Service/events-brokers', 'Service/events-controllers', 'Service/events-metrics', 'Service/events-metrics-lag',
      'ServiceMonitor/events', 'StatefulSet/events-broker', 'StatefulSet/events-controller',
    ].sort());
    for (const o of objs) expect(o.metadata.namespace).toBe('shop');
  });

  test('every object passes the Kubernetes and CRD schemas and the production policy', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
  });

  test('connection facts for wiring an app', () => {
    expect(kafka.bootstrapServers).toBe('events.shop.svc:9092');
    expect(kafka.host).toBe('events.shop.svc');
    expect(kafka.port).toBe(9092);
    expect(kafka.securityProtocol).toBe('PLAINTEXT');
    expect(kafka.saslMechanism).toBeUndefined();
    expect(kafka.brokers).toBe(3);
    expect(kafka.controllers).toBe(3);
    expect(kafka.externalBootstrapServers).toBeUndefined();
    expect(kafka.versionMajorMinor).toBe('4.4');
  });

  test('the cluster ID is derived from namespace and name: stable across synths, distinct per instance', () => {
    expect(kafka.clusterId).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(Buffer.from(kafka.clusterId, 'base64url')).toHaveLength(16);
    expect(synth().kafka.clusterId).toBe(kafka.clusterId);
    expect(synth({}, 'other').kafka.clusterId).not.toBe(kafka.clusterId);
    expect(synth({ name: 'logs' }).kafka.clusterId).not.toBe(kafka.clusterId);
    for (let i = 0; i < 200; i++) expect(clusterIdFrom(`ns/${i}`).startsWith('-')).toBe(false);
  });

  test('broker server.properties: KRaft broker role, static voters with controller ids from 1000, reference durability defaults', () => {
    const p = props(find(objs, 'ConfigMap', 'events-config').data['broker.properties']);
    expect(p['process.roles']).toBe('broker');
    expect(p['controller.quorum.voters']).toBe(
      '1000@events-controller-0.events-controllers:9093,1001@events-controller-1.events-controllers:9093,1002@events-controller-2.events-controllers:9093');
    expect(p['listener.security.protocol.map']).toBe('CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT');
    expect(p['inter.broker.listener.name']).toBe('INTERNAL');
    expect(p['default.replication.factor']).toBe('3');
    expect(p['min.insync.replicas']).toBe('2');
    expect(p['num.partitions']).toBe('3');
    expect(p['log.retention.ms']).toBe(String(7 * 24 * 3600 * 1000));
    expect(p['auto.create.topics.enable']).toBe('false');
    expect(p['unclean.leader.election.enable']).toBe('false');
    expect(p['offsets.topic.replication.factor']).toBe('3');
    expect(p['transaction.state.log.min.isr']).toBe('2');
    expect(p['log.dirs']).toBe('/var/lib/kafka/data/logs');
    expect(p['node.id']).toBeUndefined();
    const c = props(find(objs, 'ConfigMap', 'events-config').data['controller.properties']);
    expect(c['process.roles']).toBe('controller');
    expect(c['default.replication.factor']).toBeUndefined();
  });

  test('pods: node ids from the ordinal (brokers from 0, controllers from 1000), heap from the memory limit, non-root appuser', () => {
    const broker = podOf(objs, 'events-broker');
    const controller = podOf(objs, 'events-controller');
    const be = envOf(container(broker, 'kafka'));
    const ce = envOf(container(controller, 'kafka'));
    expect(be.NODE_ID_OFFSET).toBe('0');
    expect(ce.NODE_ID_OFFSET).toBe('1000');
    expect(be.ROLE).toBe('broker');
    expect(ce.ROLE).toBe('controller');
    expect(be.HEADLESS).toBe('events-brokers');
    expect(be.CLUSTER_ID).toBe(kafka.clusterId);
    expect(ce.CLUSTER_ID).toBe(kafka.clusterId);
    // 50% of 4Gi and of 1Gi.
    expect(be.SERVER_HEAP_OPTS).toBe('-Xms2048m -Xmx2048m');
    expect(ce.SERVER_HEAP_OPTS).toBe('-Xms512m -Xmx512m');
    expect(be.JMX_AGENT_OPTS).toBe('-javaagent:/opt/jmx/jmx_prometheus_javaagent.jar=9404:/etc/kafka-config/jmx-exporter.yaml');
    // Not in the container environment: tools run with `kubectl exec` must not inherit the server's heap or agent.
    expect(be.KAFKA_HEAP_OPTS).toBeUndefined();
    expect(be.KAFKA_OPTS).toBeUndefined();
    // Logs to stdout (Kafka 4: Log4j 2).
    expect(be.SERVER_LOG4J_OPTS).toBe('-Dlog4j2.configurationFile=/etc/kafka-config/log4j2.yaml');
    expect(parse(find(objs, 'ConfigMap', 'events-config').data['log4j2.yaml']).Configuration.Appenders.Console.name).toBe('STDOUT');
    expect(find(objs, 'StatefulSet', 'events-broker').spec.minReadySeconds).toBe(60);
    expect(container(broker, 'kafka').image).toBe('docker.io/apache/kafka:4.4.0');
    expect(broker.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    expect(container(broker, 'kafka').securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('StatefulSets: parallel start, PVCs retained, anti-affinity per group, zone spread, config hash', () => {
    for (const [name, size] of [['events-broker', '50Gi'], ['events-controller', '10Gi']]) {
      const sts = find(objs, 'StatefulSet', name);
      expect(sts.spec.replicas).toBe(3);
      expect(sts.spec.podManagementPolicy).toBe('Parallel');
      expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
      expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(size);
      const spec = sts.spec.template.spec;
      const term = spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
      expect(term.labelSelector.matchLabels).toEqual(sts.spec.selector.matchLabels);
      expect(spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
      expect(sts.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  test('a broker-only setting rolls only the brokers; a setting both roles read rolls both', () => {
    const sum = (p: KafkaClusterProps, sts: string) => find(synth(p).objs, 'StatefulSet', sts).spec.template.metadata.annotations['checksum/config'];
    const base: KafkaClusterProps = { retention: Duration.days(7) };
    const brokerOnly: KafkaClusterProps = { retention: Duration.days(3) };
    const config = (p: KafkaClusterProps, role: string) => find(synth(p).objs, 'ConfigMap', 'events-config').data[`${role}.properties`];
    expect(config(brokerOnly, 'broker')).not.toBe(config(base, 'broker'));
    expect(config(brokerOnly, 'controller')).toBe(config(base, 'controller'));
    expect(sum(brokerOnly, 'events-broker')).not.toBe(sum(base, 'events-broker'));
    expect(sum(brokerOnly, 'events-controller')).toBe(sum(base, 'events-controller'));
    // Logging is read by both.
    const jmxOff = { ...base, monitoring: { enabled: false } };
    expect(sum(jmxOff, 'events-controller')).not.toBe(sum(base, 'events-controller'));
    expect(sum(jmxOff, 'events-broker')).not.toBe(sum(base, 'events-broker'));
  });

  test('probes on the broker and controller ports; the JMX agent is downloaded and checked by SHA-256', () => {
    const broker = container(podOf(objs, 'events-broker'), 'kafka');
    const controller = container(podOf(objs, 'events-controller'), 'kafka');
    expect(broker.readinessProbe.tcpSocket.port).toBe('kafka');
    expect(controller.livenessProbe.tcpSocket.port).toBe('controller');
    expect(broker.startupProbe.periodSeconds * broker.startupProbe.failureThreshold).toBeGreaterThanOrEqual(600);
    const init = podOf(objs, 'events-broker').initContainers[0];
    expect(init.name).toBe('jmx-agent');
    expect(envOf(init).JAR_SHA256).toMatch(/^[0-9a-f]{64}$/);
    expect(envOf(init).JAR_URL).toMatch(/^https:\/\/github\.com\/prometheus\/jmx_exporter\/releases\/download\/1\.4\.0\//);
  });

  test('Services: bootstrap on brokers, headless Services publish not-ready pods (quorum formation)', () => {
    expect(find(objs, 'Service', 'events').spec.selector).toEqual({
      'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': 'events', 'app.kubernetes.io/component': 'broker',
    });
    expect(find(objs, 'Service', 'events-brokers').spec.publishNotReadyAddresses).toBe(true);
    expect(find(objs, 'Service', 'events-controllers').spec.ports[0].port).toBe(9093);
    // The JMX Service selects Kafka nodes only, never the exporter pod.
    expect(find(objs, 'Service', 'events-metrics').spec.selector['kafka.cdk8s-middleware.io/node']).toBe('true');
  });

  test('PDBs allow one disruption per group; NetworkPolicy admits members, clients on 9092, the scraper on 9404 and 9308', () => {
    expect(find(objs, 'PodDisruptionBudget', 'events-broker').spec.maxUnavailable).toBe(1);
    expect(find(objs, 'PodDisruptionBudget', 'events-controller').spec.maxUnavailable).toBe(1);
    const np = find(objs, 'NetworkPolicy', 'events');
    expect(np.spec.ingress[0].from[0].podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': 'events' });
    expect(np.spec.ingress[1].ports).toEqual([{ protocol: 'TCP', port: 9404 }, { protocol: 'TCP', port: 9308 }]);
  });

  test('every generated script passes shellcheck', () => {
    const scripts = scriptsOf(objs);
    expect(scripts.map((s) => s.name)).toEqual(expect.arrayContaining(['events-scripts/entrypoint.sh', 'events-scripts/setup.sh']));
    expect(scripts.some((s) => s.name.endsWith('/jmx-agent'))).toBe(true);
    for (const s of scripts) shellcheckScript(s.script, s.name, s.shell);
  });

  test('alerts pass promtool, cover the issue list, link runbooks, and read only metrics the exporters emit', () => {
    const rule = find(objs, 'PrometheusRule', 'events');
    checkRulesWithPromtool(rule.spec);
    const rules = rule.spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual(expect.arrayContaining([
      'KafkaOfflinePartitions', 'KafkaUnderReplicatedPartitions', 'KafkaActiveControllerCountNotOne', 'KafkaIsrShrinking',
      'KafkaConsumerGroupLagHigh', 'KafkaBrokerDown', 'KafkaDiskFilling', 'KafkaDiskFull',
    ]));
    for (const r of rules) {
      expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
      expect(r.annotations.runbook_url).toMatch(new RegExp(`/docs/runbooks\\.md#${r.alert.toLowerCase()}$`));
    }
    expect(rules.find((r: any) => r.alert === 'KafkaConsumerGroupLagHigh').expr).toContain('> 10000');
    // 80% of the 50Gi broker volume, measured by the brokers' own log sizes.
    expect(rules.find((r: any) => r.alert === 'KafkaDiskFilling').expr).toContain(`/ ${50 * 2 ** 30}`);
    expect(rules.find((r: any) => r.alert === 'KafkaBrokersMissing').expr).toContain('< 3');
    expectKnownMetrics(rules.map((r: any) => r.expr), KNOWN, ['up']);
  });

  test('dashboard queries parse and use real metric names', () => {
    const dash = JSON.parse(find(objs, 'ConfigMap', 'events-dashboard').data['kafka-events.json']);
    const exprs: string[] = dash.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr));
    expect(exprs.length).toBeGreaterThan(15);
    checkQueriesWithPromtool(exprs);
    expectKnownMetrics(exprs, KNOWN);
  });

  test('manifests are stable (reviewed snapshot)', () => {
    expect(objs).toMatchSnapshot();
  });
});

describe('JMX exporter rules', () => {
  const config = parse(renderJmxExporterConfig());

  test('the rendered YAML is what the metric names are derived from', () => {
    expect(config.lowercaseOutputName).toBe(true);
    // Every derived name comes from a rule: its template with one alternative of the rule's pattern, lowercased,
    // plus `_total` for counters (the JMX exporter 1.x exposition).
    const produced = new Set<string>();
    for (const r of config.rules) {
      const alt = /\(([A-Za-z|]+)\)/.exec(r.pattern);
      const alternatives = r.name.includes('$1') && alt ? alt[1].split('|') : [''];
      for (const a of alternatives) {
        const n = r.name.replace('$1', a).toLowerCase();
        produced.add(r.type === 'COUNTER' ? `${n}_total` : n);
      }
    }
    const jvm = jmxMetricNames().filter((n) => n.startsWith('jvm_'));
    expect(new Set([...produced, ...jvm])).toEqual(new Set(jmxMetricNames()));
  });

  test('log sizes: a partition and its "future" log (a move between log directories) are distinct series with a numeric partition', () => {
    // The agent tries the rules in order and the first match wins, as here.
    const first = (mbean: string) => {
      for (const r of config.rules) {
        const m = new RegExp(`^${r.pattern}$`).exec(mbean);
        if (m) return { name: r.name, labels: Object.fromEntries(Object.entries(r.labels ?? {}).map(([k, v]) => [k, String(v).replace(/\$(\d)/g, (_, i) => m[Number(i)])])) };
      }
      return undefined;
    };
    expect(first('kafka.log<type=Log, name=Size, topic=orders.v1, partition=11><>Value'))
      .toEqual({ name: 'kafka_log_log_size', labels: { topic: 'orders.v1', partition: '11', future: 'false' } });
    expect(first('kafka.log<type=Log, name=Size, topic=orders.v1, partition=11, is-future=true><>Value'))
      .toEqual({ name: 'kafka_log_log_size', labels: { topic: 'orders.v1', partition: '11', future: 'true' } });
  });

  test('the alert metrics are produced by the rules, and every MBean rule is under an included object name', () => {
    const { objs } = synth();
    const rules = find(objs, 'PrometheusRule', 'events').spec.groups[0].rules;
    const used = new Set(rules.flatMap((r: any) => metricNamesInExpr(r.expr)));
    for (const name of ['kafka_controller_kafkacontroller_offlinepartitionscount', 'kafka_server_replicamanager_underreplicatedpartitions',
      'kafka_controller_kafkacontroller_activecontrollercount', 'kafka_server_replicamanager_isrshrinks_total', 'kafka_log_log_size']) {
      expect(used.has(name)).toBe(true);
      expect(jmxMetricNames()).toContain(name);
    }
    for (const r of config.rules) {
      const domain = r.pattern.slice(0, r.pattern.indexOf('<'));
      const type = /type=([A-Za-z]+)/.exec(r.pattern)![1];
      expect(config.includeObjectNames.some((o: string) => o.startsWith(`${domain}:type=${type}`))).toBe(true);
    }
  });
});

describe('KafkaCluster, combined nodes', () => {
  const { kafka, objs } = synth({ topology: KafkaTopology.COMBINED, brokers: 3 });

  test('one StatefulSet whose nodes are brokers and voters; valid manifests under the production policy', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    expect(objs.filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata.name)).toEqual(['events-broker']);
    expect(objs.some((o) => o.metadata.name === 'events-controllers')).toBe(false);
    const p = props(find(objs, 'ConfigMap', 'events-config').data['combined.properties']);
    expect(p['process.roles']).toBe('broker,controller');
    expect(p['controller.quorum.voters']).toBe('0@events-broker-0.events-brokers:9093,1@events-broker-1.events-brokers:9093,2@events-broker-2.events-brokers:9093');
    expect(kafka.controllers).toBe(3);
    const pod = podOf(objs, 'events-broker');
    expect(envOf(container(pod, 'kafka')).ROLE).toBe('combined');
    expect(container(pod, 'kafka').ports.map((p2: any) => p2.containerPort)).toEqual([9092, 9093, 9404]);
    expect(find(objs, 'Service', 'events-brokers').spec.ports.map((p2: any) => p2.port)).toEqual([9092, 9093]);
  });

  test('a single node: replication 1, no PDB, a warning that it is not highly available', () => {
    const { chart, objs: single } = synth({ topology: KafkaTopology.COMBINED, brokers: 1 });
    const p = props(find(single, 'ConfigMap', 'events-config').data['combined.properties']);
    expect(p['default.replication.factor']).toBe('1');
    expect(p['min.insync.replicas']).toBe('1');
    expect(p['offsets.topic.replication.factor']).toBe('1');
    expect(single.some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
    const warnings = chart.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => m.data));
    expect(warnings.join('\n')).toMatch(/brokers = 1: fewer than 3 brokers/);
    expectValidManifests(single);
  });
});

describe('KafkaCluster, SCRAM + TLS + rack awareness + external NodePort + topics + users + UI + backup', () => {
  const { kafka, objs } = synth(secure);

  test('valid manifests under the production policy, and no password in any manifest', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    // Configuration holds no password: SASL logins are written at start from Secret-backed variables.
    for (const data of Object.values(find(objs, 'ConfigMap', 'events-config').data)) expect(data).not.toMatch(/password/i);
    for (const o of objs.filter((x) => x.kind === 'ConfigMap')) {
      for (const script of Object.values(o.data ?? {}) as string[]) {
        for (const m of script.matchAll(/password=(\S{0,20})/g)) expect(m[1]).toMatch(/^(\\"\$|"\$|%s|\$)/);
      }
    }
    expect(kafka.securityProtocol).toBe('SASL_SSL');
    expect(kafka.saslMechanism).toBe('SCRAM-SHA-512');
    expect(kafka.adminPasswordSecret).toEqual({ secretName: 'events-admin', key: 'password' });
    expect(kafka.userPasswordSecrets).toEqual({
      'orders-service': { secretName: 'events-user-orders-service', key: 'password' },
      'analytics': { secretName: 'analytics-kafka', key: 'pw' },
    });
    expect(kafka.tlsSecretName).toBe('events-tls');
    expect(kafka.externalBootstrapServers).toBe('kafka.example.com:31090,kafka.example.com:31091,kafka.example.com:31092');
    expect(kafka.passwordGeneratorJobs.map((j) => j.name)).toEqual([
      expect.stringMatching(/^events-admin-gen-[0-9a-f]{8}$/), expect.stringMatching(/^events-user-orders-service-gen-[0-9a-f]{8}$/),
    ]);
  });

  test('listeners: SASL_SSL inside and outside, SCRAM for inter-broker traffic, a PEM keystore', () => {
    const p = props(find(objs, 'ConfigMap', 'events-config').data['broker.properties']);
    expect(p['listener.security.protocol.map']).toBe('CONTROLLER:PLAINTEXT,INTERNAL:SASL_SSL,EXTERNAL:SASL_SSL');
    expect(p['sasl.mechanism.inter.broker.protocol']).toBe('SCRAM-SHA-512');
    expect(p['ssl.keystore.type']).toBe('PEM');
    expect(p['ssl.truststore.location']).toBe('/etc/kafka/tls/ca.crt');
    expect(p['replica.selector.class']).toBe('org.apache.kafka.common.replica.RackAwareReplicaSelector');
    const env = envOf(container(podOf(objs, 'events-broker'), 'kafka'));
    expect(env.ADMIN_PASSWORD).toEqual({ secretKeyRef: { name: 'events-admin', key: 'password' } });
    expect(env.EXTERNAL_HOSTS).toBe('kafka.example.com kafka.example.com kafka.example.com');
    expect(env.EXTERNAL_PORTS).toBe('31090 31091 31092');
    expect(env.RACK_FILE).toBe('/run/rack/rack');
    // Controllers format their storage with the admin's SCRAM credential (bootstrap metadata).
    expect(envOf(container(podOf(objs, 'events-controller'), 'kafka')).ADMIN_PASSWORD).toEqual({ secretKeyRef: { name: 'events-admin', key: 'password' } });
  });

  test('cert-manager Certificate covers the bootstrap name, every broker and the external host, with a PKCS#8 key', () => {
    const cert = find(objs, 'Certificate', 'events-brokers');
    expect(cert.spec.secretName).toBe('events-tls');
    expect(cert.spec.issuerRef).toEqual({ name: 'internal-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    expect(cert.spec.dnsNames).toEqual(expect.arrayContaining(['events', 'events.shop.svc', '*.events-brokers.shop.svc', 'kafka.example.com']));
    expect(cert.spec.privateKey.encoding).toBe('PKCS8');
  });

  test('rack awareness: an init container reads the node label with a token only it mounts; the ClusterRole only gets nodes', () => {
    const pod = podOf(objs, 'events-broker');
    const rack = pod.initContainers.find((c: any) => c.name === 'rack');
    expect(envOf(rack).RACK_LABEL).toBe('topology.kubernetes.io/zone');
    expect(envOf(rack).NODE_NAME).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    expect(rack.volumeMounts.map((m: any) => m.name)).toContain('rack-token');
    expect(container(pod, 'kafka').volumeMounts.map((m: any) => m.name)).not.toContain('rack-token');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('events-rack');
    const role = find(objs, 'ClusterRole', 'shop-events-kafka-rack');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]);
    expect(role.metadata.namespace).toBeUndefined();
    expect(find(objs, 'ClusterRoleBinding', 'shop-events-kafka-rack').subjects).toEqual([{ kind: 'ServiceAccount', name: 'events-rack', namespace: 'shop' }]);
    // Controllers do not need a rack.
    expect(podOf(objs, 'events-controller').initContainers.map((c: any) => c.name)).toEqual(['jmx-agent']);
  });

  test('external listener: one NodePort Service per broker, pinned to its pod; the NetworkPolicy admits the allowed range', () => {
    for (let i = 0; i < 3; i++) {
      const svc = find(objs, 'Service', `events-broker-${i}-external`);
      expect(svc.spec.type).toBe('NodePort');
      expect(svc.spec.ports[0].nodePort).toBe(31090 + i);
      expect(svc.spec.selector['statefulset.kubernetes.io/pod-name']).toBe(`events-broker-${i}`);
      // Any node forwards to the broker: a rescheduled broker or a DNS name over all nodes keeps working.
      expect(svc.spec.externalTrafficPolicy).toBe('Cluster');
    }
    const np = find(objs, 'NetworkPolicy', 'events');
    expect(np.spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 9094 }] });
  });

  test('setup Job: users and topics from props, passwords from Secrets, the CA mounted', () => {
    const job = objs.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('events-setup-'));
    const c = job.spec.template.spec.containers[0];
    const env = envOf(c);
    expect(env.USERS).toBe('orders-service analytics');
    expect(env.USER_PASSWORD_1).toEqual({ secretKeyRef: { name: 'analytics-kafka', key: 'pw' } });
    expect(env.TOPICS).toBe('orders|12|3|retention.ms=259200000;min.insync.replicas=2\ncustomers|3|3|cleanup.policy=compact,delete');
    expect(env.BOOTSTRAP).toBe('events:9092');
    expect(env.SECURITY_PROTOCOL).toBe('SASL_SSL');
    expect(c.volumeMounts.map((m: any) => m.name)).toContain('tls-ca');
    expect(kafka.setupJob).toBeDefined();
    expect(kafka.topics.map((t) => t.name)).toEqual(['orders', 'customers']);
  });

  test('TLS: clients (exporter, console, Jobs) mount only ca.crt, readable by their own uid; only the brokers mount the key', () => {
    // kafka_exporter (65534) and kafka-ui (1000) run without fsGroup: a 0440 file would stay root:root, unreadable.
    expect(filePermissionViolations(objs)).toEqual([]);
    expect(privateKeyViolations(objs)).toEqual([]);
    const caOnly = { name: 'tls-ca', secret: { secretName: 'events-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } };
    for (const spec of [
      find(objs, 'Deployment', 'events-exporter').spec.template.spec,
      find(objs, 'Deployment', 'events-ui').spec.template.spec,
      objs.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('events-setup-')).spec.template.spec,
      find(objs, 'CronJob', 'events-backup').spec.jobTemplate.spec.template.spec,
    ]) {
      expect(spec.volumes.filter((v: any) => v.secret?.secretName === 'events-tls')).toEqual([caOnly]);
    }
    expect(podOf(objs, 'events-broker').volumes).toContainEqual({ name: 'tls', secret: { secretName: 'events-tls', defaultMode: 0o440 } });
    const restore = synth({ ...secure, restore: { source: { endpoint: 'http://minio.minio.svc:9000', bucket: 'kafka-backups', credentialsSecret: 'minio-backup' }, backupId: 'latest' } }).objs;
    expect(privateKeyViolations(restore)).toEqual([]);
    expect(filePermissionViolations(restore)).toEqual([]);
  });

  test('exporter and console authenticate as admin through Secret-backed variables', () => {
    const exporter = find(objs, 'Deployment', 'events-exporter').spec.template.spec.containers[0];
    expect(exporter.args).toEqual(expect.arrayContaining(['--sasl.enabled', '--sasl.mechanism=scram-sha512', '--sasl.username=admin',
      '--tls.enabled', '--tls.ca-file=/etc/kafka/tls/ca.crt', '--kafka.server=events:9092']));
    // The password comes from the variable kafka_exporter reads when --sasl.password is empty, never an argument.
    expect(exporter.args.some((a: string) => a.startsWith('--sasl.password'))).toBe(false);
    expect(envOf(exporter).SASL_USER_PASSWORD).toEqual(expect.objectContaining({ secretKeyRef: expect.objectContaining({ name: 'events-admin' }) }));
    const ui = envOf(find(objs, 'Deployment', 'events-ui').spec.template.spec.containers[0]);
    expect(ui.KAFKA_CLUSTERS_0_READONLY).toBe('true');
    expect(ui.KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG).toContain('password="$(KAFKA_ADMIN_PASSWORD)"');
    expect(ui.KAFKA_CLUSTERS_0_PROPERTIES_SSL_TRUSTSTORE_LOCATION).toBe('/etc/kafka/tls/ca.crt');
    // Allowed clients reach the brokers and the console.
    expect(find(objs, 'NetworkPolicy', 'events').spec.ingress[1].ports).toEqual([{ protocol: 'TCP', port: 9092 }, { protocol: 'TCP', port: 8080 }]);
  });

  test('backup: the failed-backup alert watches this CronJob through kube-state-metrics', () => {
    const rule = find(objs, 'PrometheusRule', 'events').spec.groups[0].rules.find((r: any) => r.alert === 'KafkaBackupFailed');
    expect(rule.expr).toContain('owner_name="events-backup"');
    expectKnownMetrics([rule.expr], loadMetricList('kube_state_metrics'));
  });

  test('backup: topic configs, ACLs and offsets dumped with the admin login, uploaded with retention', () => {
    const cj = find(objs, 'CronJob', 'events-backup');
    expect(cj.spec.schedule).toBe('30 1 * * *');
    const spec = cj.spec.jobTemplate.spec.template.spec;
    const dump = spec.initContainers[0];
    expect(dump.command[2]).toContain('kafka-consumer-groups.sh');
    expect(dump.command[2]).toContain('kafka-acls.sh');
    expect(envOf(dump).OUT_DIR).toBe('/backup');
    expect(spec.volumes.map((v: any) => v.name)).toContain('tls-ca');
    expect(envOf(spec.containers[0]).RETENTION_DAYS).toBe('14');
  });

  test('every generated script passes shellcheck', () => {
    const scripts = scriptsOf(objs);
    expect(scripts.some((s) => s.name.endsWith('/rack'))).toBe(true);
    expect(scripts.some((s) => s.name.endsWith('/dump'))).toBe(true);
    for (const s of scripts) shellcheckScript(s.script, s.name, s.shell);
  });

  test('manifests are stable (reviewed snapshot)', () => {
    expect(objs.map((o) => (o.kind === 'Job' && o.metadata.name.startsWith('events-setup-') ? { ...o, metadata: { ...o.metadata, name: 'events-setup-<hash>' } } : o)))
      .toMatchSnapshot();
  });
});

describe('KafkaCluster, other modes', () => {
  test('an unauthenticated external listener: refused by default; with the opt-in it warns while open to every address', () => {
    const ext = { type: KafkaExternalAccessType.NODE_PORT, advertisedHosts: ['k.example.com'] };
    expect(errorOf({ external: ext })).toMatch(/invalid external\.allowUnauthenticated = undefined/);
    const warningsOf = (p: KafkaClusterProps) => synth(p).chart.node.findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => String(m.data)));
    expect(warningsOf({ external: { ...ext, allowUnauthenticated: true } }).join('\n'))
      .toMatch(/external\.allowedCidrs = \["0\.0\.0\.0\/0"\]: an unauthenticated external listener open to every address/);
    expect(warningsOf({ external: { ...ext, allowUnauthenticated: true, allowedCidrs: ['10.0.0.0/8'] } }).join('\n')).not.toMatch(/external/);
    // With SCRAM neither the opt-in nor a warning is needed.
    expect(warningsOf({ ...secure, external: ext }).join('\n')).not.toMatch(/external/);
  });

  test('LoadBalancer external listener: one load balancer per broker, source ranges, annotations', () => {
    const { kafka, objs } = synth({
      external: {
        type: KafkaExternalAccessType.LOAD_BALANCER,
        advertisedHosts: ['b0.kafka.example.com', 'b1.kafka.example.com', 'b2.kafka.example.com'],
        annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'kafka.example.com' },
        allowedCidrs: ['10.0.0.0/8'],
        allowUnauthenticated: true,
      },
    });
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    const svc = find(objs, 'Service', 'events-broker-1-external');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports[0].port).toBe(9094);
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['10.0.0.0/8']);
    // The load balancer health-checks nodes; Local keeps the client address for the source ranges.
    expect(svc.spec.externalTrafficPolicy).toBe('Local');
    expect(svc.metadata.annotations).toEqual({ 'external-dns.alpha.kubernetes.io/hostname': 'kafka.example.com' });
    expect(kafka.externalBootstrapServers).toBe('b0.kafka.example.com:9094,b1.kafka.example.com:9094,b2.kafka.example.com:9094');
    expect(props(find(objs, 'ConfigMap', 'events-config').data['broker.properties'])['listener.security.protocol.map'])
      .toBe('CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT');
  });

  test('TLS from your own Secret, without SCRAM: SSL, no Certificate', () => {
    const { kafka, objs } = synth({ tls: { secretName: 'kafka-certs' } });
    expectValidManifests(objs);
    expect(kafka.securityProtocol).toBe('SSL');
    expect(objs.some((o) => o.kind === 'Certificate')).toBe(false);
    expect(podOf(objs, 'events-broker').volumes).toContainEqual({ name: 'tls', secret: { secretName: 'kafka-certs', defaultMode: 0o440 } });
  });

  test('monitoring disabled: no agent, no exporter, no monitoring objects', () => {
    const { objs } = synth({ monitoring: { enabled: false } });
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    expect(objs.some((o) => ['ServiceMonitor', 'PrometheusRule', 'Deployment'].includes(o.kind))).toBe(false);
    const pod = podOf(objs, 'events-broker');
    expect(pod.initContainers).toBeUndefined();
    expect(envOf(container(pod, 'kafka')).JMX_AGENT_OPTS).toBe('');
    expect(envOf(container(pod, 'kafka')).JMX_AGENT_JAR).toBe('');
  });

  test('typed broker settings and free-form overrides reach server.properties; heap follows heapPercent', () => {
    const { objs } = synth({
      brokers: 5,
      defaultReplicationFactor: 3,
      minInsyncReplicas: 2,
      numPartitions: 12,
      retention: Duration.hours(72),
      retentionBytes: Size.gibibytes(10),
      messageMaxBytes: Size.mebibytes(8),
      autoCreateTopics: true,
      heapPercent: 40,
      config: { 'num.io.threads': '16', 'log.segment.bytes': '536870912' },
      brokerResources: { cpu: { request: Cpu.units(2), limit: Cpu.units(4) }, memory: { limit: Size.gibibytes(10) } },
      version: KafkaVersion.V3_9,
    });
    const p = props(find(objs, 'ConfigMap', 'events-config').data['broker.properties']);
    expect(p['num.partitions']).toBe('12');
    expect(p['log.retention.ms']).toBe(String(72 * 3600 * 1000));
    expect(p['log.retention.bytes']).toBe(String(10 * 2 ** 30));
    expect(p['message.max.bytes']).toBe(String(8 * 2 ** 20));
    expect(p['replica.fetch.max.bytes']).toBe(String(8 * 2 ** 20));
    expect(p['auto.create.topics.enable']).toBe('true');
    expect(p['num.io.threads']).toBe('16');
    expect(p['log.segment.bytes']).toBe('536870912');
    const kafka = container(podOf(objs, 'events-broker'), 'kafka');
    expect(envOf(kafka).SERVER_HEAP_OPTS).toBe('-Xms4096m -Xmx4096m');
    expect(kafka.image).toBe('docker.io/apache/kafka:3.9.2');
    // Kafka 3.9 logs through reload4j.
    expect(envOf(kafka).SERVER_LOG4J_OPTS).toBe('-Dlog4j.configuration=file:/etc/kafka-config/log4j.properties');
    expect(find(objs, 'ConfigMap', 'events-config').data['log4j.properties']).toContain('log4j.rootLogger=INFO, stdout');
    expect(find(objs, 'StatefulSet', 'events-broker').spec.replicas).toBe(5);
  });

  test('addTopic after construction: the setup Job carries it, and its name changes with the declaration', () => {
    const a = synth({}, 'shop', (k) => k.addTopic('payments', { partitions: 6 }));
    const b = synth({}, 'shop', (k) => k.addTopic('payments', { partitions: 12 }));
    const jobA = a.objs.find((o) => o.kind === 'Job');
    const jobB = b.objs.find((o) => o.kind === 'Job');
    expect(envOf(jobA.spec.template.spec.containers[0]).TOPICS).toBe('payments|6|3|');
    expect(jobA.metadata.name).toMatch(/^events-setup-[0-9a-f]{8}$/);
    expect(jobA.metadata.name).not.toBe(jobB.metadata.name);
    expect(synth({}, 'shop', (k) => k.addTopic('payments', { partitions: 6 })).objs.find((o) => o.kind === 'Job').metadata.name).toBe(jobA.metadata.name);
    expectValidManifests(a.objs);
    expectProductionPolicy(a.objs);
  });

  test('restore Job: downloads a backup, then re-creates topics, ACLs and offsets', () => {
    const { objs } = synth({
      restore: { source: { endpoint: 'http://minio.minio.svc:9000', bucket: 'kafka-backups', credentialsSecret: 'minio-backup', prefix: 'events' }, backupId: 'latest' },
    });
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    const job = objs.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('events-restore-'));
    expect(job.spec.template.spec.initContainers[0].name).toBe('restore-download');
    expect(envOf(job.spec.template.spec.containers[0]).RESTORE_OFFSETS).toBe('false');
    expect(job.spec.template.spec.containers[0].command[2]).toContain('--reset-offsets');
    for (const s of scriptsOf(objs)) shellcheckScript(s.script, s.name, s.shell);
  });
});

describe('every supported Kafka line', () => {
  const lines: Array<[string, KafkaVersion, string, boolean]> = [
    ['4.4', KafkaVersion.V4_4, '4.4.0', true],
    ['4.3', KafkaVersion.V4_3, '4.3.2', true],
    ['4.1', KafkaVersion.V4_1, '4.1.2', true],
    ['3.9', KafkaVersion.V3_9, '3.9.2', false],
  ];
  test.each(lines)('Kafka %s: its image on every Kafka container, its logging backend, valid manifests in both topologies', (line, version, tag, log4j2) => {
    expect(version.majorMinor).toBe(line);
    for (const topology of [KafkaTopology.DEDICATED_CONTROLLERS, KafkaTopology.COMBINED]) {
      const { objs } = synth({ ...secure, topology, controllers: topology === KafkaTopology.COMBINED ? undefined : 3, version });
      expectValidManifests(objs);
      expectProductionPolicy(objs);
      const kafkaImages = objs.filter((o) => o.kind === 'StatefulSet' || o.kind === 'Job' || o.kind === 'CronJob')
        .flatMap((o) => {
          const spec = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
          return [...(spec.initContainers ?? []), ...spec.containers];
        })
        .map((c: any) => c.image as string).filter((i) => i.startsWith('docker.io/apache/kafka:'));
      expect(kafkaImages.length).toBeGreaterThan(2);
      expect(new Set(kafkaImages)).toEqual(new Set([`docker.io/apache/kafka:${tag}`]));
      const config = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'events-config').data;
      expect(Object.keys(config).includes('log4j2.yaml')).toBe(log4j2);
      expect(Object.keys(config).includes('log4j.properties')).toBe(!log4j2);
      const sts = objs.filter((o) => o.kind === 'StatefulSet');
      // The version is a label of pods, never of the selector or the claims (those cannot change on upgrade).
      for (const o of sts) {
        expect(o.spec.template.metadata.labels['app.kubernetes.io/version']).toBe(tag);
        expect(o.spec.selector.matchLabels['app.kubernetes.io/version']).toBeUndefined();
      }
    }
  });

  test('the default is the newest line', () => {
    expect(container(podOf(synth().objs, 'events-broker'), 'kafka').image).toBe(`docker.io/apache/kafka:${KafkaVersion.V4_4.imageTag}`);
  });

  test('ofTag takes patch releases of any line from 3.9 on; older lines and non-semver tags are refused', () => {
    expect(KafkaVersion.ofTag('4.4.1').majorMinor).toBe('4.4');
    expect(errorOf({ version: KafkaVersion.ofTag('4.2.2') })).toBe('no error');
    expect(errorOf({ version: KafkaVersion.ofTag('3.8.1') })).toMatch(/version = "3.8.1".*3\.9\.x or 4\.x/);
    expect(errorOf({ version: KafkaVersion.ofTag('latest') })).toMatch(/version = "latest"/);
  });
});

describe('validation: each rule fails at synth with the prop, the value and what is allowed', () => {
  test.each<[string, KafkaClusterProps, RegExp]>([
    ['min.insync.replicas <= replication factor', { minInsyncReplicas: 3, defaultReplicationFactor: 2 }, /invalid minInsyncReplicas = 3: must be <= defaultReplicationFactor \(2\)/],
    ['replication factor <= brokers', { brokers: 3, defaultReplicationFactor: 4 }, /invalid defaultReplicationFactor = 4: must be <= the broker count \(3\)/],
    ['controller quorum odd', { controllers: 4 }, /invalid controllers = 4: must be odd/],
    ['controller quorum at most 5', { controllers: 7 }, /invalid controllers = 7: must be an integer from 1 to 5/],
    ['combined node count odd', { topology: KafkaTopology.COMBINED, brokers: 2 }, /invalid brokers = 2: must be odd/],
    ['no controllers with combined', { topology: KafkaTopology.COMBINED, controllers: 3 }, /invalid controllers = 3: must not be set with KafkaTopology.COMBINED/],
    ['topic replication factor <= brokers', { topics: [{ name: 'orders', replicationFactor: 5 }] }, /invalid topics\[0\]\.replicationFactor = 5: must be <= the broker count \(3\)/],
    ['topic name', { topics: [{ name: 'bad topic' }] }, /invalid topics\[0\]\.name = "bad topic"/],
    ['topic declared twice', { topics: [{ name: 'a' }, { name: 'a' }] }, /invalid topics\[1\]\.name = "a": is declared twice/],
    ['topic min.insync.replicas <= its replication factor', { topics: [{ name: 'a', replicationFactor: 2, config: { 'min.insync.replicas': '3' } }] },
      /invalid topics\[0\]\.config\.min\.insync\.replicas = "3"/],
    ['external node ports unique', { external: { type: KafkaExternalAccessType.NODE_PORT, advertisedHosts: ['k.example.com'], ports: [31000, 31000, 31001] } },
      /invalid external\.ports = \[31000,31000,31001\]: must be unique/],
    ['external node ports in the NodePort range', { external: { type: KafkaExternalAccessType.NODE_PORT, advertisedHosts: ['k.example.com'], ports: [9094, 9095, 9096] } },
      /invalid external\.ports\[0\] = 9094: must be an integer from 30000 to 32767/],
    ['external hosts one per broker for LoadBalancer', { external: { type: KafkaExternalAccessType.LOAD_BALANCER, advertisedHosts: ['k.example.com'] } },
      /invalid external\.advertisedHosts = \["k.example.com"\]: must list one address per broker \(3\)/],
    ['external host:port distinct for LoadBalancer', { external: { type: KafkaExternalAccessType.LOAD_BALANCER, advertisedHosts: ['a.example.com', 'a.example.com', 'b.example.com'] } },
      /invalid external\.ports = \[9094,9094,9094\]: must give every broker a distinct host:port/],
    ['an external listener needs authentication or an explicit opt-in',
      { external: { type: KafkaExternalAccessType.NODE_PORT, advertisedHosts: ['k.example.com'], allowedCidrs: ['203.0.113.0/24'] } },
      /invalid external\.allowUnauthenticated = undefined: must be true to expose a listener without authentication.*SCRAM_SHA_512/],
    ['allowUnauthenticated is a boolean (plain JavaScript callers)',
      { external: { type: KafkaExternalAccessType.NODE_PORT, advertisedHosts: ['k.example.com'], allowUnauthenticated: 'yes' as any } },
      /invalid external\.allowUnauthenticated = "yes"/],
    ['restoreConsumerOffsets needs restore', { restoreConsumerOffsets: true }, /invalid restoreConsumerOffsets = true: needs restore/],
    ['restoreConsumerOffsets is a boolean (plain JavaScript callers)', { restoreConsumerOffsets: 'yes' as any }, /invalid restoreConsumerOffsets = "yes": must be a boolean/],
    ['CPU request <= limit', { brokerResources: { cpu: { request: Cpu.units(4), limit: Cpu.units(2) } } }, /invalid brokerResources\.cpu\.request = "4": must be <= the CPU limit/],
    ['memory request <= limit', { controllerResources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } },
      /invalid controllerResources\.memory\.request = "2Gi": must be <= the memory limit \(1Gi\)/],
    ['heap at least 256Mi', { controllerResources: { memory: { limit: Size.mebibytes(384) } } }, /invalid controllerResources\.memory\.limit = "384Mi": must give the JVM at least 256Mi/],
    ['reserved config keys', { config: { 'process.roles': 'broker' } }, /invalid config\.process\.roles = "process\.roles": is set by the construct/],
    ['typed props are not overridden by config', { config: { 'min.insync.replicas': '1' } }, /invalid config\.min\.insync\.replicas/],
    ['listener settings are reserved', { config: { 'listener.name.internal.ssl.client.auth': 'required' } }, /invalid config\.listener\.name\.internal/],
    ['users need SCRAM', { users: [{ name: 'app' }] }, /invalid users = \["app"\]: need authentication/],
    ['user names unique', { authentication: KafkaAuthentication.SCRAM_SHA_512, users: [{ name: 'app' }, { name: 'app' }] }, /invalid users\[1\]\.name = "app"/],
    ['Kafka 3.9 or newer', { version: KafkaVersion.ofTag('3.7.0') }, /invalid version = "3\.7\.0": must be an Apache Kafka 3\.9\.x or 4\.x image tag/],
    ['JMX jar url and checksum together', { jmxExporter: { jarUrl: 'https://mirror.example.com/jmx.jar' } }, /invalid jmxExporter/],
    ['issuer kind needs an issuer', { tls: { issuerKind: CertificateIssuerKind.CLUSTER_ISSUER } }, /invalid tls\.issuerKind = "ClusterIssuer": needs tls\.issuerName/],
    ['image tags pinned', { image: { tag: 'latest' } }, /invalid image\.tag = "latest"/],
  ])('%s', (_, p, message) => {
    expect(errorOf(p)).toMatch(message);
  });

  test('rack awareness and cert-manager TLS need the chart namespace', () => {
    expect(errorOf({ rackAwareness: {} }, undefined, null)).toMatch(/invalid rackAwareness = "enabled": needs the chart namespace/);
    expect(errorOf({ tls: { issuerName: 'ca' } }, undefined, null)).toMatch(/invalid tls\.issuerName = "ca": needs the chart namespace/);
  });

  test('addTopic checks like the topics prop', () => {
    expect(errorOf({}, (k) => k.addTopic('orders', { partitions: 0 }))).toMatch(/invalid topics\[0\]\.partitions = 0/);
    expect(errorOf({}, (k) => k.addTopic('__consumer_offsets'))).toMatch(/must not start with '__'/);
  });
});

test('every built-in Kafka alert, in every mode, has its runbook section', () => {
  const runbooks = readFileSync(join(__dirname, '..', '..', 'docs', 'runbooks.md'), 'utf8');
  const kafkaPart = runbooks.slice(runbooks.indexOf('\n## Kafka\n'));
  for (const p of [{}, { topology: KafkaTopology.COMBINED, brokers: 1 }, secure]) {
    const rules = find(synth(p).objs, 'PrometheusRule', 'events').spec.groups[0].rules;
    for (const r of rules) expect(kafkaPart).toContain(`\n### ${r.alert}\n`);
  }
});
