/**
 * Bash scripts run in the official Redis image (Debian: bash, getent, redis-cli). Each reads its inputs from
 * environment variables listed at its top, so the tests run the very same text against real redis-server
 * processes on loopback by changing only the environment. The password only ever travels in REDIS_PASSWORD /
 * REDISCLI_AUTH (Secret-backed env): never in a file of the image, a ConfigMap, or a process argument.
 */

/** Shared helpers: a redis-cli wrapper and hostname resolution. */
const COMMON = `log() { echo "[$(date -u +%H:%M:%S)] $*"; }
# rc HOST:PORT ARGS...: redis-cli against one node; the password comes from REDISCLI_AUTH.
rc() {
  local node=$1
  shift
  timeout "\${RC_TIMEOUT:-10}" redis-cli --no-auth-warning -h "\${node%:*}" -p "\${node##*:}" "$@" | tr -d '\\r'
}
# resolve NAME: the first address of NAME (an IP is returned as it is); empty when it does not resolve.
resolve() {
  local name=$1
  if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then
    echo "$name"
    return
  fi
  getent hosts "$name" | awk 'NR == 1 { print $1 }' || true
}
# quote VALUE: VALUE as a double-quoted redis.conf string (backslashes and quotes escaped).
quote() {
  local s=\${1//\\\\/\\\\\\\\}
  s=\${s//\\"/\\\\\\"}
  printf '"%s"' "$s"
}`;

/**
 * Entrypoint of every Redis data container.
 *
 * env: REDIS_MODE (cluster|sentinel|standalone), REDIS_PASSWORD, REDIS_PORT, REDIS_CONF, RUNTIME_CONF, DATA_DIR,
 * ANNOUNCE_IP (or POD_IP), ANNOUNCE_HOSTNAME, REDIS_SERVER_BIN; sentinel mode also SENTINEL_HOSTS,
 * SENTINEL_MASTER_NAME, INITIAL_MASTER_HOST, INITIAL_MASTER_PORT, SELF_HOST.
 */
