import { Cron, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { checkCron, resolveS3 } from '../../src/backup/backup';
import { ImagePullPolicy, resolveImage } from '../../src/core/images';
import { renderResources, resolveResources, sizeQuantity } from '../../src/core/resources';
import { checkDnsLabel, checkInteger, ValidationError } from '../../src/core/validation';
import { mergeAlerts, promDuration, AlertSeverity } from '../../src/monitoring/alerts';

const chart = Testing.chart();
const defaults = { cpuRequest: Cpu.millis(250), cpuLimit: Cpu.units(1), memoryRequest: Size.gibibytes(1), memoryLimit: Size.gibibytes(1) };

describe('validation errors', () => {
  test('name the construct path, the prop, the value and what is allowed', () => {
    let error: unknown;
    try {
      checkInteger(chart, 'masters', 2, 3, 100);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(`${chart.node.path}: invalid masters = 2: must be an integer from 3 to 100`);
  });
  test('DNS labels', () => {
    expect(() => checkDnsLabel(chart, 'name', 'Bad_Name')).toThrow(/invalid name = "Bad_Name": must be a DNS-1123 label of at most 63/);
    expect(() => checkDnsLabel(chart, 'name', 'a'.repeat(41), 40)).toThrow(/at most 40 characters/);
    expect(checkDnsLabel(chart, 'name', 'cache-1')).toBe('cache-1');
  });
});

describe('resources', () => {
  test('defaults and request <= limit', () => {
    const r = resolveResources(chart, 'resources', undefined, defaults);
    expect(renderResources(r)).toEqual({
      requests: { cpu: { value: '250m' }, memory: { value: '1Gi' } },
      limits: { cpu: { value: '1' }, memory: { value: '1Gi' } },
    });
  });
  test('raising only the memory limit keeps request == limit', () => {
    const r = resolveResources(chart, 'resources', { memory: { limit: Size.gibibytes(4) } }, defaults);
    expect(sizeQuantity(r.memoryRequest)).toBe('4Gi');
  });
  test('rejects a request above the limit', () => {
    expect(() => resolveResources(chart, 'resources', { cpu: { request: Cpu.units(2), limit: Cpu.millis(1500) } }, defaults))
      .toThrow(/invalid resources.cpu.request = "2": must be <= the CPU limit \(1500m\)/);
    expect(() => resolveResources(chart, 'resources', { memory: { request: Size.gibibytes(3), limit: Size.gibibytes(2) } }, defaults))
      .toThrow(/invalid resources.memory.request = "3Gi": must be <= the memory limit \(2Gi\)/);
    expect(() => resolveResources(chart, 'resources', { memory: { limit: Size.mebibytes(8) } }, defaults))
      .toThrow(/resources.memory.limit = "8Mi": must be at least 16Mi/);
  });
});

describe('images', () => {
  test('pinned default, override, registry mirror', () => {
    expect(resolveImage(chart, 'image', 'docker.io/library/redis', '7.2.11', undefined, undefined))
      .toEqual({ image: 'docker.io/library/redis:7.2.11', pullPolicy: 'IfNotPresent' });
    expect(resolveImage(chart, 'image', 'docker.io/library/redis', '7.2.11', { tag: '7.2.10', pullPolicy: ImagePullPolicy.ALWAYS }, { registry: 'harbor.local/mirror/' }))
      .toEqual({ image: 'harbor.local/mirror/library/redis:7.2.10', pullPolicy: 'Always' });
    expect(resolveImage(chart, 'image', 'docker.io/library/redis', '7.2.11', { repository: 'my.registry:5000/team/redis' }, undefined).image)
      .toBe('my.registry:5000/team/redis:7.2.11');
  });
  test('rejects latest and tags in the repository', () => {
    expect(() => resolveImage(chart, 'image', 'redis', '7', { tag: 'latest' }, undefined)).toThrow(/image.tag = "latest": must be an explicit version tag/);
    expect(() => resolveImage(chart, 'image', 'redis', '7', { repository: 'redis:7.2' }, undefined)).toThrow(/image.repository = "redis:7.2"/);
  });
});

describe('backup settings', () => {
  test('Cron.schedule output is accepted', () => {
    expect(checkCron(chart, 'backup.schedule', Cron.schedule({ minute: '30', hour: '1' }))).toBe('30 1 * * *');
  });
  test.each([
    ['0 2 * * *', true], ['*/15 * * * 1-5', true], ['30 1 1,15 * *', true],
    ['0 24 * * *', false], ['61 * * * *', false], ['* * *', false], ['@daily', false], ['0 2 * * 8', false], ['5-1 * * * *', false],
  ])('cron %s valid=%s', (expr, ok) => {
    // Cron.schedule fills missing fields with '*', so malformed expressions are built directly.
    const run = () => checkCron(chart, 'backup.schedule', { expressionString: expr } as Cron);
    if (ok) expect(run()).toBe(expr);
    else expect(run).toThrow(/backup.schedule/);
  });
  test('S3 target rules', () => {
    const ok = resolveS3(chart, 'backup.target', { bucket: 'redis-backups', credentialsSecret: 's3', endpoint: 'http://minio:9000' }, 'cache');
    expect(ok.prefix).toBe('cache');
    expect(ok.env.find((e) => e.name === 'S3_FORCE_PATH_STYLE')?.value).toBe('true');
    expect(JSON.stringify(ok.env)).not.toMatch(/secretAccessKey"?:\s*"[^"]/);
    expect(() => resolveS3(chart, 'backup.target', { bucket: 'Bad_Bucket', credentialsSecret: 's3' }, 'x')).toThrow(/backup.target.bucket = "Bad_Bucket"/);
    expect(() => resolveS3(chart, 'backup.target', { bucket: 'ok-bucket', credentialsSecret: 's3', prefix: '/abs' }, 'x')).toThrow(/backup.target.prefix = "\/abs"/);
    expect(() => resolveS3(chart, 'backup.target', { bucket: 'ok-bucket', credentialsSecret: 's3', prefix: 'a/../b' }, 'x')).toThrow(/prefix/);
    expect(() => resolveS3(chart, 'backup.target', { bucket: 'ok-bucket', credentialsSecret: 's3', endpoint: 'minio:9000' }, 'x')).toThrow(/endpoint = "minio:9000": must be an http/);
  });
});

describe('alerts', () => {
  const builtIn = [
    { name: 'A', expr: 'up == 0', severity: AlertSeverity.CRITICAL, summary: 's', description: 'd' },
    { name: 'B', expr: 'up == 0', severity: AlertSeverity.WARNING, summary: 's', description: 'd', for: Duration.minutes(5) },
  ];
  test('overrides, disables and extends', () => {
    const merged = mergeAlerts(chart, 'monitoring', builtIn, [{ name: 'A', severity: AlertSeverity.WARNING, for: Duration.seconds(90) }, { name: 'B', disabled: true }],
      [{ name: 'Mine', expr: 'vector(1)', severity: AlertSeverity.INFO, summary: 's', description: 'd' }]);
    expect(merged.map((a) => [a.name, a.severity, a.for && promDuration(a.for)])).toEqual([['A', 'warning', '90s'], ['Mine', 'info', undefined]]);
  });
  test('rejects overrides of unknown alerts and duplicate names', () => {
    expect(() => mergeAlerts(chart, 'monitoring', builtIn, [{ name: 'Nope' }], undefined)).toThrow(/monitoring.alertOverrides\[0\].name = "Nope": must name a built-in alert: A, B/);
    expect(() => mergeAlerts(chart, 'monitoring', builtIn, undefined, [{ ...builtIn[0] }])).toThrow(/extraAlerts\[0\].name = "A": must not repeat/);
  });
});
