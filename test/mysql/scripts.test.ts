/**
 * The MySQL scripts run against a fake `mysql`/`mysqldump` on PATH (no MySQL server can run on the test
 * machine): the fake records every argument list and every SQL text it receives and answers the few queries
 * the scripts ask. This checks what the scripts send (quoting, grants, host choice) and that no password
 * reaches a process argument.
 */
import { spawnSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gunzipSync } from 'zlib';
import { mysqlBackupScript, mysqlUsersScript } from '../../src/mysql/scripts';

const FAKE_MYSQL = `#!/bin/bash
host=""
for ((i = 1; i <= $#; i++)); do
  if [ "\${!i}" = "-h" ]; then j=$((i + 1)); host="\${!j}"; fi
done
echo "ARGS $*" >> "$FAKE_LOG"
sql=$(cat)
printf 'SQL[%s] %s\\n' "$host" "$sql" >> "$FAKE_LOG"
case " $FAKE_DOWN " in *" $host "*) echo "ERROR 2005: Unknown MySQL server host '$host'" >&2; exit 1 ;; esac
case "$sql" in
  *SCHEMATA*) printf 'orders\\nreports\\n' ;;
  *@@version*) echo 8.4.11 ;;
  *gtid_executed*) echo 'gtid:3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42' ;;
  *@@global.read_only*) echo 0 ;;
  "SELECT 1") echo 1 ;;
esac
`;
const FAKE_DUMP = `#!/bin/bash
echo "DUMPARGS $*" >> "$FAKE_LOG"
echo "-- dump of $*"
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mysql-scripts-'));
  for (const [name, text] of [['mysql', FAKE_MYSQL], ['mysqldump', FAKE_DUMP]]) {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), 0o755);
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(script: string, env: Record<string, string>) {
  const r = spawnSync('bash', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: `${dir}:${process.env.PATH}`, HOME: dir, FAKE_LOG: join(dir, 'log'), CLIENT_CNF: join(dir, 'client.cnf'), MYSQL_PORT: '3306', ...env },
  });
  let log = '';
  try {
    log = readFileSync(join(dir, 'log'), 'utf8');
  } catch {
    // nothing was called
  }
  return { ...r, log };
}

test('users.sh: databases, users and grants on the primary, passwords quoted in SQL and never in arguments', () => {
  const password = "it's a \\secret";
  const r = run(mysqlUsersScript(), {
    PRIMARY_HOST: 'orders',
    MYSQL_ROOT_PASSWORD: 'root"pw',
    DATABASES: 'orders reports',
    USERS: 'app:orders:rw analyst:orders,reports:ro',
    USER_PASSWORD_0: password,
    USER_PASSWORD_1: 'plain',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const sql = r.log.slice(r.log.indexOf('SQL[orders] CREATE'));
  expect(sql).toContain('CREATE DATABASE IF NOT EXISTS `orders` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci;');
  expect(sql).toContain('CREATE DATABASE IF NOT EXISTS `reports`');
  expect(sql).toContain("CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'it''s a \\\\secret';");
  expect(sql).toContain("ALTER USER 'app'@'%' IDENTIFIED BY 'it''s a \\\\secret';");
  expect(sql).toContain("GRANT ALL PRIVILEGES ON `orders`.* TO 'app'@'%';");
  expect(sql).toContain("GRANT SELECT, SHOW VIEW ON `orders`.* TO 'analyst'@'%';");
  expect(sql).toContain("GRANT SELECT, SHOW VIEW ON `reports`.* TO 'analyst'@'%';");
  for (const line of r.log.split('\n').filter((l) => l.startsWith('ARGS '))) {
    expect(line).not.toContain('secret');
    expect(line).not.toContain('root"pw');
    expect(line).toContain(`--defaults-extra-file=${join(dir, 'client.cnf')}`);
  }
  expect(statSync(join(dir, 'client.cnf')).mode % 0o1000).toBe(0o600);
  expect(readFileSync(join(dir, 'client.cnf'), 'utf8')).toBe('[client]\nuser=root\npassword="root"pw"\nconnect-timeout=5\n');
});

test('users.sh: a user without its password variable fails before any SQL', () => {
  const r = run(mysqlUsersScript(), { PRIMARY_HOST: 'orders', MYSQL_ROOT_PASSWORD: 'x', USERS: 'app:orders:rw' });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('USER_PASSWORD_0');
  expect(r.log).not.toContain('CREATE USER');
});

test('backup dump: skips a host that does not answer, dumps every user database from the next one', () => {
  const r = run(mysqlBackupScript(), {
    BACKUP_HOSTS: 'orders-read orders',
    FAKE_DOWN: 'orders-read',
    MYSQL_ROOT_PASSWORD: 'pw',
    OUT_DIR: dir,
  });
  expect(r.status).toBe(0);
  const dump = r.log.split('\n').find((l) => l.startsWith('DUMPARGS '))!;
  expect(dump).toContain('-h orders ');
  expect(dump).toContain('--single-transaction');
  expect(dump).toContain('--set-gtid-purged=OFF');
  expect(dump).toMatch(/--databases orders reports$/);
  expect(gunzipSync(readFileSync(join(dir, 'mysql.sql.gz'))).toString()).toContain('-- dump of');
  const info = readFileSync(join(dir, 'backup-info.txt'), 'utf8');
  expect(info).toContain('source: orders\n');
  expect(info).toContain('version: 8.4.11\n');
  expect(info).toContain('gtid_executed: 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42\n');
});

test('backup dump: fails when no host answers', () => {
  const r = run(mysqlBackupScript(), { BACKUP_HOSTS: 'a b', FAKE_DOWN: 'a b', MYSQL_ROOT_PASSWORD: 'pw', OUT_DIR: dir });
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('none of a b answers');
});
