#!/usr/bin/env bash
# Checks the built images for real: starts a throwaway containerd (its own root, state and socket under /tmp, no CRI
# plugin, touching no other containerd), imports every image with import-images.sh, runs each one with ctr and checks
# its entrypoint, the user it runs as (as resolved by containerd from the image's User and /etc/passwd, and as seen
# inside), and the version of what it contains; then a single-node Kafka (the image's own default command, on
# loopback ports) takes a topic, a message and a consumer. Stops that containerd and removes its folders at the end.
#
#   verify-images.sh [image...]     no argument: every built image
#
# The commands given to `sh -c` inside the containers are in single quotes on purpose: they expand in there.
# shellcheck disable=SC2016
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

# Checks report their own failures: no errexit here.
set +e
list="$E2E_IMAGES/current/images.txt"
[ -f "$list" ] || die "verify: no $list: run build-images.sh first"
if ! command -v containerd >/dev/null || ! command -v runc >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y containerd runc >/dev/null
fi

DIR="$(mktemp -d /tmp/e2e-images-verify.XXXXXX)"
SOCK="$DIR/containerd.sock"
ID_PREFIX="imgverify-$$-"
CONTAINERD_PID=
STARTED=()
PASS=0
FAIL=0
FAILED=()

# Every ctr call is bounded in time.
C() { timeout 300 ctr --address "$SOCK" -n k8s.io "$@"; }

cleanup() {
  local id
  set +e
  for id in "${STARTED[@]}"; do
    C task kill -s SIGKILL "$id" >/dev/null 2>&1
  done
  sleep 1
  for id in "${STARTED[@]}"; do
    C task delete -f "$id" >/dev/null 2>&1
    C container delete "$id" >/dev/null 2>&1
  done
  if [ -n "$CONTAINERD_PID" ]; then
    kill "$CONTAINERD_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$CONTAINERD_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$CONTAINERD_PID" 2>/dev/null
  fi
  # Snapshot mounts of containers that did not stop cleanly.
  grep -F " $DIR/" /proc/mounts | awk '{ print $2 }' | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$DIR"
}
trap cleanup EXIT

pass() { PASS=$((PASS + 1)); log "PASS $*"; }
fail() { FAIL=$((FAIL + 1)); FAILED+=("$1"); log "FAIL $*"; }

# expect LABEL REGEX CMD...: the command's output (stdout and stderr) must match REGEX (grep -E).
expect() {
  local label=$1 regex=$2 out
  shift 2
  out="$("$@" 2>&1 || true)"
  if grep -qE -- "$regex" <<< "$out"; then
    pass "$label: $(grep -E -m 1 -- "$regex" <<< "$out" | cut -c1-160)"
  else
    fail "$label" "(wanted /$regex/, got: $(head -c 600 <<< "$out" | tr '\n' ' '))"
  fi
}

# start NAME REF [ARG...]: runs the image detached (its entrypoint, with ARG as command); sets CID.
start() {
  local name=$1 ref=$2
  shift 2
  CID="$ID_PREFIX$name"
  STARTED+=("$CID")
  C run -d --null-io "${HOSTS[@]}" "${RUN_OPTS[@]}" "$ref" "$CID" "$@" >/dev/null 2>"$DIR/$name.start.err" ||
    fail "$name start" "$(cat "$DIR/$name.start.err")"
  RUN_OPTS=()
}
RUN_OPTS=()

# stop ID: kills and removes a started container.
stop() {
  C task kill -s SIGKILL "$1" >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do
    [ "$(task_status "$1")" = RUNNING ] || break
    sleep 0.2
  done
  C task delete -f "$1" >/dev/null 2>&1 || true
  C container delete "$1" >/dev/null 2>&1 || true
}
task_status() { C task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $3 }'; }
task_pid() { C task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $2 }'; }

# spec_user ID: uid:gid of the container's process, as containerd resolved it from the image config.
spec_user() {
  C container info "$1" | python3 -c 'import json, sys; u = json.load(sys.stdin)["Spec"]["process"]["user"]; print("%d:%d" % (u["uid"], u["gid"]))'
}

