/**
 * Bash scripts run in the official Elasticsearch image (bash, curl, the elasticsearch CLI tools). Each reads its
 * inputs from the environment variables listed above it. Passwords only travel in Secret-backed environment
 * variables and in curl config files or stdin: never in a ConfigMap or a process argument.
 */

/** curl with the elastic user's credentials from a config file (so the password is not an argument). */
const CURL_AUTH = `# esc VALUE: VALUE escaped for a double-quoted curl config or JSON string.
esc() {
  local s=\${1//\\\\/\\\\\\\\}
  s=\${s//\\"/\\\\\\"}
  printf '%s' "$s"
}
# auth_config FILE USER PASSWORD: a curl config file that authenticates as USER.
auth_config() {
  (umask 077 && printf 'user = "%s:%s"\\n' "$(esc "$2")" "$(esc "$3")" >"$1")
}`;

/**
 * Init container: copies the image's config directory into an emptyDir (the root filesystem is read-only),
 * installs the rendered elasticsearch.yml, and builds a fresh keystore holding the bootstrap password of the
 * `elastic` user and the S3 client keys.
 *
 * env: CONFIG_DIR, SOURCE_CONFIG, ELASTIC_PASSWORD, POD_NAME and POD_IP (the keystore CLI resolves the placeholders of
 * elasticsearch.yml), optional ES_HOME, S3_DEFAULT_ACCESS_KEY, S3_DEFAULT_SECRET_KEY, S3_RESTORE_ACCESS_KEY,
 * S3_RESTORE_SECRET_KEY.
 */
export function prepareConfigScript(): string {
  return `#!/bin/bash
set -euo pipefail
es_home=\${ES_HOME:-/usr/share/elasticsearch}
cp -R "$es_home/config/." "$CONFIG_DIR/"
cp "$SOURCE_CONFIG" "$CONFIG_DIR/elasticsearch.yml"
rm -f "$CONFIG_DIR/elasticsearch.keystore"
export ES_PATH_CONF=$CONFIG_DIR
keystore() { "$es_home/bin/elasticsearch-keystore" "$@"; }
# add NAME VALUE: the value goes through stdin, never the command line.
add() { printf '%s' "$2" | keystore add --stdin --force "$1"; }
keystore create
add bootstrap.password "$ELASTIC_PASSWORD"
if [[ -n \${S3_DEFAULT_ACCESS_KEY:-} ]]; then
  add s3.client.default.access_key "$S3_DEFAULT_ACCESS_KEY"
  add s3.client.default.secret_key "$S3_DEFAULT_SECRET_KEY"
fi
if [[ -n \${S3_RESTORE_ACCESS_KEY:-} ]]; then
  add s3.client.restore.access_key "$S3_RESTORE_ACCESS_KEY"
  add s3.client.restore.secret_key "$S3_RESTORE_SECRET_KEY"
fi
echo "keystore entries: $(keystore list | tr '\\n' ' ')"
`;
}

/**
 * Main container entrypoint. A master-eligible node gets `cluster.initial_master_nodes` only at the first formation
 * of the cluster, as Elastic advises (never on a node joining an existing cluster):
 * - a node that has seen the cluster formed (the readiness probe leaves a marker in its data directory) starts without
 *   it, and publishes that as the node attribute `cdk8s_formed`;
 * - a node without the marker (first formation, or a replaced master with an empty volume) first asks the other
 *   master-eligible nodes for up to PEER_WAIT_SECONDS: when one belongs to a cluster (a cluster UUID), has been part
 *   of it (the attribute; a restarted survivor without quorum has no UUID yet) or refuses the bootstrap password (a
 *   survivor whose security index is unavailable), it starts without the setting and joins, or
 *   waits for an operator's unsafe-bootstrap, instead of bootstrapping a second, empty cluster. At the first
 *   formation the other masters are in this same wait and do not answer, so the node bootstraps after it.
 *
 * env: MASTER_ELIGIBLE (true|false), INITIAL_MASTER_NODES (comma-separated node names), DATA_DIR, RECOVERED_MARKER
 * (the readiness probe's marker, removed here), POD_NAME, NODES_SERVICE (the headless Service of the node pods),
 * ES_PORT, CA_CERT, ELASTIC_PASSWORD, PROBE_PASSWORD_FILE, PEER_WAIT_SECONDS, optional ES_HOME.
 */
