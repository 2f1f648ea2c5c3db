/**
 * The MySQL scripts run against a fake `mysql`/`mysqldump` on PATH (no MySQL server can run on the test
 * machine): the fake records every argument list and every SQL text it receives and answers the few queries
 * the scripts ask. This checks what the scripts send (quoting, grants, host choice) and that no password
 * reaches a process argument.
 */
import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gunzipSync } from 'zlib';
import { mysqlBackupScript, mysqlEntrypointScript, mysqlPhysicalBackupScript, mysqlUsersScript } from '../../src/mysql/scripts';

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
  *report_host*) echo "$FAKE_REPORT_HOST" ;;
  *"CLONE INSTANCE"*)
    # A fake clone: a few data files, an empty schema folder, and the auto.cnf a real clone would not need.
    mkdir -p "$OUT_DIR/data/#innodb_redo" "$OUT_DIR/data/mysql" "$OUT_DIR/data/orders" "$OUT_DIR/data/emptydb"
    echo ibdata > "$OUT_DIR/data/ibdata1"
    echo dictionary > "$OUT_DIR/data/mysql.ibd"
    echo csv > "$OUT_DIR/data/mysql/general_log.CSM"
    echo redo > "$OUT_DIR/data/#innodb_redo/#ib_redo10"
    echo items > "$OUT_DIR/data/orders/items.ibd"
    echo '[auto]' > "$OUT_DIR/data/auto.cnf" ;;
  *clone_status*) echo 'Completed|3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42' ;;
  SHUTDOWN*) kill "$(cat "$WORK_DIR/fake-mysqld.pid")" ;;
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

