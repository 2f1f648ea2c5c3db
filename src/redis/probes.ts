/**
 * Probe script for Redis data pods, mounted from the scripts ConfigMap. It reads the password from
 * REDISCLI_AUTH (env from the Secret), so neither the manifest nor the process list shows it.
 *
 * usage: probe.sh liveness|readiness
 * - liveness: the server answers (PONG, or LOADING/MASTERDOWN while it starts or syncs) within the timeout.
 * - readiness: PONG, and in cluster mode the node sees cluster_state:ok (so clients are only sent to a
 *   working cluster); a replica also needs its link to the master up.
 */
export function redisProbeScript(): string {
  return `#!/bin/bash
set -uo pipefail
port="\${REDIS_PORT:-6379}"
mode="\${REDIS_MODE:-standalone}"
cli() { timeout 4 redis-cli --no-auth-warning -h 127.0.0.1 -p "$port" "$@"; }

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
    replication=$(cli info replication | tr -d '\\r')
    if printf '%s\\n' "$replication" | grep -q '^role:slave'; then
      printf '%s\\n' "$replication" | grep -q '^master_link_status:up' || { echo "replica link to master is down"; exit 1; }
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