# running LABEL ID: the task must still be running (its entrypoint did not exit).
running() {
  local s
  for _ in 1 2 3; do
    s="$(task_status "$2")"
    [ "$s" = RUNNING ] || break
    sleep 1
  done
  if [ "$s" = RUNNING ]; then pass "$1: running (pid $(task_pid "$2"))"; else fail "$1" "task status '${s:-gone}'"; fi
}

# proc_user LABEL ID UID: the task's first process runs as UID (read from the host's /proc).
proc_user() {
  local pid uid
  pid="$(task_pid "$2")"
  uid="$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)"
  if [ "$uid" = "$3" ]; then pass "$1: process $pid runs as uid $uid"; else fail "$1" "process ${pid:-?} runs as uid '${uid:-?}', wanted $3"; fi
}

# users LABEL ID UID:GID: the spec's user.
users() {
  local got
  got="$(spec_user "$2")"
  if [ "$got" = "$3" ]; then pass "$1: image user resolves to $got"; else fail "$1" "image user resolves to $got, wanted $3"; fi
}

xc() { local id=$1; shift; C task exec --exec-id "chk$RANDOM" "$id" "$@"; }

# config_check NAME REF "ARGS" CWD UID:GID: a container made from the image with nothing given runs ARGS (its
# Entrypoint + Cmd) in CWD as UID:GID (containerd resolves the image's User with the image's /etc/passwd).
config_check() {
  local name=$1 ref=$2 args=$3 cwd=$4 user=$5 id got
  id="$ID_PREFIX$name-config"
  STARTED+=("$id")
  C container create "$ref" "$id" >/dev/null || { fail "$name: config" "ctr container create failed"; return; }
  got="$(C container info "$id" | python3 -c 'import json, sys; p = json.load(sys.stdin)["Spec"]["process"]; print(" ".join(p["args"]) + "|" + p["cwd"] + "|%d:%d" % (p["user"]["uid"], p["user"]["gid"]))')"
  if [ "$got" = "$args|$cwd|$user" ]; then
    pass "$name: runs '$args' in $cwd as $user"
  else
    fail "$name: config" "args|cwd|user are '$got', wanted '$args|$cwd|$user'"
  fi
  C container delete "$id" >/dev/null 2>&1
}

ref_of() { awk -v n="$1" '$1 == n { print $2 }' "$list"; }

# --- containerd ---------------------------------------------------------------------------------------------------
cat > "$DIR/config.toml" <<TOML
version = 2
root = "$DIR/root"
state = "$DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$DIR/opt"
TOML
containerd --config "$DIR/config.toml" > "$DIR/containerd.log" 2>&1 &
CONTAINERD_PID=$!
for _ in $(seq 1 100); do [ -S "$SOCK" ] && C version >/dev/null 2>&1 && break; sleep 0.1; done
C version >/dev/null 2>&1 || { tail -n 20 "$DIR/containerd.log" >&2; die "verify: the throwaway containerd did not start"; }
log "verify: throwaway containerd $CONTAINERD_PID at $SOCK"

# The Kafka exporter is checked against a broker of the kafka image.
to_import=("$@")
if [[ " $* " == *" kafka-exporter "* && " $* " != *" kafka "* ]]; then to_import+=(kafka); fi
t0=$SECONDS
bash "$IMAGES_DIR/import-images.sh" "$SOCK" "${to_import[@]}"
log "TIME verify import: $((SECONDS - t0))s"
t0=$SECONDS
bash "$IMAGES_DIR/import-images.sh" "$SOCK" "${to_import[@]}" 2>/dev/null
log "TIME verify re-import (no-op): $((SECONDS - t0))s"
C images ls -q | sed 's/^/  /' >&2
if [ "$(C snapshots ls | grep -c Committed)" -gt 0 ]; then pass "import: layers unpacked into the overlayfs snapshotter"; else fail "import" "nothing unpacked"; fi