export function redisEntrypointScript(): string {
  return `#!/bin/bash
set -euo pipefail
${COMMON}
mode="\${REDIS_MODE:-standalone}"
port="\${REDIS_PORT:-6379}"
conf="\${REDIS_CONF:-/etc/redis/redis.conf}"
runtime="\${RUNTIME_CONF:-/run/redis/runtime.conf}"
data="\${DATA_DIR:-/data}"
announce_ip="\${ANNOUNCE_IP:-\${POD_IP:-}}"
announce_host="\${ANNOUNCE_HOSTNAME:-}"
server="\${REDIS_SERVER_BIN:-redis-server}"
: "\${REDIS_PASSWORD:?REDIS_PASSWORD must come from the password Secret}"
version=$("$server" --version | sed -n 's/.* v=\\([0-9]*\\)\\..*/\\1/p')


umask 077
{
  echo "requirepass $(quote "$REDIS_PASSWORD")"
  echo "masterauth $(quote "$REDIS_PASSWORD")"
  if [ "$mode" = "cluster" ]; then
    if [ -n "$announce_ip" ]; then echo "cluster-announce-ip $announce_ip"; fi
    if [ -n "$announce_host" ] && [ "$version" -ge 7 ]; then echo "cluster-announce-hostname $announce_host"; fi
  fi
} > "$runtime"

if [ "$mode" = "sentinel" ]; then
  self="\${SELF_HOST:?SELF_HOST is required in sentinel mode}"
  # Replicas announce their stable name, so sentinels and clients survive pod IP changes.
  echo "replica-announce-ip $self" >> "$runtime"
  echo "replica-announce-port $port" >> "$runtime"
  master_host=""
  master_port=""
  for sentinel in \${SENTINEL_HOSTS:-}; do
    # Sentinels have no password; the data password must not be offered to them.
    reply=$(env -u REDISCLI_AUTH timeout 3 redis-cli -h "\${sentinel%:*}" -p "\${sentinel##*:}" \\
      sentinel get-master-addr-by-name "$SENTINEL_MASTER_NAME" 2>/dev/null | tr -d '\\r' || true)
    if [ "$(printf '%s\\n' "$reply" | wc -l)" -eq 2 ] && [ -n "$(printf '%s\\n' "$reply" | sed -n 1p)" ]; then
      master_host=$(printf '%s\\n' "$reply" | sed -n 1p)
      master_port=$(printf '%s\\n' "$reply" | sed -n 2p)
      log "sentinel $sentinel says the master is $master_host:$master_port"
      break
    fi
  done
  if [ -z "$master_host" ]; then
    master_host="$INITIAL_MASTER_HOST"
    master_port="$INITIAL_MASTER_PORT"
    log "no sentinel knows a master yet; the initial master is $master_host:$master_port"
  fi
  if [ "$master_host" != "$self" ] || [ "$master_port" != "$port" ]; then
    echo "replicaof $master_host $master_port" >> "$runtime"
    log "starting as a replica of $master_host:$master_port"
  else
    log "starting as the master"
  fi
fi

# Cluster mode: peers are recorded in nodes.conf by IP. After pods were rescheduled all IPs may have changed, so
# re-resolve each peer's announced hostname (Redis 7 stores it as ip:port@cport,hostname) and our own address.
nodes="$data/nodes.conf"
if [ "$mode" = "cluster" ] && [ -s "$nodes" ]; then
  tmp="$nodes.rewrite"
  : > "$tmp"
  while IFS= read -r line; do
    read -r id addr flags rest <<< "$line" || true
    if [[ $addr == *:*@*,* ]]; then
      hostname=\${addr##*,}
      ipport=\${addr%%@*}
      bus=\${addr#*@}
      bus=\${bus%%,*}
      old_ip=\${ipport%:*}
      node_port=\${ipport##*:}
      new_ip=""
      if [[ ,$flags, == *,myself,* ]]; then
        new_ip="$announce_ip"
      elif [ -n "$hostname" ]; then
        new_ip=$(resolve "$hostname")
      fi
      if [ -n "$new_ip" ] && [ "$new_ip" != "$old_ip" ]; then
        log "node $id ($hostname) moved from $old_ip to $new_ip"
        line="$id $new_ip:$node_port@$bus,$hostname $flags $rest"
      fi
    fi
    printf '%s\\n' "$line" >> "$tmp"
  done < "$nodes"
  mv "$tmp" "$nodes"
fi

exec "$server" "$conf"
`;
}

/**
 * Forms a Redis Cluster from empty nodes, idempotently.
 *
 * env: LEADERS ("host:port ..."), FOLLOWERS ("host:port ...", may be empty; follower k replicates leader k mod N),
 * REDISCLI_AUTH, WAIT_TIMEOUT_SECONDS (default 600).
 */
