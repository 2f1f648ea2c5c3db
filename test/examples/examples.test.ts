/** Every example app synthesizes, passes the harness, and matches its reviewed snapshot. */
import { Testing } from 'cdk8s';
import { ShopCacheChart } from '../../examples/redis-cluster/main';
import { checkRulesWithPromtool, expectProductionPolicy, expectValidManifests } from '../harness';

describe('examples/redis-cluster', () => {
  const app = Testing.app();
  const chart = new ShopCacheChart(app, 'redis-cluster');
  const objs = Testing.synth(chart) as any[];

  test('every object passes the Kubernetes and CRD schemas', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    expect(objs.every((o) => o.metadata.namespace === 'shop')).toBe(true);
  });

  test('its alerts pass promtool', () => {
    for (const rule of objs.filter((o) => o.kind === 'PrometheusRule')) checkRulesWithPromtool(rule.spec);
  });

  test('the app wires to the connection facts', () => {
    expect(chart.redis.host).toBe('cache.shop.svc');
    expect(chart.redis.passwordSecretName).toBe('cache-auth');
  });

  test('snapshot', () => {
    expect(objs).toMatchSnapshot();
  });
});