wanted=" $* "
want() { [ -n "$(ref_of "$1")" ] && { [ "$wanted" = "  " ] || [[ $wanted == *" $1 "* ]]; }; }

# What the kubelet gives every pod: an /etc/hosts that names the pod's host name (Java's InetAddress.getLocalHost
# and Log4j look it up). ctr keeps the machine's host name in the container.
printf '127.0.0.1 localhost %s\n::1 localhost ip6-localhost ip6-loopback\n' "$(hostname)" > "$DIR/hosts"
HOSTS=(--mount "type=bind,src=$DIR/hosts,dst=/etc/hosts,options=rbind:ro")

# --- checks -------------------------------------------------------------------------------------------------------
if want pause; then
  ref="$(ref_of pause)"
  config_check pause "$ref" /pause / 65535:65535
  start pause "$ref"
  running pause "$CID"
  users pause "$CID" 65535:65535
  proc_user pause "$CID" 65535
  C task kill -s SIGTERM "$CID"
  sleep 1
  st="$(task_status "$CID")"
  if [ "$st" = STOPPED ]; then pass "pause: exits on SIGTERM"; else fail "pause" "after SIGTERM: ${st:-gone}"; fi
  stop "$CID"
  STARTED+=("${ID_PREFIX}pause-v")
  expect "pause -v" 'pause 3\.10' C run --rm "${HOSTS[@]}" "$ref" "${ID_PREFIX}pause-v" /pause -v
fi

if want redis; then
  ref="$(ref_of redis)"
  v="${ref##*:}"
  STARTED+=("${ID_PREFIX}redis-v")
  config_check redis "$ref" "docker-entrypoint.sh redis-server" /data 0:0
  # (ctr's arguments replace Entrypoint and Cmd both, so the entrypoint is named.) An option as first argument
  # means redis-server.
  expect "redis: entrypoint, --version" "Redis server v=$v" C run --rm "${HOSTS[@]}" "$ref" "${ID_PREFIX}redis-v" docker-entrypoint.sh --version
  start redis "$ref"
  running redis "$CID"
  users redis "$CID" 0:0
  proc_user redis "$CID" 999
  expect "redis: redis-server --version" "v=$v " xc "$CID" redis-server --version
  expect "redis: id redis" 'uid=999\(redis\) gid=999\(redis\)' xc "$CID" id redis
  expect "redis: workdir and /data owner" '^/data 999:999$' xc "$CID" sh -c 'echo "$(pwd) $(stat -c %u:%g /data)"'
  expect "redis: redis-cli ping" '^PONG' xc "$CID" redis-cli ping
  expect "redis: umask of the server" 'Umask:[[:space:]]+0077' xc "$CID" sh -c 'grep Umask /proc/1/status'
  expect "redis: sentinel name" 'Redis server v=' xc "$CID" redis-sentinel --version
  stop "$CID"
fi

if want curl; then
  ref="$(ref_of curl)"
  v="${ref##*:}"
  STARTED+=("${ID_PREFIX}curl-v")
  config_check curl "$ref" "/entrypoint.sh curl" /home/curl_user 100:101
  STARTED+=("${ID_PREFIX}curl-d")
  expect "curl: default command" "curl: try 'curl --help'" C run --rm "${HOSTS[@]}" "$ref" "${ID_PREFIX}curl-d"
  expect "curl: entrypoint, --version" "^curl $v " C run --rm "${HOSTS[@]}" "$ref" "${ID_PREFIX}curl-v" /entrypoint.sh --version
  # A first argument that is a command runs as given.
  start curl "$ref" /entrypoint.sh sleep 60
  running curl "$CID"
  users curl "$CID" 100:101
  expect "curl: id" 'uid=100\(curl_user\) gid=101\(curl_group\)' xc "$CID" id
  expect "curl: workdir, CA bundle" '^/home/curl_user /cacert.pem ok$' xc "$CID" sh -c 'echo "$(pwd) $CURL_CA_BUNDLE $(test -s "$CURL_CA_BUNDLE" && echo ok)"'
  expect "curl: sh, sha256sum, tr, grep, sed (the library's init scripts)" '^ok$' xc "$CID" sh -c 'echo x | sha256sum | tr -d " " | grep -q . && echo ok | sed -n p'
  stop "$CID"
