/**
 * Cluster-mode shell helpers shared by the probe and the pre-stop gate; they need `cli` (redis-cli against the
 * local server).
 *
 * relink_if_stale: a master that restarts gets a new pod IP. When its replica learns the new address from another
 * node's gossip rather than from the master itself, Redis updates CLUSTER NODES but not the replication target, and
 * the replica retries the old IP forever (seen on the cluster tier during a roll: master_link_status:down while
 * CLUSTER NODES had the new IP). CLUSTER REPLICATE of the same master re-reads its current address.
 */
export const CLUSTER_HELPERS = `# node_field LINE N: field N of a CLUSTER NODES line.
node_field() { printf '%s\\n' "$1" | awk -v n="$2" '{ print $n }'; }
relink_if_stale() {
  local nodes me master_id master_line addr want have
  nodes=$(cli cluster nodes) || return 0
  me=$(printf '%s\\n' "$nodes" | awk '$3 ~ /(^|,)myself(,|$)/')
  master_id=$(node_field "$me" 4)
  [ -n "$master_id" ] && [ "$master_id" != "-" ] || return 0
  master_line=$(printf '%s\\n' "$nodes" | awk -v id="$master_id" '$1 == id')
  [ -n "$master_line" ] || return 0
  case ",$(node_field "$master_line" 3)," in *,fail,*|*,fail?,*|*,handshake,*|*,noaddr,*) return 0 ;; esac
  [ "$(node_field "$master_line" 8)" = "connected" ] || return 0
  addr=$(node_field "$master_line" 2)
  want=\${addr%%@*}
  have=$(cli info replication | awk -F: '$1 == "master_host" { h = $2 } $1 == "master_port" { p = $2 } END { print h ":" p }')
  if [ "$want" != "$have" ]; then
    echo "replication points at $have but master $master_id is at $want: re-pointing"
    cli cluster replicate "$master_id" >/dev/null || true
  fi
}`;

/**
 * Pre-stop gate of cluster-mode data pods. The leader and follower StatefulSets roll independently, so a shard's
 * master and replica could restart together. Each pod therefore waits, before Redis gets SIGTERM, until its shard
 * mate is up and in sync, checked twice 2 s apart: a master has a connected, online replica (or none at all); a
 * replica's master is connected and the replication link is up. Followers first wait ROLL_GATE_DELAY_SECONDS so
 * that a leader deleted at the same moment is already seen down. The wait is bounded by ROLL_GATE_SECONDS: a pod
 * whose shard mate is gone for good (node loss) still stops, and the pod's grace period covers the gate plus
 * Redis's own shutdown. The gate never fails the hook.
 */
export function clusterPreStopScript(): string {
  return `#!/bin/bash
set -uo pipefail
port="\${REDIS_PORT:-6379}"
cli() { timeout 4 redis-cli --no-auth-warning -h 127.0.0.1 -p "$port" "$@" | tr -d '\\r'; }
${CLUSTER_HELPERS}
shard_mates_ok() {
  local nodes me my_id role replication
  nodes=$(cli cluster nodes) || return 1
  me=$(printf '%s\\n' "$nodes" | awk '$3 ~ /(^|,)myself(,|$)/')
  my_id=$(node_field "$me" 1)
  replication=$(cli info replication) || return 1
  role=$(printf '%s\\n' "$replication" | awk -F: '$1 == "role" { print $2 }')
  if [ "$role" = "master" ]; then
    # No replica at all: nothing to wait for. Otherwise one must be connected and online (in sync).
    awk -v id="$my_id" '$4 == id { n++ } END { exit n > 0 }' <<< "$nodes" && return 0
    awk -v id="$my_id" '$4 == id && $8 == "connected" && $3 !~ /fail|handshake|noaddr/ { n++ } END { exit n == 0 }' <<< "$nodes" || return 1
    grep -q '^slave[0-9]*:.*state=online' <<< "$replication" || return 1
  else
    relink_if_stale
    grep -q '^master_link_status:up' <<< "$replication" || return 1
  fi
  return 0
}
sleep "\${ROLL_GATE_DELAY_SECONDS:-0}"
deadline=$(( $(date +%s) + \${ROLL_GATE_SECONDS:-60} ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  if shard_mates_ok && sleep 2 && shard_mates_ok; then
    echo "shard mate in sync: stopping"
    exit 0
  fi
  sleep 2
done
echo "shard mate not in sync after \${ROLL_GATE_SECONDS:-60}s: stopping anyway"
exit 0
`;
}

