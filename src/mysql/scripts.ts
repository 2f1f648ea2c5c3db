/**
 * Bash scripts run in the official MySQL image (Oracle Linux: bash, mysql client, mysqldump, curl, gzip).
 * Each reads its inputs from environment variables listed at its top. Passwords only travel in Secret-backed
 * env vars and reach mysql through a client option file in a memory-backed emptyDir or through stdin: never a
 * ConfigMap, a manifest or a process argument.
 */

/** Shared helpers: logging, SQL quoting, a client option file and a mysql wrapper. */
const COMMON = `log() { echo "[$(date -u +%H:%M:%S)] $*"; }
# q VALUE: VALUE as a single-quoted SQL string literal (backslashes and quotes escaped).
q() {
  local s=\${1//\\\\/\\\\\\\\}
  s=\${s//\\'/\\'\\'}
  printf "'%s'" "$s"
}
# ident NAME: NAME as a back-quoted SQL identifier (names are checked at synth time).
ident() { printf '\\x60%s\\x60' "$1"; }
# client_cnf FILE USER PASSWORD: an option file the mysql tools read, readable by this user only.
client_cnf() {
  (umask 077 && printf '[client]\\nuser=%s\\npassword="%s"\\nconnect-timeout=5\\n' "$2" "$3" > "$1")
}
# sql HOST: runs the SQL read from stdin on HOST as the user of CLIENT_CNF; rows tab-separated, no headers.
sql() { mysql --defaults-extra-file="$CLIENT_CNF" -h "$1" -P "\${MYSQL_PORT:-3306}" -N -B; }
# val HOST QUERY: the first field of the first row of QUERY on HOST; empty when HOST does not answer.
val() { sql "$1" <<< "$2" 2>/dev/null | head -n 1; }
# gtids HOST: HOST's executed GTID set on one line, prefixed with "gtid:" so that an empty set differs from no answer.
gtids() { val "$1" "SELECT CONCAT('gtid:', REPLACE(@@global.gtid_executed, '\\n', ''))"; }
# first_answering HOST...: the first HOST that answers a query; nothing when none does.
first_answering() {
  local h
  for h in "$@"; do
    if [ "$(val "$h" 'SELECT 1')" = "1" ]; then
      echo "$h"
      return
    fi
  done
}
# member_state HOST: HOST's own group replication state (ONLINE, RECOVERING, ...); empty outside a group.
member_state() { val "$1" "SELECT MEMBER_STATE FROM performance_schema.replication_group_members WHERE MEMBER_ID = @@server_uuid"; }`;

/** The one way a server is pointed at a source: GTID auto-position, TLS, retries for a day. */
function changeSource(hostVar: string): string {
  return `CHANGE REPLICATION SOURCE TO SOURCE_HOST = $(q "${hostVar}"), SOURCE_PORT = $MYSQL_PORT,
  SOURCE_USER = $(q "$REPL_USER"), SOURCE_PASSWORD = $(q "$REPL_PASSWORD"),
  SOURCE_AUTO_POSITION = 1, SOURCE_SSL = 1, GET_SOURCE_PUBLIC_KEY = 1,
  SOURCE_CONNECT_RETRY = 10, SOURCE_RETRY_COUNT = 86400, SOURCE_HEARTBEAT_PERIOD = 2;`;
}

/**
 * Command of the mysql container: writes the pod's my.cnf (the shared file plus server_id, report_host and,
 * for group replication, the local address) and the root client file, then runs the image's entrypoint.
 * A server that already holds data starts read-only; the agent decides whether it may accept writes.
 *
 * Pod 0 of a cluster restored from a physical backup first moves the downloaded data files into its empty data
 * directory. Until the agent has seen that server answer, each start also resets the root password (the backup
 * carries the old cluster's) and keeps replication stopped (the backup may come from a replica).
 *
 * env: POD_NAME, SELF_HOST, SERVER_ID_OFFSET, MYSQL_PORT, TOPOLOGY, BASE_CONF, RUN_CONF, CLIENT_CNF, DATA_DIR,
 * MYSQL_ROOT_PASSWORD, RESTORE_DIR, STATE_DIR.
 */