fi

if want aws-cli; then
  ref="$(ref_of aws-cli)"
  v="${ref##*:}"
  STARTED+=("${ID_PREFIX}aws-v")
  config_check aws-cli "$ref" /usr/local/bin/aws /aws 0:0
  STARTED+=("${ID_PREFIX}aws-d")
  expect "aws-cli: default command" "usage: aws" C run --rm "${HOSTS[@]}" "$ref" "${ID_PREFIX}aws-d"
  expect "aws-cli: aws --version" "^aws-cli/$v " C run --rm "${HOSTS[@]}" "$ref" "${ID_PREFIX}aws-v" /usr/local/bin/aws --version
  # `aws configure` waits on its standard input: the task stays up long enough to look at it.
  id="${ID_PREFIX}aws"
  STARTED+=("$id")
  (sleep 20 | C run --rm "${HOSTS[@]}" "$ref" "$id" /usr/local/bin/aws configure >/dev/null 2>&1 &)
  for _ in $(seq 1 50); do [ "$(task_status "$id")" = RUNNING ] && break; sleep 0.2; done
  running aws-cli "$id"
  users aws-cli "$id" 0:0
  proc_user aws-cli "$id" 0
  expect "aws-cli: workdir, bash, GNU date" '^/aws [0-9]{8}T[0-9]{6}Z$' xc "$id" bash -c 'echo "$(pwd) $(date -u -d "-3 days" +%Y%m%dT%H%M%SZ)"'
  stop "$id"
fi

if want kafka; then
  ref="$(ref_of kafka)"
  v="${ref##*:}"
  config_check kafka "$ref" "/__cacert_entrypoint.sh /etc/kafka/docker/run" / 1000:1000
  start kafka "$ref" sleep 300
  running kafka "$CID"
  users kafka "$CID" 1000:1000
  expect "kafka: id" 'uid=1000\(appuser\) gid=1000\(appuser\)' xc "$CID" id
  expect "kafka: kafka-storage.sh random-uuid" '^[A-Za-z0-9_-]{22}$' xc "$CID" /opt/kafka/bin/kafka-storage.sh random-uuid
  for tool in kafka-topics kafka-configs kafka-acls kafka-consumer-groups kafka-console-producer kafka-console-consumer; do
    expect "kafka: $tool.sh --version" "^$v" xc "$CID" "/opt/kafka/bin/$tool.sh" --version
  done
  expect "kafka: java in JAVA_HOME" 'openjdk version "17' xc "$CID" bash -c '"$JAVA_HOME/bin/java" -version 2>&1'
  expect "kafka: no locale warnings" 'locale-ok' xc "$CID" bash -c 'locale 2>&1 | grep -c "Cannot set" | grep -qx 0 && echo locale-ok'
  stop "$CID"

fi


# exporter NAME EXPECTED_VERSION_REGEX VERSION_ARG UID:GID ENTRYPOINT [ARG...]: --version through the entrypoint,
# then the exporter itself running (with ARG), its user, and its entrypoint's path.
exporter_check() {
  local name=$1 vre=$2 varg=$3 user=$4 ep=$5 ref
  shift 5
  ref="$(ref_of "$name")"
  STARTED+=("$ID_PREFIX$name-v")
  config_check "$name" "$ref" "${CONFIG_ARGS:-$ep}" "${CONFIG_CWD:-/}" "$user"
  CONFIG_ARGS='' CONFIG_CWD=''
  expect "$name: $ep $varg" "$vre" C run --rm "${HOSTS[@]}" "$ref" "$ID_PREFIX$name-v" "$ep" "$varg"
  start "$name" "$ref" "$ep" "$@"
  running "$name" "$CID"
  users "$name" "$CID" "$user"
  proc_user "$name" "$CID" "${user%%:*}"
  expect "$name: id" "^uid=${user%%:*}([(]| )" xc "$CID" id
  if [ "$name" = coredns ]; then
    # 53 = 0x0035, state 0A = listening: bound as uid 65532 thanks to the file capability.
    expect "coredns: listening on :53" ':0035 .* 0A ' xc "$CID" sh -c 'cat /proc/net/tcp /proc/net/tcp6'
  fi
  # (The base's /bin is a link to usr/bin.)
  expect "$name: $ep is what runs" "^$(readlink -f "/proc/$(task_pid "$CID")/exe" | sed "s|.*/rootfs||; s|^/usr/bin/|/bin/|")\$" \
    echo "${ep/#\/usr\/bin\//\/bin\/}"
  stop "$CID"
}

