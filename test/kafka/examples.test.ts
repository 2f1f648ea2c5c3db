/** The Kafka example apps synthesize, pass the harness, and match their reviewed snapshots. */
import { Testing } from 'cdk8s';
import { EventBusChart } from '../../examples/kafka-dedicated-controllers/main';
import { TelemetryKafkaChart } from '../../examples/kafka-rack-aware/main';
import { checkRulesWithPromtool, expectProductionPolicy, expectValidManifests, scriptsOf, shellcheckScript } from '../harness';

describe.each([
  ['examples/kafka-dedicated-controllers', () => new EventBusChart(Testing.app(), 'kafka-dedicated-controllers'), 'events.shop.svc:9092', 'PLAINTEXT'],
  ['examples/kafka-rack-aware', () => new TelemetryKafkaChart(Testing.app(), 'kafka-rack-aware'), 'telemetry.iot.svc:9092', 'SASL_SSL'],
])('%s', (_, make, bootstrap, protocol) => {
  const chart = make();
  const objs = Testing.synth(chart) as any[];
  // The setup Job's name carries a hash of the declared topics; keep the snapshot readable when they change.
  const stable = objs.map((o) => (o.kind === 'Job' && /-setup-[0-9a-f]{8}$/.test(o.metadata.name)
    ? { ...o, metadata: { ...o.metadata, name: o.metadata.name.replace(/[0-9a-f]{8}$/, '<hash>') } } : o));

  test('every object passes the Kubernetes and CRD schemas and the production policy; alerts pass promtool', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    for (const rule of objs.filter((o) => o.kind === 'PrometheusRule')) checkRulesWithPromtool(rule.spec);
  });

  test('scripts pass shellcheck', () => {
    for (const s of scriptsOf(objs)) shellcheckScript(s.script, s.name, s.shell);
  });

  test('the app wires to the connection facts', () => {
    expect(chart.kafka.bootstrapServers).toBe(bootstrap);
    expect(chart.kafka.securityProtocol).toBe(protocol);
    expect(chart.kafka.controllerStatefulSet).toBeDefined();
    expect(chart.kafka.setupJob).toBeDefined();
  });

  test('snapshot', () => {
    expect(stable).toMatchSnapshot();
  });
});

test('the rack-aware example spreads six brokers over zones with a rack from each node', () => {
  const objs = Testing.synth(new TelemetryKafkaChart(Testing.app(), 'kafka-rack-aware')) as any[];
  const broker = objs.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'telemetry-broker');
  expect(broker.spec.replicas).toBe(6);
  expect(broker.spec.template.spec.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' });
  expect(broker.spec.template.spec.initContainers.map((c: any) => c.name)).toContain('rack');
  expect(objs.find((o) => o.kind === 'ClusterRole').rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]);
});