export function mysqlEntrypointScript(): string {
  return `#!/bin/bash
set -euo pipefail
${COMMON}
ordinal=\${POD_NAME##*-}
if ! [[ $ordinal =~ ^[0-9]+$ ]]; then
  echo "cannot read the ordinal from pod name $POD_NAME" >&2
  exit 1
fi
: "\${MYSQL_ROOT_PASSWORD:?MYSQL_ROOT_PASSWORD must come from the root password Secret}"
umask 077
restored_marker="$STATE_DIR/restored-physical"
run_dir=$(dirname "$RUN_CONF")
staging="$DATA_DIR.restoring"
if [ ! -d "$DATA_DIR/mysql" ]; then
  if [ "$ordinal" = "0" ] && [ -f "$RESTORE_DIR/mysql-dirs.txt" ]; then
    log "restoring the physical backup $(head -n 1 "$RESTORE_DIR/backup-info.txt" 2>/dev/null)"
    rm -rf "$staging"
    mkdir -p "$staging" "$STATE_DIR"
    # S3 keeps no empty folders: the backup lists them.
    (cd "$staging" && xargs -d '\\n' mkdir -p < "$RESTORE_DIR/mysql-dirs.txt")
    cp -R "$RESTORE_DIR/data/." "$staging/"
    find "$staging" -type f -name '*.gz' -exec gunzip {} +
    # The image (and this script) tell a data directory by its mysql folder.
    mkdir -p "$staging/mysql"
    touch "$restored_marker"
    rmdir "$DATA_DIR" 2>/dev/null || true
    if [ -e "$DATA_DIR" ]; then
      echo "$DATA_DIR holds files but no MySQL data; not restoring over them" >&2
      exit 1
    fi
    mv "$staging" "$DATA_DIR"
    log "data files restored"
  elif [ -d "$staging" ]; then
    echo "a restore into this volume was interrupted and the backup is no longer downloaded: delete $staging (or the volume) and restart the pod" >&2
    exit 1
  fi
fi
{
  cat "$BASE_CONF"
  echo
  echo "# this pod"
  echo "server_id=$(( SERVER_ID_OFFSET + ordinal ))"
  echo "report_host=$SELF_HOST"
  echo "report_port=$MYSQL_PORT"
  if [ "$TOPOLOGY" = "group-replication" ]; then
    # The MySQL communication stack carries group traffic on the server port.
    echo "loose_group_replication_local_address=$SELF_HOST:$MYSQL_PORT"
  fi
  # The image's first-boot setup needs a writable server, so only a server with data starts read-only
  # (a new server is made read-only by the image's init step, see first-boot.sql).
  if [ -d "$DATA_DIR/mysql" ]; then
    echo "super_read_only=ON"
  fi
  if [ -f "$restored_marker" ]; then
    echo "skip_replica_start=ON"
    echo "init_file=$run_dir/restore-init.sql"
  fi
} > "$RUN_CONF"
if [ -f "$restored_marker" ]; then
  if [[ $MYSQL_ROOT_PASSWORD == *$'\\n'* ]]; then
    echo "the root password contains a line break, which an init file cannot carry" >&2
    exit 1
  fi
  pw=$(q "$MYSQL_ROOT_PASSWORD")
  # One statement per line: mysqld reads init files line by line. Not binary-logged: the GTID set stays the backup's.
  cat > "$run_dir/restore-init.sql" <<SQL
SET SESSION sql_log_bin = 0;
SET GLOBAL super_read_only = OFF;
ALTER USER 'root'@'localhost' IDENTIFIED BY $pw;
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY $pw;
ALTER USER 'root'@'%' IDENTIFIED BY $pw;
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
SET GLOBAL super_read_only = ON;
SQL
fi
printf '[client]\\nuser=root\\npassword="%s"\\nconnect-timeout=5\\n' "$MYSQL_ROOT_PASSWORD" > "$CLIENT_CNF"
exec docker-entrypoint.sh mysqld --defaults-file="$RUN_CONF"
`;
}