# kafka_broker: a one-node KRaft cluster and the checks against it (the Kafka tools, the Kafka exporter).
kafka_broker() {
  local ref v kport cport up t1 b boot
  ref="$(ref_of kafka)"
  v="${ref##*:}"
  # A one-node KRaft cluster from the image's default command (/etc/kafka/docker/run: KafkaDockerWrapper setup and
  # format, then kafka-server-start.sh), on loopback ports of the host network, then the tools against it.
  kport=39092 cport=39093
  if ss -ltn | awk '{ print $4 }' | grep -qE ":($kport|$cport)\$"; then
    fail "kafka broker" "ports $kport/$cport are taken on this machine"
  else
    # shellcheck disable=SC2054 # the commas are inside the values
    RUN_OPTS=(--net-host
      --env KAFKA_NODE_ID=1 --env KAFKA_PROCESS_ROLES=broker,controller
      --env "KAFKA_LISTENERS=PLAINTEXT://127.0.0.1:$kport,CONTROLLER://127.0.0.1:$cport"
      --env "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://127.0.0.1:$kport"
      --env KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER
      --env KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
      --env "KAFKA_CONTROLLER_QUORUM_VOTERS=1@127.0.0.1:$cport"
      --env KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1 --env KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR=1
      --env KAFKA_TRANSACTION_STATE_LOG_MIN_ISR=1 --env KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR=1
      --env KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR=1 --env KAFKA_LOG_DIRS=/tmp/kraft-logs
      --env "KAFKA_HEAP_OPTS=-Xmx384m -Xms384m")
    t1=$SECONDS
    # In the foreground (in the background of this script), so its output reaches broker.log.
    C run "${HOSTS[@]}" "${RUN_OPTS[@]}" "$ref" "${ID_PREFIX}broker" > "$DIR/broker.log" 2>&1 &
    STARTED+=("${ID_PREFIX}broker")
    RUN_OPTS=()
    up=
    for _ in $(seq 1 90); do
      if grep -q "Kafka Server started" "$DIR/broker.log" 2>/dev/null; then up=1; break; fi
      sleep 1
    done
    if [ -n "$up" ]; then
      pass "kafka broker: /etc/kafka/docker/run started a KRaft node in $((SECONDS - t1))s"
      b="${ID_PREFIX}broker"
      boot="--bootstrap-server 127.0.0.1:$kport"
      expect "kafka: kafka-topics.sh --create" 'Created topic e2e' xc "$b" bash -c "/opt/kafka/bin/kafka-topics.sh $boot --create --topic e2e --partitions 2 --replication-factor 1"
      expect "kafka: kafka-configs.sh --alter" 'Completed updating config' xc "$b" bash -c "/opt/kafka/bin/kafka-configs.sh $boot --alter --entity-type topics --entity-name e2e --add-config retention.ms=3600000"
      expect "kafka: console producer" '^produced$' xc "$b" bash -c "echo hello-e2e | /opt/kafka/bin/kafka-console-producer.sh $boot --topic e2e && echo produced"
      expect "kafka: console consumer" '^hello-e2e$' xc "$b" bash -c "/opt/kafka/bin/kafka-console-consumer.sh $boot --topic e2e --group g1 --from-beginning --max-messages 1 --timeout-ms 30000"
      expect "kafka: kafka-consumer-groups.sh --describe" 'g1 +e2e' xc "$b" bash -c "/opt/kafka/bin/kafka-consumer-groups.sh $boot --describe --group g1"
      expect "kafka: kafka-acls.sh --list (no authorizer)" 'SecurityDisabledException|No Authorizer|authorizer' xc "$b" bash -c "/opt/kafka/bin/kafka-acls.sh $boot --list"
      if want kafka-exporter; then
        # kafka_exporter gives up at once without a broker: it gets this one (host network, loopback only).
        local r
        r="$(ref_of kafka-exporter)"
        RUN_OPTS=(--net-host)
        exporter_check kafka-exporter "kafka_exporter, version ${r##*:v}" --version 65534:65534 /bin/kafka_exporter \
          "--kafka.server=127.0.0.1:$kport" --web.listen-address=127.0.0.1:39308
      fi
    else
      fail "kafka broker" "no 'Kafka Server started' within 90s: $(tail -n 15 "$DIR/broker.log" | tr '\n' ' ' | cut -c1-1500)"
    fi
    stop "${ID_PREFIX}broker"
  fi
}
if { want kafka || want kafka-exporter; } && [ -n "$(ref_of kafka)" ]; then
  kafka_broker
