import { spawnSync } from 'child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { backupFailedAlert } from '../../src/backup/backup';
import { s3DownloadScript, s3UploadScript } from '../../src/backup/scripts';
import { testRulesWithPromtool } from '../harness';

/** Runs a backup script with a file-backed fake `aws` first on PATH. */
describe('S3 backup scripts (real bash, fake aws CLI backed by a folder)', () => {
  let dir: string;
  let bucket: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 's3-'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(__dirname, 'fake-aws.sh'), join(dir, 'bin', 'aws'));
    chmodSync(join(dir, 'bin', 'aws'), 0o755);
    bucket = join(dir, 's3', 'backups');
    mkdirSync(bucket, { recursive: true });
    env = {
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
      FAKE_S3_ROOT: join(dir, 's3'),
      FAKE_S3_LOG: join(dir, 'aws.log'),
      S3_BUCKET: 'backups',
      S3_PREFIX: 'redis/cache',
      S3_ENDPOINT: 'http://minio:9000',
      S3_FORCE_PATH_STYLE: 'true',
      TMPDIR: dir,
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const seed = (id: string, complete: boolean) => {
    const d = join(bucket, 'redis/cache', id);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'shard-0.rdb'), `data of ${id}`);
    if (complete) writeFileSync(join(d, 'COMPLETE'), 'x');
  };
  const run = (script: string, extra: NodeJS.ProcessEnv) =>
    spawnSync('bash', ['--norc', '--noprofile', '-c', script], { env: { ...env, ...extra }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  test('upload writes a complete backup and prunes only expired backup folders', () => {
    seed('20200101T000000Z', true);
    seed('20991231T000000Z', true);
    mkdirSync(join(bucket, 'redis/cache', 'notes'), { recursive: true });
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'shard-0.rdb'), 'new');
    const r = run(s3UploadScript(), { BACKUP_DIR: out, RETENTION_DAYS: '7', BACKUP_ID: '20261124T020000Z' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(join(bucket, 'redis/cache')).sort()).toEqual(['20261124T020000Z', '20991231T000000Z', 'notes']);
    expect(readdirSync(join(bucket, 'redis/cache', '20261124T020000Z')).sort()).toEqual(['COMPLETE', 'shard-0.rdb']);
    const log = readFileSync(join(dir, 'aws.log'), 'utf8');
    expect(log).toContain('configure set default.s3.addressing_style path');
    expect(log).toContain('--endpoint-url http://minio:9000 s3 cp');
  });

  test('upload refuses an empty dump', () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    const r = run(s3UploadScript(), { BACKUP_DIR: out, RETENTION_DAYS: '7' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('no backup files');
  });

  test('download of latest takes the newest complete backup', () => {
    seed('20261120T020000Z', true);
    seed('20261121T020000Z', true);
    seed('20261122T020000Z', false);
    const data = join(dir, 'data');
    const restore = join(dir, 'restore');
    mkdirSync(data);
    mkdirSync(restore);
    const r = run(s3DownloadScript(), { BACKUP_ID: 'latest', RESTORE_DIR: restore, DATA_DIR: data });
    expect(r.status).toBe(0);
    expect(readFileSync(join(restore, 'shard-0.rdb'), 'utf8')).toBe('data of 20261121T020000Z');
  });

  test('download with RESTORE_ORDINALS: only pods with those ordinals download', () => {
    seed('20261121T020000Z', true);
    const data = join(dir, 'data');
    mkdirSync(data);
    for (const [pod, expected] of [['db-1', false], ['db-10', false], ['db-0', true]] as const) {
      const restore = join(dir, `restore-${pod}`);
      mkdirSync(restore);
      const r = run(s3DownloadScript(), { BACKUP_ID: 'latest', RESTORE_DIR: restore, DATA_DIR: data, RESTORE_ORDINALS: '0', POD_NAME: pod });
      expect(r.status).toBe(0);
      expect(existsSync(join(restore, 'shard-0.rdb'))).toBe(expected);
    }
  });

  test('download of a named incomplete backup fails; a volume with data is never touched', () => {
    seed('20261122T020000Z', false);
    const data = join(dir, 'data');
    const restore = join(dir, 'restore');
    mkdirSync(data);
    mkdirSync(restore);
    const bad = run(s3DownloadScript(), { BACKUP_ID: '20261122T020000Z', RESTORE_DIR: restore, DATA_DIR: data });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('no COMPLETE marker');

    writeFileSync(join(data, 'nodes.conf'), 'existing');
    const skipped = run(s3DownloadScript(), { BACKUP_ID: 'latest', RESTORE_DIR: join(dir, 'restore2'), DATA_DIR: data });
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toContain('not restoring');
    expect(existsSync(join(dir, 'restore2'))).toBe(false);
  });
});

describe('backupFailedAlert, evaluated by promtool on kube-state-metrics series', () => {
  const rule = backupFailedAlert({ engine: 'MySQL', cronJobName: 'orders-backup', namespace: 'shop', instance: 'orders' });
  const spec = { groups: [{ name: 'backup', rules: [{ alert: rule.name, expr: rule.expr, for: '1m', labels: { severity: rule.severity } }] }] };
  // One Job of the CronJob: its owner, start time and outcome, as kube-state-metrics exports them.
  const job = (name: string, start: number, outcome: 'ok' | 'failed' | 'running', cronJob = 'orders-backup') => [
    { series: `kube_job_owner{namespace="shop",job_name="${name}",owner_kind="CronJob",owner_name="${cronJob}",owner_is_controller="true"}`, values: '1x10' },
    { series: `kube_job_status_start_time{namespace="shop",job_name="${name}"}`, values: `${start}x10` },
    { series: `kube_job_status_succeeded{namespace="shop",job_name="${name}"}`, values: `${outcome === 'ok' ? 1 : 0}x10` },
    { series: `kube_job_failed{namespace="shop",job_name="${name}",condition="true"}`, values: `${outcome === 'failed' ? 1 : 0}x10` },
  ];
  const fires = { exp_alerts: [{ exp_labels: { severity: 'warning' } }] };
  const at = (input: any[], expected: object) => ({
    interval: '1m', input_series: input, alert_rule_test: [{ eval_time: '5m', alertname: 'MySQLBackupFailed', ...expected }],
  });

  test('fires when the newest run failed, also when none ever succeeded', () => {
    testRulesWithPromtool(spec, [
      at([...job('b-1', 1000, 'ok'), ...job('b-2', 2000, 'failed')], fires),
      at([...job('b-1', 1000, 'failed')], fires),
    ]);
  });

  test('stays quiet when a newer run succeeded, while a run is in progress, and for other CronJobs', () => {
    testRulesWithPromtool(spec, [
      at([...job('b-1', 1000, 'failed'), ...job('b-2', 2000, 'ok')], { exp_alerts: [] }),
      at([...job('b-1', 1000, 'ok'), ...job('b-2', 2000, 'running')], { exp_alerts: [] }),
      at([...job('x-1', 2000, 'failed', 'other-backup'), ...job('b-1', 1000, 'ok')], { exp_alerts: [] }),
    ]);
  });

  test('a test that expects the wrong outcome fails (the check can fail)', () => {
    expect(() => testRulesWithPromtool(spec, [at([...job('b-1', 1000, 'ok')], fires)])).toThrow(/promtool test rules failed/);
  });
});