/**
 * The agent sidecar: creates the system users on every server (without binary logging), decides each
 * server's role and keeps the pod's role label in step, so the read-write Service always selects the primary
 * and the read-only Service the healthy replicas.
 *
 * - replication: a server with a source stays a replica. One without a source joins the writable peer; when
 *   that peer has purged binary logs this server still needs, it clones the peer's data first (clone plugin).
 *   With no writable peer, only the last known primary (a marker on its volume) or a fresh cluster's pod 0
 *   becomes writable. Errant transactions stop a join, never get overwritten.
 * - group-replication: a member joins when a peer is ONLINE; when none is, and every member answers, the
 *   member whose GTID set contains everyone else's bootstraps the group (a fresh group: pod 0).
 * - standalone: the server becomes writable once its restore (if any) is loaded.
 * A requested restore is loaded by the first primary before it accepts writes from clients.
 *
 * env: TOPOLOGY, POD_NAME, POD_NAMESPACE, SELF_HOST, PEERS, MYSQL_PORT, CLIENT_CNF, MYSQL_ROOT_PASSWORD,
 * REPL_USER, REPL_PASSWORD, EXPORTER_USER, EXPORTER_PASSWORD, STATE_DIR, RESTORE_DIR, ROLE_LABEL, SA_DIR,
 * INTERVAL_SECONDS, HEARTBEAT_FILE (touched every step, for the liveness probe); optional LABEL_PODS=false (tests).
 */