elif want kafka-exporter; then
  fail "kafka-exporter" "needs the kafka image (a broker to talk to)"
fi
if want redis-exporter; then
  r="$(ref_of redis-exporter)"
  exporter_check redis-exporter "Redis Metrics Exporter ${r##*:}" -version 59000:59000 /redis_exporter
fi
if want mysqld-exporter; then
  r="$(ref_of mysqld-exporter)"
  exporter_check mysqld-exporter "mysqld_exporter, version ${r##*:v}" --version 65534:65534 /bin/mysqld_exporter \
    --mysqld.address=127.0.0.1:3306 --mysqld.username=exporter
fi
if want elasticsearch-exporter; then
  r="$(ref_of elasticsearch-exporter)"
  exporter_check elasticsearch-exporter "elasticsearch_exporter, version ${r##*:v}" --version 65534:65534 \
    /bin/elasticsearch_exporter
fi
if want json-exporter; then
  r="$(ref_of json-exporter)"
  printf 'modules:\n  default:\n    metrics: []\n' > "$DIR/json.yml"
  RUN_OPTS=(--mount "type=bind,src=$DIR/json.yml,dst=/etc/json_exporter/config.yml,options=rbind:ro")
  exporter_check json-exporter "json_exporter, version ${r##*:v}" --version 65534:65534 /bin/json_exporter \
    --config.file=/etc/json_exporter/config.yml
fi
if want coredns; then
  r="$(ref_of coredns)"
  # Without a Corefile CoreDNS serves whoami on :53: as uid 65532 only the file capability lets it bind there.
  exporter_check coredns "CoreDNS-${r##*:v}" -version 65532:65532 /coredns
fi
if want minio; then
  r="$(ref_of minio)"
  CONFIG_ARGS="/usr/bin/docker-entrypoint.sh minio"
  exporter_check minio "minio version" --version 0:0 /usr/bin/minio server /data
  STARTED+=("${ID_PREFIX}minio-e")
  # The entrypoint puts "minio" before arguments that are not already a minio command line.
  expect "minio: docker-entrypoint.sh --version" "minio version" C run --rm "${HOSTS[@]}" "$r" "${ID_PREFIX}minio-e" \
    /usr/bin/docker-entrypoint.sh --version
  STARTED+=("${ID_PREFIX}mc-v")
  RUN_OPTS=()
  expect "minio: mc --version" "mc version" C run --rm "${HOSTS[@]}" "$r" "${ID_PREFIX}mc-v" mc --version
fi

log "verify: $PASS passed, $FAIL failed"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ] || die "verify: failed: ${FAILED[*]}"