export function clusterFormationScript(): string {
  return `#!/bin/bash
set -euo pipefail
${COMMON}
read -r -a leaders <<< "\${LEADERS:?LEADERS is required}"
read -r -a followers <<< "\${FOLLOWERS:-}" || true
all=("\${leaders[@]}" "\${followers[@]}")
n=\${#leaders[@]}
total=\${#all[@]}
deadline=$(( $(date +%s) + \${WAIT_TIMEOUT_SECONDS:-600} ))

info() { rc "$1" cluster info | awk -F: -v k="$2" '$1 == k { print $2 }'; }
myid() { rc "$1" cluster myid; }
wait_for() {
  local what=$1
  shift
  until "$@"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "timed out waiting for $what"
      exit 1
    fi
    sleep 2
  done
}
answers() { [ "$(rc "$1" ping 2>/dev/null)" = "PONG" ]; }
knows_all() {
  local node known
  for node in "\${all[@]}"; do
    known=$(info "$node" cluster_known_nodes)
    [ "\${known:-0}" -ge "$total" ] || return 1
  done
}
state_ok() {
  local node
  for node in "\${all[@]}"; do
    [ "$(info "$node" cluster_state)" = "ok" ] || return 1
    [ "$(info "$node" cluster_slots_ok)" = "16384" ] || return 1
  done
}
# Formed: every node ok and knows all others, every master serves slots, every other node is a replica.
# Roles are not compared with the original layout: after a failover a follower may rightly be a master.
formed() {
  state_ok || return 1
  knows_all || return 1
  rc "\${leaders[0]}" cluster nodes | awk '
    $3 ~ /master/ && NF < 9 { bad = 1 }
    $3 ~ /fail/ { bad = 1 }
    END { exit bad }'
}

for node in "\${all[@]}"; do
  log "waiting for $node"
  wait_for "$node to answer" answers "$node"
done

if formed; then
  log "cluster already formed with $total nodes; nothing to do"
  exit 0
fi

major=$(rc "\${leaders[0]}" info server | awk -F: '$1 == "redis_version" { split($2, v, "."); print v[1] }')
# own_slots NODE: the slot ranges NODE serves ("a-b" or "a"), one per line, migration markers left out.
own_slots() { rc "$1" cluster nodes | awk '$3 ~ /myself/ { for (i = 9; i <= NF; i++) if (substr($i, 1, 1) != "[") print $i }'; }
# gaps FIRST LAST: the parts of FIRST..LAST not covered by the ranges read from stdin, one "a b" per line.
gaps() {
  awk -v first="$1" -v last="$2" '
    NF { n = split($1, r, "-"); a = r[1] + 0; b = (n > 1 ? r[2] : r[1]) + 0; for (s = a; s <= b; s++) have[s] = 1 }
    END {
      s = first + 0
      while (s <= last) {
        if (s in have) { s++; continue }
        e = s
        while (e + 1 <= last && !((e + 1) in have)) e++
        print s, e
        s = e + 1
      }
    }'
}
add_slots() {
  if [ "\${major:-6}" -ge 7 ]; then
    rc "$1" cluster addslotsrange "$2" "$3" > /dev/null
  else
    # shellcheck disable=SC2046 # one argument per slot is intended
    rc "$1" cluster addslots $(seq "$2" "$3") > /dev/null
  fi
}

# Slots are only ever assigned before the nodes have met, and only per the fixed plan: leader i serves
# slots i*16384/n .. (i+1)*16384/n-1. A node seeded from a backup already claims the slots of its keys,
# which must lie inside its planned range; the rest of the range is added. A cluster whose nodes have met
# is live: its slots are never reassigned here.
fresh=1
for node in "\${all[@]}"; do
  [ "$(info "$node" cluster_known_nodes)" -le 1 ] || fresh=0
done
if [ "$fresh" -eq 1 ]; then
  for i in $(seq 0 $(( n - 1 ))); do
    first=$(( i * 16384 / n ))
    last=$(( (i + 1) * 16384 / n - 1 ))
    owned=$(own_slots "\${leaders[$i]}")
    for range in $owned; do
      a=\${range%-*}
      b=\${range#*-}
      if [ "$a" -lt "$first" ] || [ "$b" -gt "$last" ]; then
        log "\${leaders[$i]} holds slots $range outside its planned range $first-$last (restored from a backup of a cluster with another number of masters?); refusing to form"
        exit 1
      fi
    done
    [ -z "$owned" ] || log "\${leaders[$i]} already serves $(echo "$owned" | tr '\n' ' ')"
    while read -r a b; do
      log "assigning slots $a-$b to \${leaders[$i]}"
      add_slots "\${leaders[$i]}" "$a" "$b"
    done < <(printf '%s\n' "$owned" | gaps "$first" "$last")
  done
  for node in "\${followers[@]}"; do
    if [ -n "$(own_slots "$node")" ]; then
      log "$node is meant to be a replica but serves slots; refusing to form"
      exit 1
    fi
  done
else
  assigned=0
  for node in "\${all[@]}"; do
    s=$(info "$node" cluster_slots_assigned)
    assigned=$(( assigned + \${s:-0} ))
  done
  if [ "$assigned" -eq 0 ]; then
    for i in $(seq 0 $(( n - 1 ))); do
      first=$(( i * 16384 / n ))
      last=$(( (i + 1) * 16384 / n - 1 ))
      log "assigning slots $first-$last to \${leaders[$i]}"
      add_slots "\${leaders[$i]}" "$first" "$last"
    done
  else
    log "the nodes have met and slots are assigned; not touching them"
  fi
fi

for node in "\${all[@]:1}"; do
  host=\${node%:*}
  ip=$(resolve "$host")
  if [ -z "$ip" ]; then
    log "cannot resolve $host"
    exit 1
  fi
  rc "\${leaders[0]}" cluster meet "$ip" "\${node##*:}" > /dev/null
done
log "waiting until every node knows all $total nodes"
wait_for "the nodes to meet" knows_all

for k in "\${!followers[@]}"; do
  follower=\${followers[$k]}
  leader=\${leaders[$(( k % n ))]}
  leader_id=$(myid "$leader")
  mine=$(rc "$follower" cluster nodes | awk '$3 ~ /myself/')
  flags=$(echo "$mine" | awk '{ print $3 }')
  if [[ $flags == *slave* ]]; then
    log "$follower is already a replica"
    continue
  fi
  if [ "$(echo "$mine" | awk '{ print NF }')" -ge 9 ]; then
    log "$follower is a master with slots (after a failover); leaving it"
    continue
  fi
  log "making $follower a replica of $leader ($leader_id)"
  replicate() { [ "$(rc "$follower" cluster replicate "$leader_id" 2>&1)" = "OK" ]; }
  wait_for "$follower to replicate $leader" replicate
done

# Wait for the whole "formed" condition, not only cluster_state: gossip may still show a new replica as an
# empty master to leaders[0], and a rerun must then see a formed cluster.
log "waiting for cluster_state:ok on every node and every replica known as one"
wait_for "the cluster to be formed" formed
log "cluster formed: $n masters, \${#followers[@]} replicas"
`;
}