export function mysqlAgentScript(): string {
  return `#!/bin/bash
set -uo pipefail
${COMMON}
ordinal=\${POD_NAME##*-}
read -r -a peers <<< "$PEERS"
state_dir="$STATE_DIR"
mkdir -p "$state_dir"
client_cnf "$CLIENT_CNF" root "$MYSQL_ROOT_PASSWORD"

local_ok() { [ "$(val 127.0.0.1 'SELECT 1')" = "1" ]; }

# System users exist on every server from its own start, so any server can be a source or donor later.
ensure_system_users() {
  local repl_grants="REPLICATION SLAVE, BACKUP_ADMIN"
  if [ "$TOPOLOGY" = "group-replication" ]; then
    repl_grants="$repl_grants, GROUP_REPLICATION_STREAM, CONNECTION_ADMIN"
  fi
  sql 127.0.0.1 <<SQL
SET SESSION sql_log_bin = 0;
SET @ro = @@global.super_read_only;
SET GLOBAL super_read_only = OFF;
CREATE USER IF NOT EXISTS $(q "$REPL_USER")@'%' IDENTIFIED BY $(q "$REPL_PASSWORD");
ALTER USER $(q "$REPL_USER")@'%' IDENTIFIED BY $(q "$REPL_PASSWORD");
GRANT $repl_grants ON *.* TO $(q "$REPL_USER")@'%';
CREATE USER IF NOT EXISTS $(q "$EXPORTER_USER")@'%' IDENTIFIED BY $(q "$EXPORTER_PASSWORD") WITH MAX_USER_CONNECTIONS 3;
ALTER USER $(q "$EXPORTER_USER")@'%' IDENTIFIED BY $(q "$EXPORTER_PASSWORD") WITH MAX_USER_CONNECTIONS 3;
GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO $(q "$EXPORTER_USER")@'%';
SET GLOBAL super_read_only = @ro;
SQL
  # Time zone tables, loaded here without binary logging (the image's own load would create GTIDs that
  # make every fresh replica look diverged).
  if [ -d /usr/share/zoneinfo ] && [ "$(val 127.0.0.1 'SELECT COUNT(*) FROM mysql.time_zone_name')" = "0" ]; then
    { echo "SET SESSION sql_log_bin = 0; SET @ro = @@global.super_read_only; SET GLOBAL super_read_only = OFF;"
      mysql_tzinfo_to_sql /usr/share/zoneinfo 2>/dev/null
      echo "SET GLOBAL super_read_only = @ro;"
    } | sql 127.0.0.1 > /dev/null || log "could not load time zone tables"
  fi
}

role_now() {
  if [ "$TOPOLOGY" = "group-replication" ]; then
    case "$(val 127.0.0.1 "SELECT CONCAT(MEMBER_STATE, '/', MEMBER_ROLE) FROM performance_schema.replication_group_members WHERE MEMBER_ID = @@server_uuid")" in
      ONLINE/PRIMARY) echo primary ;;
      ONLINE/SECONDARY) echo replica ;;
    esac
    return
  fi
  if [ "$(val 127.0.0.1 'SELECT @@global.read_only')" = "0" ]; then
    echo primary
  elif [ "$(val 127.0.0.1 "SELECT COUNT(*) FROM performance_schema.replication_connection_configuration WHERE CHANNEL_NAME = ''")" = "1" ]; then
    echo replica
  fi
}

# label_pod ROLE: sets the role label of this pod (an empty ROLE removes it).
label_pod() {
  [ "\${LABEL_PODS:-true}" = "true" ] || return 0
  local value=null host="$KUBERNETES_SERVICE_HOST"
  if [ -n "$1" ]; then value="\\"$1\\""; fi
  if [[ $host == *:* ]]; then host="[$host]"; fi
  printf '{"metadata":{"labels":{"%s":%s}}}' "$ROLE_LABEL" "$value" |
    curl -sS --fail -o /dev/null --max-time 10 --cacert "$SA_DIR/ca.crt" \\
      -H "Authorization: Bearer $(cat "$SA_DIR/token")" -H 'Content-Type: application/merge-patch+json' \\
      -X PATCH --data-binary @- "https://$host:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/$POD_NAMESPACE/pods/$POD_NAME"
}

# A requested restore is loaded once, by the first primary of a new cluster, before clients are let in.
restore_if_requested() {
  [ ! -f "$state_dir/initialized" ] || return 0
  [ -f "$RESTORE_DIR/mysql.sql.gz" ] || return 0
  log "loading backup $(cat "$RESTORE_DIR/backup-info.txt" 2>/dev/null | head -n 1)"
  if ! gunzip -c "$RESTORE_DIR/mysql.sql.gz" | sql 127.0.0.1; then
    log "loading the backup failed; not accepting writes"
    return 1
  fi
  log "backup loaded"
}

writable_peer() {
  local p
  for p in "\${peers[@]}"; do
    [ "$p" != "$SELF_HOST" ] || continue
    if [ "$(val "$p" 'SELECT @@global.read_only')" = "0" ]; then
      echo "$p"
      return
    fi
  done
}

clone_from() {
  local src=$1
  log "cloning the data of $src (this server restarts when the clone is done)"
  sql 127.0.0.1 <<SQL
SET GLOBAL clone_valid_donor_list = $(q "$src:$MYSQL_PORT");
SET GLOBAL super_read_only = OFF;
CLONE INSTANCE FROM $(q "$REPL_USER")@$(q "$src"):$MYSQL_PORT IDENTIFIED BY $(q "$REPL_PASSWORD") REQUIRE SSL;
SQL
}

join_source() {
  local src=$1 mine purged
  mine=$(gtids 127.0.0.1)
  mine=\${mine#gtid:}
  if [ "$(val "$src" "SELECT GTID_SUBSET('$mine', @@global.gtid_executed)")" != "1" ]; then
    log "this server has transactions $src does not have (errant transactions): not replicating; see the runbook of MySQLReplicasMissing"
    return 1
  fi
  purged=$(val "$src" "SELECT REPLACE(@@global.gtid_purged, '\\n', '')")
  if [ "$(val 127.0.0.1 "SELECT GTID_SUBSET('$purged', '$mine')")" != "1" ]; then
    clone_from "$src"
    return 1
  fi
  sql 127.0.0.1 <<SQL
${changeSource('$src')}
START REPLICA;
SQL
}

become_primary() {
  sql 127.0.0.1 <<< 'SET GLOBAL super_read_only = OFF; SET GLOBAL read_only = OFF;' || return 1
  if ! restore_if_requested; then
    sql 127.0.0.1 <<< 'SET GLOBAL super_read_only = ON;'
    return 1
  fi
  touch "$state_dir/primary" "$state_dir/initialized"
  log "this server is the primary"
}

replication_step() {
  local src
  src=$(writable_peer)
  if [ -n "$src" ]; then
    if join_source "$src"; then
      rm -f "$state_dir/primary"
      touch "$state_dir/initialized"
      log "replicating from $src"
    fi
  elif [ -f "$state_dir/primary" ] || { [ "$ordinal" = "0" ] && [ ! -f "$state_dir/initialized" ]; }; then
    become_primary
  else
    log "no writable peer yet; waiting (only the last primary or a new cluster's pod 0 starts accepting writes by itself)"
  fi
}

online_peer() {
  local p
  for p in "\${peers[@]}"; do
    [ "$p" != "$SELF_HOST" ] || continue
    if [ "$(member_state "$p")" = "ONLINE" ]; then
      echo "$p"
      return
    fi
  done
}

group_step() {
  local p best g cond
  case "$(member_state 127.0.0.1)" in
    ONLINE|RECOVERING) return 0 ;;
  esac
  # Distributed recovery uses the replication user; the credentials stay in the server's own repository.
  sql 127.0.0.1 <<SQL || return 1
CHANGE REPLICATION SOURCE TO SOURCE_USER = $(q "$REPL_USER"), SOURCE_PASSWORD = $(q "$REPL_PASSWORD")
  FOR CHANNEL 'group_replication_recovery';
SQL
  p=$(online_peer)
  if [ -n "$p" ]; then
    log "joining the group through $p"
    sql 127.0.0.1 <<< 'START GROUP_REPLICATION;' && touch "$state_dir/initialized"
    return
  fi
  # Nobody is ONLINE. Every member must answer, then the first member whose GTID set contains all others
  # bootstraps; the others join it on their next step.
  declare -A sets=()
  for p in "\${peers[@]}"; do
    g=$(gtids "$p")
    if [ -z "$g" ]; then
      log "no group is online and $p does not answer; waiting for every member before bootstrapping"
      return 1
    fi
    sets[$p]=\${g#gtid:}
  done
  best=""
  for p in "\${peers[@]}"; do
    cond="SELECT 1"
    for g in "\${sets[@]}"; do
      cond="$cond AND GTID_SUBSET('$g', '\${sets[$p]}')"
    done
    if [ "$(val 127.0.0.1 "$cond")" = "1" ]; then
      best=$p
      break
    fi
  done
  if [ -z "$best" ]; then
    log "the members' transactions have diverged: no member holds all of them; bootstrap by hand (runbook of MySQLNoPrimary)"
    return 1
  fi
  [ "$best" = "$SELF_HOST" ] || { log "waiting for $best to bootstrap the group"; return 0; }
  log "bootstrapping the group"
  sql 127.0.0.1 <<'SQL' || return 1
SET GLOBAL group_replication_bootstrap_group = ON;
START GROUP_REPLICATION;
SET GLOBAL group_replication_bootstrap_group = OFF;
SQL
  restore_if_requested && touch "$state_dir/initialized"
}

heartbeat="\${HEARTBEAT_FILE:-/run/agent/alive}"
until local_ok; do
  touch "$heartbeat"
  sleep 2
done
log "MySQL answers; topology $TOPOLOGY, pod $POD_NAME"
# On its first boot a server comes up writable (the image's setup needs that); it must not look like a
# primary before this agent has decided its role.
if [ ! -f "$state_dir/initialized" ]; then
  sql 127.0.0.1 <<< 'SET GLOBAL super_read_only = ON;' || log "could not make the new server read-only"
fi
# A physical backup may come from a replica or a group member: its replication settings point at the old
# cluster. The server answering with the new root password also shows the entrypoint's reset took effect.
if [ -f "$state_dir/restored-physical" ]; then
  if sql 127.0.0.1 <<< 'STOP REPLICA; RESET REPLICA ALL;'; then
    rm -f "$state_dir/restored-physical"
    log "restored from a physical backup: the source's replication settings are cleared"
  else
    log "could not clear the replication settings of the restored data"
  fi
fi
ensure_system_users || log "could not create the system users; retrying on the next restart of the agent"
last="unset"
while true; do
  role=""
  if local_ok; then
    role=$(role_now)
    if [ -z "$role" ]; then
      case "$TOPOLOGY" in
        replication) replication_step ;;
        group-replication) group_step ;;
        *) if [ -f "$state_dir/initialized" ] || [ "$ordinal" = "0" ]; then become_primary; fi ;;
      esac
      role=$(role_now)
    fi
  fi
  if [ "$role" != "$last" ]; then
    if label_pod "$role"; then
      log "role label: \${role:-none}"
      last=$role
    fi
  fi
  touch "$heartbeat"
  sleep "\${INTERVAL_SECONDS:-5}"
done
`;
}