export function entrypointScript(): string {
  return `#!/bin/bash
set -euo pipefail
${CURL_AUTH}
rm -f "\${RECOVERED_MARKER:-/tmp/.cdk8s-recovered}"
args=()
# formed_peer: prints why a cluster exists when another master-eligible node belongs or belonged to one.
formed_peer() {
  local cfg peer url answer code uuid_re='"cluster_uuid" *: *"([^"]+)"'
  cfg=$(mktemp)
  auth_config "$cfg" elastic "$(cat "\${PROBE_PASSWORD_FILE:-/nonexistent}" 2>/dev/null || printf '%s' "$ELASTIC_PASSWORD")"
  for peer in \${INITIAL_MASTER_NODES//,/ }; do
    [[ $peer != "$POD_NAME" ]] || continue
    url="https://$peer.$NODES_SERVICE:$ES_PORT"
    answer=$(curl -sS -K "$cfg" --cacert "$CA_CERT" --connect-timeout 2 --max-time 4 -w '\nHTTP %{http_code}' "$url/" 2>/dev/null || true)
    code=\${answer##*HTTP }
    if [[ $answer =~ $uuid_re && \${BASH_REMATCH[1]} != _na_ ]]; then
      echo "$peer belongs to cluster \${BASH_REMATCH[1]}"
      rm -f "$cfg"
      return 0
    fi
    # Before a cluster formed, elastic authenticates with the bootstrap password (no security index yet), so a peer
    # that started and refuses it holds security state: a cluster exists (a survivor without quorum, whose security
    # index is unavailable, answers 401 or 503).
    if [[ $code =~ ^[1-9][0-9][0-9]$ && $code != 200 ]]; then
      echo "$peer runs Elasticsearch with security state (HTTP $code)"
      rm -f "$cfg"
      return 0
    fi
    answer=$(curl -sS -K "$cfg" --cacert "$CA_CERT" --connect-timeout 2 --max-time 4 "$url/_nodes/_local?filter_path=nodes.*.attributes.cdk8s_formed" 2>/dev/null || true)
    if [[ $answer == *'"cdk8s_formed":"true"'* ]]; then
      echo "$peer has been part of the formed cluster"
      rm -f "$cfg"
      return 0
    fi
  done
  rm -f "$cfg"
  return 1
}
if [[ $MASTER_ELIGIBLE == true && -n \${INITIAL_MASTER_NODES:-} ]]; then
  if [[ -e $DATA_DIR/.cdk8s-cluster-formed ]]; then
    echo "this node has been part of the formed cluster: starting without cluster.initial_master_nodes"
    args+=("-Enode.attr.cdk8s_formed=true")
  else
    deadline=$((SECONDS + \${PEER_WAIT_SECONDS:-90}))
    existing=""
    while :; do
      if existing=$(formed_peer); then break; fi
      existing=""
      ((SECONDS < deadline)) || break
      sleep 2
    done
    if [[ -n $existing ]]; then
      echo "empty data directory, but $existing: joining it without cluster.initial_master_nodes"
    else
      echo "first formation (no other master belongs to a cluster): cluster.initial_master_nodes=$INITIAL_MASTER_NODES"
      args+=("-Ecluster.initial_master_nodes=$INITIAL_MASTER_NODES")
    fi
  fi
fi
exec "\${ES_HOME:-/usr/share/elasticsearch}/bin/elasticsearch" "\${args[@]}"
`;
}