/**
 * Entrypoint of sentinel containers: finds the current master (from the other sentinels, else by asking the
 * data pods, else the initial master), writes a writable sentinel.conf and starts the sentinel.
 *
 * env: SENTINEL_PORT, SENTINEL_CONF_TEMPLATE, SENTINEL_CONF, SENTINEL_MASTER_NAME, SENTINEL_QUORUM, REDIS_PASSWORD,
 * INITIAL_MASTER_HOST, INITIAL_MASTER_PORT, SENTINEL_HOSTS, REDIS_HOSTS, SENTINEL_ANNOUNCE_HOSTNAME,
 * SENTINEL_DOWN_AFTER_MS, SENTINEL_FAILOVER_TIMEOUT_MS, REDIS_SERVER_BIN.
 */
export function sentinelEntrypointScript(): string {
  return `#!/bin/bash
set -euo pipefail
${COMMON}
port="\${SENTINEL_PORT:-26379}"
conf="\${SENTINEL_CONF:-/run/redis/sentinel.conf}"
server="\${REDIS_SERVER_BIN:-redis-server}"
name="\${SENTINEL_MASTER_NAME:?}"
: "\${REDIS_PASSWORD:?REDIS_PASSWORD must come from the password Secret}"

master_host=""
master_port=""
for sentinel in \${SENTINEL_HOSTS:-}; do
  reply=$(env -u REDISCLI_AUTH timeout 3 redis-cli -h "\${sentinel%:*}" -p "\${sentinel##*:}" \\
    sentinel get-master-addr-by-name "$name" 2>/dev/null | tr -d '\\r' || true)
  if [ "$(printf '%s\\n' "$reply" | wc -l)" -eq 2 ] && [ -n "$(printf '%s\\n' "$reply" | sed -n 1p)" ]; then
    master_host=$(printf '%s\\n' "$reply" | sed -n 1p)
    master_port=$(printf '%s\\n' "$reply" | sed -n 2p)
    break
  fi
done
if [ -z "$master_host" ]; then
  for node in \${REDIS_HOSTS:-}; do
    if rc "$node" role 2>/dev/null | head -n 1 | grep -qx master; then
      # A lone master with replicas attached, or the initial master, is the one to monitor.
      master_host=\${node%:*}
      master_port=\${node##*:}
      [ "$master_host" = "$INITIAL_MASTER_HOST" ] && break
    fi
  done
fi
if [ -z "$master_host" ]; then
  master_host="$INITIAL_MASTER_HOST"
  master_port="$INITIAL_MASTER_PORT"
fi
log "monitoring $name at $master_host:$master_port"

umask 077
{
  cat "\${SENTINEL_CONF_TEMPLATE:-/etc/redis/sentinel.conf}"
  echo "port $port"
  echo "sentinel resolve-hostnames yes"
  echo "sentinel announce-hostnames yes"
  if [ -n "\${SENTINEL_ANNOUNCE_HOSTNAME:-}" ]; then echo "sentinel announce-ip \${SENTINEL_ANNOUNCE_HOSTNAME}"; fi
  echo "sentinel monitor $name $master_host $master_port \${SENTINEL_QUORUM:-2}"
  echo "sentinel down-after-milliseconds $name \${SENTINEL_DOWN_AFTER_MS:-10000}"
  echo "sentinel failover-timeout $name \${SENTINEL_FAILOVER_TIMEOUT_MS:-60000}"
  echo "sentinel parallel-syncs $name 1"
  echo "sentinel auth-pass $name $(quote "$REDIS_PASSWORD")"
} > "$conf"
exec "$server" "$conf" --sentinel
`;
}

