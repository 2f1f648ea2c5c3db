/** The upgrade check must catch what it claims to catch: each rule is shown failing on a broken manifest pair. */
import { expectUpgradeApplies, upgradeProblems } from '.';

const sts = (labels: Record<string, string> = { app: 'db' }) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'x', labels },
  spec: {
    serviceName: 'db',
    podManagementPolicy: 'Parallel',
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels }, spec: { containers: [{ name: 'db', image: 'db:1' }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data', labels }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
});
const job = (name: string, image: string) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'x' },
  spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'run', image }] } } },
});
const svc = (selector: Record<string, string>) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'x' }, spec: { selector, ports: [{ port: 5432 }] },
});

describe('expectUpgradeApplies', () => {
  test('equal immutable fields pass, and a changed pod template is allowed', () => {
    const after: any = sts();
    after.spec.template.spec.containers[0].image = 'db:2';
    after.spec.replicas = 5;
    expectUpgradeApplies([sts(), job('init-1', 'db:1'), svc({ app: 'db' })], [after, job('init-2', 'db:2'), svc({ app: 'db' })]);
  });

  test('volumeClaimTemplate labels that differ fail', () => {
    expect(() => expectUpgradeApplies([sts({ app: 'db', tier: 'a' })], [sts({ app: 'db', tier: 'b' })]))
      .toThrow(/StatefulSet\/x\/db: spec\.volumeClaimTemplates differs/);
  });

  test('a version label in a volumeClaimTemplate fails even when both synths agree', () => {
    const labels = { 'app': 'db', 'app.kubernetes.io/version': '1' };
    expect(() => expectUpgradeApplies([sts(labels)], [sts(labels)]))
      .toThrow(/spec\.volumeClaimTemplates\.0\.metadata\.labels\.app\.kubernetes\.io\/version changes with every upgrade/);
  });

  test.each([
    ['serviceName', (o: any) => { o.spec.serviceName = 'db-headless'; }],
    ['podManagementPolicy', (o: any) => { o.spec.podManagementPolicy = 'OrderedReady'; }],
    ['selector', (o: any) => { o.spec.selector.matchLabels.role = 'primary'; }],
  ])('a changed StatefulSet %s fails', (field, change) => {
    const after: any = sts();
    change(after);
    expect(() => expectUpgradeApplies([sts()], [after])).toThrow(new RegExp(`StatefulSet/x/db: spec\\.${field} differs`));
  });

  test('a same-named Job with another template fails', () => {
    expect(() => expectUpgradeApplies([job('init', 'db:1')], [job('init', 'db:2')])).toThrow(/Job\/x\/init: spec\.template differs/);
  });

  test('a changed Service selector fails', () => {
    expect(() => expectUpgradeApplies([svc({ app: 'db' })], [svc({ app: 'db', v: '2' })])).toThrow(/Service\/x\/db: spec\.selector differs/);
  });

  test('a pair without any common object fails instead of passing vacuously', () => {
    expect(upgradeProblems([job('a', 'x')], [job('b', 'y')])).toEqual({ problems: [], compared: 0 });
    expect(() => expectUpgradeApplies([job('a', 'x')], [job('b', 'y')])).toThrow(/nothing was compared/);
  });
});