/**
 * Probes of the mysql container.
 *
 * usage: probe.sh liveness|readiness
 * - liveness: the server answers a query (never fails on replication trouble: a restart would not help).
 * - readiness: replication/standalone: the server accepts writes (primary) or both replication threads run
 *   (replica); group replication: the member is ONLINE.
 *
 * env: TOPOLOGY, CLIENT_CNF, MYSQL_PORT.
 */
export function mysqlProbeScript(): string {
  return `#!/bin/bash
set -uo pipefail
${COMMON}
answer=$(val 127.0.0.1 'SELECT 1')
[ "$answer" = "1" ] || { echo "MySQL does not answer"; exit 1; }
[ "$1" = "readiness" ] || exit 0
if [ "$TOPOLOGY" = "group-replication" ]; then
  state=$(member_state 127.0.0.1)
  [ "$state" = "ONLINE" ] || { echo "group member state: \${state:-none}"; exit 1; }
  exit 0
fi
[ "$(val 127.0.0.1 'SELECT @@global.read_only')" = "0" ] && exit 0
threads=$(val 127.0.0.1 "SELECT CONCAT(c.SERVICE_STATE, '/', a.SERVICE_STATE) FROM performance_schema.replication_connection_status c JOIN performance_schema.replication_applier_status a USING (CHANNEL_NAME) WHERE CHANNEL_NAME = ''")
[ "$threads" = "ON/ON" ] || { echo "read-only and not replicating (IO/SQL: \${threads:-none})"; exit 1; }
`;
}