const FAKE_MYSQLD = `#!/bin/bash
echo "MYSQLD $*" >> "$FAKE_LOG"
case " $* " in *" --initialize-insecure "*) mkdir -p "$WORK_DIR/recipient"; exit 0 ;; esac
echo $$ > "$WORK_DIR/fake-mysqld.pid"
exec sleep 60
`;
// The image's entrypoint: shows what it was started with and what the data directory holds.
const FAKE_IMAGE_ENTRYPOINT = `#!/bin/bash
echo "IMAGE $*" >> "$FAKE_LOG"
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mysql-scripts-'));
  for (const [name, text] of [['mysql', FAKE_MYSQL], ['mysqldump', FAKE_DUMP], ['mysqld', FAKE_MYSQLD], ['docker-entrypoint.sh', FAKE_IMAGE_ENTRYPOINT]]) {
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

describe('physical backup and its restore', () => {
  const replPassword = "repl'pw\\x";
  const backup = () => {
    const out = join(dir, 'backup');
    const work = join(dir, 'work');
    mkdirSync(out);
    mkdirSync(work);
    writeFileSync(join(dir, 'my.cnf'), '[mysqld]\ndatadir=/data/mysql\nplugin-load-add=mysql_clone.so\n');
    const r = run(mysqlPhysicalBackupScript(), {
      BACKUP_HOSTS: 'orders-read orders',
      FAKE_DOWN: 'orders-read',
      FAKE_REPORT_HOST: 'orders-0.orders-headless',
      MYSQL_ROOT_PASSWORD: 'root-pw',
      REPL_USER: 'repl',
      REPL_PASSWORD: replPassword,
      BASE_CONF: join(dir, 'my.cnf'),
      WORK_DIR: work,
      OUT_DIR: out,
    });
    return { r, out, work };
  };

  test('clones the donor by its pod name into a temporary server, gzips every file and lists the folders', () => {
    const { r, out, work } = backup();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // The read Service does not answer, so the primary Service's server is asked for its pod name.
    expect(r.log).toContain('SQL[orders] SELECT @@global.report_host');
    const clone = r.log.split('\n').find((l) => l.includes('CLONE INSTANCE'))!;
    expect(clone).toContain("CLONE INSTANCE FROM 'repl'@'orders-0.orders-headless':3306 IDENTIFIED BY 'repl''pw\\\\x'");
    expect(r.log).toContain(`DATA DIRECTORY = '${out}/data' REQUIRE SSL;`);
    const conf = readFileSync(join(work, 'recipient.cnf'), 'utf8');
    expect(conf.startsWith('[mysqld]\ndatadir=/data/mysql\nplugin-load-add=mysql_clone.so\n')).toBe(true);
    expect(conf).toContain(`datadir=${work}/recipient\n`);
    expect(conf).toContain('skip-networking=ON\n');
    expect(conf).toContain('clone_valid_donor_list=orders-0.orders-headless:3306\n');
    expect(r.log).toMatch(/MYSQLD --defaults-file=\S+recipient.cnf --initialize-insecure/);
    // The temporary server was shut down and its data directory removed.
    expect(r.log).toContain('SQL[] SHUTDOWN;');
    expect(existsSync(join(work, 'recipient'))).toBe(false);
    expect(readdirSync(join(out, 'data')).sort()).toEqual(['#innodb_redo', 'emptydb', 'ibdata1.gz', 'mysql', 'mysql.ibd.gz', 'orders']);
    expect(gunzipSync(readFileSync(join(out, 'data', 'orders', 'items.ibd.gz'))).toString()).toBe('items\n');
    expect(readFileSync(join(out, 'mysql-dirs.txt'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(['./#innodb_redo', './emptydb', './mysql', './orders']);
    const info = readFileSync(join(out, 'backup-info.txt'), 'utf8');
    expect(info).toContain('source: orders-0.orders-headless\n');
    expect(info).toContain('method: physical (clone)\n');
    expect(info).toContain('gtid_executed: 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42\n');
    for (const line of r.log.split('\n').filter((l) => l.startsWith('ARGS ') || l.startsWith('MYSQLD '))) {
      expect(line).not.toContain('root-pw');
      expect(line).not.toContain("repl'pw");
    }
  });

  test('fails when the clone does not complete, and stops the temporary server', () => {
    const fake = readFileSync(join(dir, 'mysql'), 'utf8').replace("echo 'Completed|", "echo 'Failed|");
    writeFileSync(join(dir, 'mysql'), fake);
    const { r } = backup();
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('the clone did not complete: Failed');
    expect(r.log).toContain('SQL[] SHUTDOWN;');
  });

  const entrypoint = (podName: string, restoreDir: string, extra: Record<string, string> = {}) => {
    mkdirSync(join(dir, 'run'), { recursive: true });
    mkdirSync(join(dir, 'pv'), { recursive: true });
    writeFileSync(join(dir, 'my.cnf'), '[mysqld]\ndatadir=/data/mysql\n');
    return run(mysqlEntrypointScript(), {
      POD_NAME: podName,
      SELF_HOST: `${podName}.orders-headless`,
      SERVER_ID_OFFSET: '100',
      TOPOLOGY: 'replication',
      BASE_CONF: join(dir, 'my.cnf'),
      RUN_CONF: join(dir, 'run', 'my.cnf'),
      CLIENT_CNF: join(dir, 'run', 'client.cnf'),
      DATA_DIR: join(dir, 'pv', 'mysql'),
      STATE_DIR: join(dir, 'pv', 'agent'),
      RESTORE_DIR: restoreDir,
      MYSQL_ROOT_PASSWORD: "new'root",
      ...extra,
    });
  };

  test('pod 0 of a new cluster turns the backup into its data directory and resets the root password on start', () => {
    const { out } = backup();
    rmSync(join(dir, 'log'));
    const r = entrypoint('orders-0', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const data = join(dir, 'pv', 'mysql');
    expect(readdirSync(data).sort()).toEqual(['#innodb_redo', 'emptydb', 'ibdata1', 'mysql', 'mysql.ibd', 'orders']);
    expect(readFileSync(join(data, '#innodb_redo', '#ib_redo10'), 'utf8')).toBe('redo\n');
    expect(readFileSync(join(data, 'orders', 'items.ibd'), 'utf8')).toBe('items\n');
    expect(existsSync(join(dir, 'pv', 'mysql.restoring'))).toBe(false);
    expect(existsSync(join(dir, 'pv', 'agent', 'restored-physical'))).toBe(true);
    const conf = readFileSync(join(dir, 'run', 'my.cnf'), 'utf8');
    expect(conf).toContain('server_id=100\n');
    expect(conf).toContain('super_read_only=ON\n');
    expect(conf).toContain('skip_replica_start=ON\n');
    expect(conf).toContain(`init_file=${join(dir, 'run', 'restore-init.sql')}\n`);
    const init = join(dir, 'run', 'restore-init.sql');
    expect(statSync(init).mode % 0o1000).toBe(0o600);
    const lines = readFileSync(init, 'utf8').split('\n');
    expect(lines).toContain('SET SESSION sql_log_bin = 0;');
    expect(lines).toContain("ALTER USER 'root'@'localhost' IDENTIFIED BY 'new''root';");
    expect(lines).toContain("ALTER USER 'root'@'%' IDENTIFIED BY 'new''root';");
    expect(r.log).toMatch(/IMAGE mysqld --defaults-file=\S+run\/my.cnf/);
    expect(r.log).not.toContain("new'root");

    // The next start (the data is there now) keeps the reset until the agent has seen it work.
    const again = entrypoint('orders-0', join(dir, 'no-restore'));
    expect(again.status).toBe(0);
    expect(readFileSync(join(dir, 'run', 'my.cnf'), 'utf8')).toContain('init_file=');
    rmSync(join(dir, 'pv', 'agent', 'restored-physical'));
    expect(entrypoint('orders-0', join(dir, 'no-restore')).status).toBe(0);
    expect(readFileSync(join(dir, 'run', 'my.cnf'), 'utf8')).not.toContain('init_file=');
  });

  test('other pods ignore a backup: they start empty and copy the data from pod 0', () => {
    const { out } = backup();
    const r = entrypoint('orders-1', out);
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'pv', 'mysql'))).toBe(false);
    const conf = readFileSync(join(dir, 'run', 'my.cnf'), 'utf8');
    expect(conf).not.toContain('init_file=');
    expect(conf).not.toContain('super_read_only');
  });

  test('an interrupted restore whose backup is gone stops the server instead of starting empty', () => {
    mkdirSync(join(dir, 'pv', 'mysql.restoring'), { recursive: true });
    const r = entrypoint('orders-0', join(dir, 'no-restore'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('a restore into this volume was interrupted');
    expect(r.log).not.toContain('IMAGE');
  });
});