/**
 * preStop hook: registers this node's restart with the node shutdown API (type restart, with an allocation delay),
 * so that its replicas wait for it instead of being rebuilt elsewhere while it restarts (keystore JVMs, boot, pod
 * rescheduling can outlast the 1-minute `index.unassigned.node_left.delayed_timeout`). The readiness probe removes
 * the registration once the node is back. Never fails the stop: an unreachable node or a refusal is only logged.
 *
 * env: ES_HOST, ES_PORT, CA_CERT, PROBE_PASSWORD_FILE and ELASTIC_PASSWORD, POD_NAME, SHUTDOWN_ALLOCATION_DELAY.
 */
export function preStopScript(): string {
  return `#!/bin/bash
set -uo pipefail
${CURL_AUTH}
cfg=$(mktemp)
body=$(mktemp)
trap 'rm -f "$cfg" "$body"' EXIT
url="https://$ES_HOST:$ES_PORT"
req() { curl -sS -K "$cfg" --cacert "$CA_CERT" --resolve "$ES_HOST:$ES_PORT:127.0.0.1" --max-time 5 "$@"; }
auth_config "$cfg" elastic "$(cat "\${PROBE_PASSWORD_FILE:-/nonexistent}" 2>/dev/null || printf '%s' "$ELASTIC_PASSWORD")"
# The API takes the node id, not its name: an unknown id is accepted and protects nothing.
answer=$(req "$url/_nodes/_local?filter_path=nodes.*.name" 2>&1)
id_re='"nodes":[{]"([^"]+)"'
if [[ ! $answer =~ $id_re ]]; then
  echo "restart not registered: no node id from _nodes/_local: $answer"
  exit 0
fi
id=\${BASH_REMATCH[1]}
printf '{"type":"restart","reason":"pod %s stopping","allocation_delay":"%s"}' "$POD_NAME" "$SHUTDOWN_ALLOCATION_DELAY" >"$body"
code=$(req -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' --data-binary "@$body" "$url/_nodes/$id/shutdown" 2>/dev/null || true)
if [[ $code == 200 ]]; then
  echo "registered restart of node $id (allocation delay $SHUTDOWN_ALLOCATION_DELAY)"
else
  echo "restart of node $id not registered: HTTP $code"
fi
exit 0
`;
}

/**
 * Readiness probe: the node must answer an authenticated HTTPS request (200 from `/`), not just listen. After each
 * start, the node first deletes its restart registration (see preStop; this needs an elected master), then becomes
 * ready only once the cluster has no initializing and no delayed unassigned shards, so a StatefulSet rolling update
 * (which waits for readiness) restarts the next node only after the previous one's shards have recovered. It does not
 * wait for green or yellow: shards unassigned for other reasons (a node not joined yet) do not hold it. Once the node
 * sees an elected master it also records that the cluster has formed (see the entrypoint).
 *
 * env: PROBE_PASSWORD_FILE (the mounted Secret, tried first) and ELASTIC_PASSWORD, ES_HOST (a name in the HTTP
 * certificate, resolved to this node), CA_CERT, DATA_DIR, ES_PORT, RECOVERED_MARKER (a file in an emptyDir, removed at
 * each start).
 */
