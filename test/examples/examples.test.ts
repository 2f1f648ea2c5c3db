/** Every example app synthesizes, passes the harness, and matches its reviewed snapshot. */
import { Testing } from 'cdk8s';
import { EcommercePlatformChart } from '../../examples/ecommerce-platform/main';
import { LoggingPlatformChart } from '../../examples/logging-platform/main';
import { PaymentsDatabaseChart } from '../../examples/mysql-group-replication/main';
import { OrdersDatabaseChart } from '../../examples/mysql-replication/main';
import { ShopCacheChart } from '../../examples/redis-cluster/main';
import { WARNING_METADATA } from '../../src/core/validation';
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

/** The clients a store's NetworkPolicy admits on its service ports, by `app.kubernetes.io/name`. */
const admittedServices = (np: any) => np.spec.ingress
  .flatMap((rule: any) => rule.from ?? [])
  .map((peer: any) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name'])
  .filter((n: string | undefined) => n !== undefined && n.endsWith('-service'))
  .sort();
const warningsOf = (chart: any) => chart.node.findAll().flatMap((c: any) => c.node.metadata.filter((m: any) => m.type === WARNING_METADATA));

describe('examples/ecommerce-platform', () => {
  const chart = new EcommercePlatformChart(Testing.app(), 'ecommerce-platform');
  const objs = Testing.synth(chart) as any[];

  test('every object passes the schemas and the production policy, in one namespace; alerts pass promtool; scripts pass shellcheck', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    expect(objs.every((o) => o.metadata.namespace === 'mall')).toBe(true);
    for (const rule of objs.filter((o) => o.kind === 'PrometheusRule')) checkRulesWithPromtool(rule.spec);
    for (const sc of scriptsOf(objs)) shellcheckScript(sc.script, sc.name, sc.shell);
  });

  test('four stores, each monitored and backed up, all part of the mall', () => {
    expect(objs.filter((o) => o.kind === 'PrometheusRule').map((o) => o.metadata.name).sort()).toEqual(['mall-cache', 'mall-db', 'mall-events', 'mall-search']);
    expect(objs.filter((o) => o.kind === 'CronJob').map((o) => o.metadata.name).sort()).toEqual(['mall-cache-backup', 'mall-db-backup', 'mall-events-backup']);
    // Elasticsearch backs up by a snapshot lifecycle policy, applied by its setup Job.
    const setup = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('mall-search-setup-'));
    expect(JSON.parse(setup.data['slm.json'])).toMatchObject({ schedule: '0 0 4 * * ?', retention: { expire_after: '14d' } });
    const workloads = objs.filter((o) => o.kind === 'StatefulSet');
    expect(workloads.every((o) => o.metadata.labels['app.kubernetes.io/part-of'] === 'mall')).toBe(true);
    // Every S3 client sends and checks checksums only where S3 requires them (AWS CLI 2.23+ defaults break
    // S3-compatible stores).
    const podSpecs = objs.map((o) => o.spec?.jobTemplate?.spec?.template?.spec ?? o.spec?.template?.spec).filter((p) => p);
    const s3Clients = podSpecs.flatMap((p) => [...(p.initContainers ?? []), ...p.containers]).filter((c) => /amazon\/aws-cli:/.test(c.image));
    expect(s3Clients.length).toBeGreaterThanOrEqual(3);
    for (const c of s3Clients) {
      expect(c.env).toEqual(expect.arrayContaining([
        { name: 'AWS_REQUEST_CHECKSUM_CALCULATION', value: 'when_required' },
        { name: 'AWS_RESPONSE_CHECKSUM_VALIDATION', value: 'when_required' },
      ]));
    }
    expect(warningsOf(chart)).toEqual([]);
  });

  test('each store admits only the application services that use it', () => {
    const np = (name: string) => objs.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name);
    expect(admittedServices(np('mall-db'))).toEqual(['member-service', 'order-service', 'payment-service', 'product-service', 'search-service']);
    expect(admittedServices(np('mall-cache'))).toEqual(['cart-service', 'member-service', 'order-service', 'product-service']);
    expect(admittedServices(np('mall-events'))).toEqual(['order-service', 'payment-service', 'product-service', 'search-service']);
    const search = objs.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.startsWith('mall-search'));
    expect(search.flatMap(admittedServices).sort()).toEqual(expect.arrayContaining(['product-service', 'search-service']));
    expect(search.flatMap(admittedServices)).not.toContain('cart-service');
  });

  test('the app wires to the connection facts', () => {
    expect(chart.mysql.host).toBe('mall-db.mall.svc');
    expect(chart.redis.host).toBe('mall-cache.mall.svc');
    expect(chart.kafka.bootstrapServers).toContain('mall-events');
    expect(chart.elasticsearch.url).toMatch(/^https:\/\/mall-search/);
  });

  test('snapshot', () => {
    expect(objs).toMatchSnapshot();
  });
});

describe('examples/logging-platform', () => {
  const chart = new LoggingPlatformChart(Testing.app(), 'logging-platform');
  const objs = Testing.synth(chart) as any[];

  test('every object passes the schemas and the production policy; alerts pass promtool; scripts pass shellcheck', () => {
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    expect(objs.every((o) => o.metadata.namespace === 'logging')).toBe(true);
    for (const rule of objs.filter((o) => o.kind === 'PrometheusRule')) checkRulesWithPromtool(rule.spec);
    for (const sc of scriptsOf(objs)) shellcheckScript(sc.script, sc.name, sc.shell);
  });

  test('hot, warm and cold tiers behind dedicated masters, Kibana, and storage that meets the capacity rules', () => {
    const sets = objs.filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata.name).sort();
    expect(sets).toEqual(expect.arrayContaining(['logs-master', 'logs-hot', 'logs-warm', 'logs-cold']));
    expect(objs.some((o) => o.metadata.name.startsWith('logs-kibana'))).toBe(true);
    expect(warningsOf(chart)).toEqual([]);
  });

  test('snapshot', () => {
    expect(objs).toMatchSnapshot();
  });
});