/**
 * Dumps every shard (cluster) or the dataset (sentinel, standalone) with redis-cli --rdb, preferring an in-sync
 * replica to spare the master. Writes shard-<i>.rdb (i = shard order by first slot) or dump.rdb, plus manifest.txt.
 *
 * env: REDIS_MODE, SEED_HOSTS ("host:port ..."), REDISCLI_AUTH, OUT_DIR, SEED_WAIT_SECONDS (default 120).
 */
export function backupDumpScript(): string {
  return `#!/bin/bash
set -euo pipefail
${COMMON}
read -r -a seeds <<< "\${SEED_HOSTS:?SEED_HOSTS is required}"
out="\${OUT_DIR:?OUT_DIR is required}"
mkdir -p "$out"
: > "$out/manifest.txt"

link_up() { rc "$1" info replication | grep -q '^master_link_status:up'; }
dump() {
  local node=$1 file=$2 role=$3 slots=$4
  log "dumping $node ($role) to $file"
  RC_TIMEOUT=\${DUMP_TIMEOUT_SECONDS:-3600} rc "$node" --rdb "$out/$file" > /dev/null
  if [ ! -s "$out/$file" ]; then
    log "the dump of $node is empty"
    exit 1
  fi
  echo "$file $node $role $(stat -c %s "$out/$file") $slots" >> "$out/manifest.txt"
}

# A new pod's first connections can be refused until the NetworkPolicy enforcer admits its address (seen: about a
# second), and a node may be restarting: ask the seeds again for a while before giving up.
deadline=$(( $(date +%s) + \${SEED_WAIT_SECONDS:-120} ))
if [ "\${REDIS_MODE:-cluster}" = "cluster" ]; then
  nodes=""
  while :; do
    for seed in "\${seeds[@]}"; do
      if nodes=$(rc "$seed" cluster nodes 2>/dev/null) && [ -n "$nodes" ]; then break 2; fi
    done
    [ "$(date +%s)" -lt "$deadline" ] || break
    sleep 2
  done
  if [ -z "$nodes" ]; then
    log "no node answered within \${SEED_WAIT_SECONDS:-120}s"
    exit 1
  fi
  # Masters that serve slots, ordered by their lowest slot: id, address, slot ranges.
  masters=$(echo "$nodes" | awk '$3 ~ /master/ && $3 !~ /fail/ && NF >= 9 {
      ranges = ""; low = 16384
      for (i = 9; i <= NF; i++) { if ($i ~ /^\\[/) continue; ranges = ranges (ranges ? "," : "") $i; split($i, r, "-"); if (r[1] + 0 < low) low = r[1] + 0 }
      split($2, a, "@"); print low, $1, a[1], ranges }' | sort -n)
  if [ -z "$masters" ]; then
    log "no master serves slots: is the cluster formed?"
    exit 1
  fi
  i=0
  while read -r _ id addr ranges; do
    source=$addr
    role=master
    for replica in $(echo "$nodes" | awk -v m="$id" '$4 == m && $3 ~ /slave/ && $3 !~ /fail/ && $8 == "connected" { split($2, a, "@"); print a[1] }'); do
      if link_up "$replica"; then
        source=$replica
        role=replica
        break
      fi
    done
    dump "$source" "shard-$i.rdb" "$role" "$ranges"
    i=$(( i + 1 ))
  done <<< "$masters"
else
  master=""
  replica=""
  while :; do
    for node in "\${seeds[@]}"; do
      role=$(rc "$node" role 2>/dev/null | head -n 1 || true)
      if [ "$role" = "master" ] && [ -z "$master" ]; then master=$node; fi
      if [ "$role" = "slave" ] && [ -z "$replica" ] && link_up "$node"; then replica=$node; fi
    done
    if [ -n "$master$replica" ] || [ "$(date +%s)" -ge "$deadline" ]; then break; fi
    sleep 2
  done
  if [ -n "$replica" ]; then
    dump "$replica" dump.rdb replica -
  elif [ -n "$master" ]; then
    dump "$master" dump.rdb master -
  else
    log "no master answered"
    exit 1
  fi
fi
log "backup dump complete: $(wc -l < "$out/manifest.txt") files"
`;
}