/**
 * Probe script for Redis data pods, mounted from the scripts ConfigMap. It reads the password from
 * REDISCLI_AUTH (env from the Secret), so neither the manifest nor the process list shows it.
 *
 * usage: probe.sh liveness|readiness
 * - liveness: the server answers (PONG, or LOADING/MASTERDOWN while it starts or syncs) within the timeout.
 * - readiness: PONG, and in cluster mode the node sees cluster_state:ok (so clients are only sent to a
 *   working cluster); a replica also needs its link to the master up. A cluster replica whose replication still
 *   points at an old address of its master is re-pointed (see {@link CLUSTER_HELPERS}).
 */
export function redisProbeScript(): string {
  return `#!/bin/bash
set -uo pipefail
port="\${REDIS_PORT:-6379}"
mode="\${REDIS_MODE:-standalone}"
cli() { timeout 4 redis-cli --no-auth-warning -h 127.0.0.1 -p "$port" "$@" | tr -d '\\r'; }
${CLUSTER_HELPERS}

reply=$(cli ping 2>&1) || { echo "ping failed: $reply"; exit 1; }
case "$1" in
  liveness)
    case "$reply" in
      PONG|LOADING*|MASTERDOWN*) exit 0 ;;
      *) echo "unexpected ping reply: $reply"; exit 1 ;;
    esac
    ;;
  readiness)
    [ "$reply" = "PONG" ] || { echo "not ready: $reply"; exit 1; }
    if [ "$mode" = "cluster" ]; then
      state=$(cli cluster info | tr -d '\\r' | grep '^cluster_state:' || true)
      [ "$state" = "cluster_state:ok" ] || { echo "cluster not ok: $state"; exit 1; }
    fi
    replication=$(cli info replication)
    if printf '%s\\n' "$replication" | grep -q '^role:slave'; then
      if ! printf '%s\\n' "$replication" | grep -q '^master_link_status:up'; then
        [ "$mode" = "cluster" ] && relink_if_stale
        echo "replica link to master is down"
        exit 1
      fi
    fi
    exit 0
    ;;
  *)
    echo "usage: probe.sh liveness|readiness" >&2
    exit 2
    ;;
esac
`;
}

/** Probe for sentinels: the sentinel answers and knows a master for the monitored name. */
export function sentinelProbeScript(): string {
  return `#!/bin/bash
set -uo pipefail
# The sentinels have no password: with REDISCLI_AUTH set (the container has it for its own config), redis-cli sends
# AUTH, and its "AUTH failed" warning next to PONG kept every sentinel unready.
unset REDISCLI_AUTH
port="\${SENTINEL_PORT:-26379}"
reply=$(timeout 4 redis-cli -h 127.0.0.1 -p "$port" ping 2>&1) || { echo "ping failed: $reply"; exit 1; }
[ "$reply" = "PONG" ] || { echo "unexpected reply: $reply"; exit 1; }
if [ "\${1:-}" = "readiness" ]; then
  master=$(timeout 4 redis-cli -h 127.0.0.1 -p "$port" sentinel get-master-addr-by-name "$SENTINEL_MASTER_NAME" | head -n 1)
  [ -n "$master" ] || { echo "sentinel knows no master for $SENTINEL_MASTER_NAME"; exit 1; }
fi
exit 0
`;
}