export function readinessScript(): string {
  return `#!/bin/bash
set -euo pipefail
${CURL_AUTH}
cfg=$(mktemp)
trap 'rm -f "$cfg"' EXIT
# The local node, reached by the client Service name that every HTTP certificate carries.
url="https://$ES_HOST:$ES_PORT"
get() { curl -sS -K "$cfg" --cacert "$CA_CERT" --resolve "$ES_HOST:$ES_PORT:127.0.0.1" --max-time 4 "$@"; }
# The mounted Secret follows a rotation within a minute, the environment only at the next start: during a rotation
# (Secret first, then the API) one of the two is the password Elasticsearch holds.
code=""
for password in "$(cat "\${PROBE_PASSWORD_FILE:-/nonexistent}" 2>/dev/null || true)" "$ELASTIC_PASSWORD"; do
  [[ -n $password ]] || continue
  auth_config "$cfg" elastic "$password"
  code=$(get -o /dev/null -w '%{http_code}' "$url/" || true)
  [[ $code == 401 ]] || break
done
if [[ $code != 200 ]]; then
  echo "GET / answered HTTP $code"
  exit 1
fi
if [[ ! -e $DATA_DIR/.cdk8s-cluster-formed ]] && get "$url/_cluster/state/master_node?local=true" | grep -q '"master_node":"'; then
  touch "$DATA_DIR/.cdk8s-cluster-formed"
fi
if [[ ! -e $RECOVERED_MARKER ]]; then
  # Back after a restart: remove the registration preStop made (404: there is none), which needs an elected master.
  id=$(get "$url/_nodes/_local?filter_path=nodes.*.name" || true)
  id_re='"nodes":[{]"([^"]+)"'
  if [[ ! $id =~ $id_re ]]; then
    echo "no local node id yet: $id"
    exit 1
  fi
  id=\${BASH_REMATCH[1]}
  answer=$(get -w ' HTTP %{http_code}' -X DELETE "$url/_nodes/$id/shutdown" || true)
  code=\${answer##* HTTP }
  if [[ $code == 200 ]]; then
    echo "removed the restart registration of node $id"
  # No registration: 404 resource_not_found (8.x, 7.17); some earlier builds answer 400 with the same reason.
  elif [[ $code != 404 && $answer != *'is not currently shutting down'* ]]; then
    echo "the restart registration of node $id could not be removed yet: HTTP $code"
    exit 1
  fi
  health=$(get "$url/_cluster/health" || true)
  if [[ $health != *'"initializing_shards":0,'* || $health != *'"delayed_unassigned_shards":0,'* ]]; then
    echo "waiting for shard recovery after start: $health"
    exit 1
  fi
  touch "$RECOVERED_MARKER"
fi
`;
}

/**
 * The setup Job: waits for the cluster, then applies idempotently (PUT is create-or-replace) the built-in
 * users' passwords, the exporter's role and user, snapshot repositories, a restore into an empty cluster, ILM
 * policies, index templates, first indices of rollover aliases, and the SLM policy.
 *
 * env: ES_URL, CA_CERT, ELASTIC_PASSWORD, SETUP_DIR (ilm.<name>.json, template.<name>.json, repository.json,
 * restore-repository.json, restore.json, slm.json, exporter-role.json), WAIT_TIMEOUT_SECONDS, optional
 * KIBANA_SYSTEM_PASSWORD, EXPORTER_USER + EXPORTER_PASSWORD, SNAPSHOT_REPOSITORY, SLM_POLICY, RESTORE_SNAPSHOT,
 * ROLLOVER_ALIASES (space-separated).
 */