/**
 * Seeds a fresh data volume from a downloaded backup before Redis starts. Never touches a volume with data.
 * With AOF on, the RDB becomes the AOF base (Redis 7 manifest; on 6.2 an AOF with RDB preamble), because Redis
 * ignores dump.rdb when appendonly is on and no AOF exists.
 *
 * env: DATA_DIR, RESTORE_DIR, POD_NAME (ordinal = shard for leaders), REDIS_MODE, APPENDONLY (yes|no), REDIS_SERVER_BIN.
 */
export function restoreSeedScript(): string {
  return `#!/bin/bash
set -euo pipefail
${COMMON}
data="\${DATA_DIR:?}"
restore="\${RESTORE_DIR:?}"
existing=$(find "$data" -mindepth 1 -maxdepth 1 ! -name lost+found | head -n 1)
if [ -n "$existing" ]; then
  log "$data already holds data ($existing); not restoring"
  exit 0
fi
ordinal=\${POD_NAME##*-}
case "\${REDIS_MODE:-cluster}" in
  cluster)
    if [[ $POD_NAME != *-leader-* ]]; then
      log "followers sync from their leader; nothing to seed"
      exit 0
    fi
    file="shard-$ordinal.rdb"
    ;;
  sentinel)
    if [ "$ordinal" != "0" ]; then
      log "replicas sync from the master; nothing to seed"
      exit 0
    fi
    file=dump.rdb
    ;;
  *) file=dump.rdb ;;
esac
if [ ! -s "$restore/$file" ]; then
  log "the backup has no $file (was it taken from an instance with the same number of masters?)"
  exit 1
fi
cp "$restore/$file" "$data/dump.rdb"
if [ "\${APPENDONLY:-no}" = "yes" ]; then
  version=$("\${REDIS_SERVER_BIN:-redis-server}" --version | sed -n 's/.* v=\\([0-9]*\\)\\..*/\\1/p')
  if [ "$version" -ge 7 ]; then
    mkdir -p "$data/appendonlydir"
    cp "$restore/$file" "$data/appendonlydir/appendonly.aof.1.base.rdb"
    echo "file appendonly.aof.1.base.rdb seq 1 type b" > "$data/appendonlydir/appendonly.aof.manifest"
  else
    cp "$restore/$file" "$data/appendonly.aof"
  fi
fi
log "seeded $data from $file"
`;
}