/**
 * Job that creates the declared databases and application users on the primary and (re)sets their
 * passwords and grants. Safe to run again: every statement is idempotent.
 *
 * env: PRIMARY_HOST, MYSQL_PORT, CLIENT_CNF, MYSQL_ROOT_PASSWORD, DATABASES (space-separated),
 * USERS (space-separated `name:db1,db2:rw|ro`), USER_PASSWORD_<i> for the i-th user, WAIT_TIMEOUT_SECONDS.
 */
export function mysqlUsersScript(): string {
  return `#!/bin/bash
set -euo pipefail
${COMMON}
client_cnf "$CLIENT_CNF" root "$MYSQL_ROOT_PASSWORD"
deadline=$(( $(date +%s) + \${WAIT_TIMEOUT_SECONDS:-900} ))
until [ "$(val "$PRIMARY_HOST" 'SELECT @@global.read_only')" = "0" ]; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    log "no writable primary behind $PRIMARY_HOST"
    exit 1
  fi
  log "waiting for a writable primary behind $PRIMARY_HOST"
  sleep 5
done
statements=""
for db in \${DATABASES:-}; do
  statements+="CREATE DATABASE IF NOT EXISTS $(ident "$db") CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci;"$'\\n'
done
i=0
for spec in \${USERS:-}; do
  IFS=: read -r name dbs access <<< "$spec"
  var="USER_PASSWORD_$i"
  password=\${!var:?$var must come from the Secret of the user}
  user="$(q "$name")@'%'"
  statements+="CREATE USER IF NOT EXISTS $user IDENTIFIED BY $(q "$password");"$'\\n'
  statements+="ALTER USER $user IDENTIFIED BY $(q "$password");"$'\\n'
  IFS=, read -r -a list <<< "$dbs"
  for db in "\${list[@]}"; do
    if [ "$access" = "ro" ]; then
      statements+="GRANT SELECT, SHOW VIEW ON $(ident "$db").* TO $user;"$'\\n'
    else
      statements+="GRANT ALL PRIVILEGES ON $(ident "$db").* TO $user;"$'\\n'
    fi
  done
  i=$(( i + 1 ))
done
sql "$PRIMARY_HOST" <<< "$statements"
log "databases: \${DATABASES:-none}; users: $i"
`;
}

/**
 * Logical backup (dump step of the backup CronJob): mysqldump of every user database from the first host of
 * BACKUP_HOSTS that answers (the read-only Service first, so a replica carries the load), one consistent
 * snapshot (--single-transaction), gzip, plus backup-info.txt (source, time, GTID set, version).
 *
 * env: BACKUP_HOSTS, MYSQL_PORT, CLIENT_CNF, MYSQL_ROOT_PASSWORD, OUT_DIR.
 */
