/** Every example app synthesizes, passes the harness, and matches its reviewed snapshot. */
import { Testing } from 'cdk8s';
import { PaymentsDatabaseChart } from '../../examples/mysql-group-replication/main';
import { OrdersDatabaseChart } from '../../examples/mysql-replication/main';
import { ShopCacheChart } from '../../examples/redis-cluster/main';
import { checkRulesWithPromtool, expectProductionPolicy, expectValidManifests, scriptsOf, shellcheckScript } from '../harness';

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

describe.each([
  ['examples/mysql-replication', () => new OrdersDatabaseChart(Testing.app(), 'mysql-replication'), 'orders.shop.svc'],
  ['examples/mysql-group-replication', () => new PaymentsDatabaseChart(Testing.app(), 'mysql-group-replication'), 'payments.payments.svc'],
])('%s', (_, make, host) => {
  const chart = make();
  const objs = Testing.synth(chart) as any[];

  test('every object passes the Kubernetes and CRD schemas and the production policy; alerts pass promtool', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    for (const rule of objs.filter((o) => o.kind === 'PrometheusRule')) checkRulesWithPromtool(rule.spec);
  });

  test('scripts pass shellcheck', () => {
    for (const s of scriptsOf(objs)) shellcheckScript(s.script, s.name, s.shell);
  });

  test('the app wires to the connection facts', () => {
    expect(chart.mysql.host).toBe(host);
  });

  test('snapshot', () => {
    expect(objs).toMatchSnapshot();
  });
});
