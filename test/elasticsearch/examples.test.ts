/** The Elasticsearch example apps synthesize, pass the harness, and match their reviewed snapshots. */
import { Testing } from 'cdk8s';
import { LogStorageChart } from '../../examples/elasticsearch-hot-cold/main';
import { ZoneAwareSearchChart } from '../../examples/elasticsearch-zone-aware/main';
import { WARNING_METADATA } from '../../src/core/validation';
import { checkRulesWithPromtool, expectKnownMetrics, expectProductionPolicy, expectValidManifests, loadMetricList, scriptsOf, shellcheckScript } from '../harness';

describe.each([
  ['examples/elasticsearch-hot-cold', () => new LogStorageChart(Testing.app(), 'elasticsearch-hot-cold'), 'https://logs.observability.svc:9200'],
  ['examples/elasticsearch-zone-aware', () => new ZoneAwareSearchChart(Testing.app(), 'elasticsearch-zone-aware'), 'https://catalog.search.svc:9200'],
])('%s', (_, make, url) => {
  const chart = make();
  const objs = Testing.synth(chart) as any[];

  test('every object passes the Kubernetes and CRD schemas and the production policy; alerts pass promtool', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    for (const rule of objs.filter((o) => o.kind === 'PrometheusRule')) {
      checkRulesWithPromtool(rule.spec);
      expectKnownMetrics(rule.spec.groups[0].rules.map((r: any) => r.expr), loadMetricList('elasticsearch_exporter'), ['up']);
    }
  });

  test('scripts pass shellcheck', () => {
    for (const s of scriptsOf(objs)) shellcheckScript(s.script, s.name, s.shell);
  });

  test('the app wires to the connection facts, and its sizing passes the capacity check', () => {
    expect(chart.elasticsearch.url).toBe(url);
    expect(chart.elasticsearch.node.metadata.filter((m) => m.type === WARNING_METADATA)).toEqual([]);
    expect(chart.elasticsearch.capacityPlan).toBeDefined();
  });

  test('snapshot', () => {
    expect(objs).toMatchSnapshot();
  });
});

test('hot-cold: dedicated masters, hot and cold tiers, ILM, snapshots', () => {
  const objs = Testing.synth(new LogStorageChart(Testing.app(), 'x')) as any[];
  expect(objs.filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata.name).sort()).toEqual(['logs-cold', 'logs-hot', 'logs-master']);
  const setup = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('logs-setup-')).data;
  expect(Object.keys(setup).sort()).toEqual(['exporter-role.json', 'ilm.logs-30d.json', 'repository.json', 'slm.json', 'template.logs-apps.json']);
});

test('zone-aware: one StatefulSet per tier and zone', () => {
  const objs = Testing.synth(new ZoneAwareSearchChart(Testing.app(), 'x')) as any[];
  const sts = objs.filter((o) => o.kind === 'StatefulSet');
  expect(sts).toHaveLength(12);
  expect(sts.every((o) => o.spec.replicas === 1)).toBe(true);
});