export function mysqlBackupScript(): string {
  return `#!/bin/bash
set -euo pipefail
${COMMON}
client_cnf "$CLIENT_CNF" root "$MYSQL_ROOT_PASSWORD"
# shellcheck disable=SC2086 # a list of host names
host=$(first_answering $BACKUP_HOSTS)
if [ -z "$host" ]; then
  log "none of $BACKUP_HOSTS answers"
  exit 1
fi
mapfile -t dbs < <(sql "$host" <<< "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql', 'sys', 'performance_schema', 'information_schema') ORDER BY SCHEMA_NAME")
log "dumping \${#dbs[@]} database(s) from $host: \${dbs[*]:-none}"
{
  echo "source: $host"
  echo "time: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "version: $(val "$host" 'SELECT @@version')"
  echo "gtid_executed: $(gtids "$host" | sed 's/^gtid://')"
  echo "databases: \${dbs[*]:-}"
} > "$OUT_DIR/backup-info.txt"
if [ "\${#dbs[@]}" -eq 0 ]; then
  echo "-- no user databases at backup time" | gzip > "$OUT_DIR/mysql.sql.gz"
else
  mysqldump --defaults-extra-file="$CLIENT_CNF" -h "$host" -P "\${MYSQL_PORT:-3306}" \\
    --single-transaction --routines --events --triggers --hex-blob --set-gtid-purged=OFF \\
    --default-character-set=utf8mb4 --databases "\${dbs[@]}" | gzip > "$OUT_DIR/mysql.sql.gz"
fi
log "dump written: $(du -h "$OUT_DIR/mysql.sql.gz" | cut -f1)"
`;
}

/**
 * The image's first-boot init step (run once, by the image's entrypoint, on a new data directory): the real
 * server then starts read-only, so no peer can mistake a new server for a primary before its agent has decided.
 */
export function mysqlFirstBootSql(): string {
  return 'SET PERSIST_ONLY super_read_only = ON;\n';
}

/**
 * The physical backup step (MysqlBackupMethod.PHYSICAL): a temporary server in the Job clones a running
 * server's data with the clone plugin, a replica first. A clone opens several connections, so the donor is
 * addressed by its own pod name (its report_host), never by a Service that could spread them over servers. The
 * temporary server uses the cluster's my.cnf (the clone needs the same plugins and character set) with a small
 * buffer pool and no network. Each data file is gzipped; mysql-dirs.txt lists the folders (S3 keeps no empty
 * ones); auto.cnf is left out, so a restored server gets its own server_uuid.
 *
 * env: BACKUP_HOSTS, MYSQL_PORT, CLIENT_CNF, MYSQL_ROOT_PASSWORD, REPL_USER, REPL_PASSWORD, BASE_CONF, WORK_DIR,
 * OUT_DIR.
 */
export function mysqlPhysicalBackupScript(): string {
  return `#!/bin/bash
set -euo pipefail
${COMMON}
client_cnf "$CLIENT_CNF" root "$MYSQL_ROOT_PASSWORD"
# shellcheck disable=SC2086 # a list of host names
service=$(first_answering $BACKUP_HOSTS)
donor=""
if [ -n "$service" ]; then
  donor=$(first_answering "$(val "$service" 'SELECT @@global.report_host' || true)")
fi
if [ -z "$donor" ]; then
  log "none of $BACKUP_HOSTS answers"
  exit 1
fi
datadir="$WORK_DIR/recipient"
sock="$WORK_DIR/recipient.sock"
conf="$WORK_DIR/recipient.cnf"
target="$OUT_DIR/data"
{
  cat "$BASE_CONF"
  echo
  echo "[mysqld]"
  echo "datadir=$datadir"
  echo "socket=$sock"
  echo "pid-file=$WORK_DIR/recipient.pid"
  echo "log-error=$WORK_DIR/recipient.err"
  echo "skip-networking=ON"
  echo "innodb_buffer_pool_size=134217728"
  echo "max_connections=10"
  echo "slow_query_log=OFF"
  echo "slow_query_log_file=$WORK_DIR/slow.log"
  echo "skip_replica_start=ON"
  echo "loose_rpl_semi_sync_source_enabled=OFF"
  echo "loose_rpl_semi_sync_replica_enabled=OFF"
  echo "clone_valid_donor_list=$donor:$MYSQL_PORT"
} > "$conf"
local_sql() { mysql --no-defaults --socket="$sock" -u root -N -B; }
log "starting a temporary server to receive the clone"
mysqld --defaults-file="$conf" --initialize-insecure
mysqld --defaults-file="$conf" &
server=$!
stop_server() {
  if kill -0 "$server" 2>/dev/null; then
    local_sql <<< 'SHUTDOWN;' 2>/dev/null || kill "$server"
    wait "$server" || true
  fi
}
trap stop_server EXIT
for _ in $(seq 1 120); do
  if [ "$(local_sql <<< 'SELECT 1' 2>/dev/null)" = "1" ]; then
    break
  fi
  kill -0 "$server" 2>/dev/null || { cat "$WORK_DIR/recipient.err" >&2; exit 1; }
  sleep 1
done
log "cloning the data of $donor"
local_sql <<SQL
CLONE INSTANCE FROM $(q "$REPL_USER")@$(q "$donor"):$MYSQL_PORT IDENTIFIED BY $(q "$REPL_PASSWORD")
  DATA DIRECTORY = $(q "$target") REQUIRE SSL;
SQL
status=$(local_sql <<< "SELECT CONCAT(STATE, '|', REPLACE(GTID_EXECUTED, '\\n', '')) FROM performance_schema.clone_status")
if [ "\${status%%|*}" != "Completed" ]; then
  log "the clone did not complete: \${status%%|*}"
  exit 1
fi
version=$(local_sql <<< 'SELECT @@version')
stop_server
trap - EXIT
rm -f "$target/auto.cnf"
(cd "$target" && find . -mindepth 1 -type d) > "$OUT_DIR/mysql-dirs.txt"
find "$target" -type f -exec gzip -1 {} +
{
  echo "source: $donor"
  echo "time: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "method: physical (clone)"
  echo "version: $version"
  echo "gtid_executed: \${status#*|}"
} > "$OUT_DIR/backup-info.txt"
rm -rf "$datadir"
log "clone written: $(du -sh "$target" | cut -f1)"
`;
}

