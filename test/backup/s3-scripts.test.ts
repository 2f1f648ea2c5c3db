import { spawnSync } from 'child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { s3DownloadScript, s3UploadScript } from '../../src/backup/scripts';

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