export function setupScript(): string {
  return `#!/bin/bash
set -euo pipefail
log() { echo "[$(date -u +%H:%M:%S)] $*"; }
${CURL_AUTH}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cfg=$work/auth
out=$work/out
body=$work/body
auth_config "$cfg" elastic "$ELASTIC_PASSWORD"

# es METHOD PATH [FILE]: prints the HTTP status (000 when unreachable); the response body is in $out.
es() {
  local args=(-sS -K "$cfg" --cacert "$CA_CERT" --max-time 120 -o "$out" -w '%{http_code}' -X "$1")
  if [[ -n \${3:-} ]]; then
    args+=(-H 'Content-Type: application/json' --data-binary "@$3")
  fi
  curl "\${args[@]}" "$ES_URL$2" || true
}
# must METHOD PATH [FILE]: like es, but a non-2xx answer fails the Job (which then retries).
must() {
  local code
  code=$(es "$@")
  if [[ $code != 2* ]]; then
    log "$1 $2: HTTP $code $(head -c 1000 "$out")"
    exit 1
  fi
  log "$1 $2: HTTP $code"
}

deadline=$((SECONDS + WAIT_TIMEOUT_SECONDS))
until [[ $(es GET '/_cluster/health?wait_for_status=yellow&timeout=30s') == 200 ]]; do
  if ((SECONDS > deadline)); then
    log "the cluster did not reach yellow within $WAIT_TIMEOUT_SECONDS s: $(head -c 500 "$out")"
    exit 1
  fi
  log "waiting for the cluster at $ES_URL"
  sleep 10
done

if [[ -n \${KIBANA_SYSTEM_PASSWORD:-} ]]; then
  printf '{"password":"%s"}' "$(esc "$KIBANA_SYSTEM_PASSWORD")" >"$body"
  must POST /_security/user/kibana_system/_password "$body"
fi
if [[ -n \${EXPORTER_PASSWORD:-} ]]; then
  must PUT /_security/role/cdk8s_metrics_exporter "$SETUP_DIR/exporter-role.json"
  printf '{"password":"%s","roles":["cdk8s_metrics_exporter"]}' "$(esc "$EXPORTER_PASSWORD")" >"$body"
  must PUT "/_security/user/$EXPORTER_USER" "$body"
fi

if [[ -f $SETUP_DIR/repository.json ]]; then
  must PUT "/_snapshot/$SNAPSHOT_REPOSITORY" "$SETUP_DIR/repository.json"
fi
if [[ -f $SETUP_DIR/restore-repository.json ]]; then
  must PUT /_snapshot/restore-source "$SETUP_DIR/restore-repository.json"
  must GET '/_cat/indices?h=index&expand_wildcards=open'
  user_indices=$(grep -c -v '^\\.' "$out" || true)
  must GET /_data_stream
  user_streams=$(grep -o '"name":"[^.][^"]*"' "$out" | grep -c -v '"name":"ilm-history' || true)
  if ((user_indices > 0 || user_streams > 0)); then
    log "the cluster already holds $user_indices indices and $user_streams data streams: no restore"
  else
    snapshot=$RESTORE_SNAPSHOT
    if [[ $snapshot == latest ]]; then
      must GET '/_cat/snapshots/restore-source?h=id,status&s=end_epoch'
      snapshot=$(awk '$2 == "SUCCESS" { s = $1 } END { print s }' "$out")
      if [[ -z $snapshot ]]; then
        log "no successful snapshot in repository restore-source"
        exit 1
      fi
    fi
    code=$(es POST "/_snapshot/restore-source/$snapshot/_restore" "$SETUP_DIR/restore.json")
    if [[ $code == 2* ]]; then
      log "restore of snapshot $snapshot started"
    elif grep -q 'already exists' "$out"; then
      # A restore is all-or-nothing: one clashing name and nothing is restored. Never a silent success.
      log "restore refused, nothing of snapshot $snapshot was restored: a name in it exists here (delete it or narrow restore.indices)"
      log "HTTP $code $(head -c 1000 "$out")"
      exit 1
    else
      log "restore of snapshot $snapshot: HTTP $code $(head -c 1000 "$out")"
      exit 1
    fi
  fi
fi

for f in "$SETUP_DIR"/ilm.*.json; do
  [[ -e $f ]] || continue
  name=\${f##*/ilm.}
  must PUT "/_ilm/policy/\${name%.json}" "$f"
done
for f in "$SETUP_DIR"/template.*.json; do
  [[ -e $f ]] || continue
  name=\${f##*/template.}
  must PUT "/_index_template/\${name%.json}" "$f"
done
for alias in \${ROLLOVER_ALIASES:-}; do
  code=$(es GET "/_alias/$alias")
  if [[ $code == 404 ]]; then
    printf '{"aliases":{"%s":{"is_write_index":true}}}' "$alias" >"$body"
    must PUT "/$alias-000001" "$body"
  else
    log "alias $alias exists (HTTP $code)"
  fi
done

if [[ -f $SETUP_DIR/slm.json ]]; then
  must PUT "/_slm/policy/$SLM_POLICY" "$SETUP_DIR/slm.json"
fi
log "setup complete"
`;
}