/**
 * Manual switchover or failover in the replication topology, run in the agent container of the replica to
 * promote: \`kubectl exec <pod> -c agent -- bash /scripts/promote.sh\` (add \`--force\` when the primary is gone).
 * Without --force the current primary is made read-only first and this replica waits until it has applied
 * every transaction of the primary; then it stops replicating, accepts writes, and every other reachable
 * server is pointed at it.
 *
 * env: as the agent (SELF_HOST, PEERS, MYSQL_PORT, CLIENT_CNF, MYSQL_ROOT_PASSWORD, REPL_USER, REPL_PASSWORD,
 * STATE_DIR).
 */
export function mysqlPromoteScript(): string {
  return `#!/bin/bash
set -euo pipefail
${COMMON}
force=false
[ "\${1:-}" != "--force" ] || force=true
client_cnf "$CLIENT_CNF" root "$MYSQL_ROOT_PASSWORD"
read -r -a peers <<< "$PEERS"
old=""
for p in "\${peers[@]}"; do
  [ "$p" != "$SELF_HOST" ] || continue
  if [ "$(val "$p" 'SELECT @@global.read_only')" = "0" ]; then old=$p; fi
done
if [ -n "$old" ]; then
  log "making the current primary $old read-only"
  sql "$old" <<< 'SET GLOBAL super_read_only = ON;'
  target=$(gtids "$old")
  target=\${target#gtid:}
  log "waiting until this server has applied $target"
  if [ "$(val 127.0.0.1 "SELECT WAIT_FOR_EXECUTED_GTID_SET('$target', 120)")" != "0" ]; then
    log "this replica did not catch up within 120 s; making $old writable again"
    sql "$old" <<< 'SET GLOBAL super_read_only = OFF; SET GLOBAL read_only = OFF;'
    exit 1
  fi
elif [ "$force" != "true" ]; then
  log "no writable primary answers; if it is really gone, run again with --force (transactions it had not sent are lost)"
  exit 1
fi
sql 127.0.0.1 <<< 'STOP REPLICA; RESET REPLICA ALL; SET GLOBAL super_read_only = OFF; SET GLOBAL read_only = OFF;'
mkdir -p "$STATE_DIR"
touch "$STATE_DIR/primary" "$STATE_DIR/initialized"
log "this server ($SELF_HOST) is the primary"
for p in "\${peers[@]}"; do
  [ "$p" != "$SELF_HOST" ] || continue
  if [ "$(val "$p" 'SELECT 1')" != "1" ]; then
    log "$p does not answer; its agent points it at the new primary when it comes back"
    continue
  fi
  sql "$p" <<SQL || log "could not point $p at the new primary"
SET GLOBAL super_read_only = ON;
STOP REPLICA;
${changeSource('$SELF_HOST')}
START REPLICA;
SQL
  log "$p now replicates from $SELF_HOST"
done
`;
}
