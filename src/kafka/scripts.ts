/**
 * Scripts run in the official Apache Kafka image (bash, Kafka's bin/ tools) and, for the rack lookup and the jar
 * download, in the curl image (busybox sh). Each reads its inputs from the environment variables listed at its top.
 * Passwords only travel in Secret-backed env vars and reach Kafka through files in memory-backed volumes.
 */

/** Shared helpers of the tool scripts: a client config for the admin tools and a wait for the cluster. */
const CLIENT = `log() { echo "[$(date -u +%H:%M:%S)] $*"; }
KAFKA_BIN=\${KAFKA_BIN:-/opt/kafka/bin}
# client_config FILE: admin client settings for the tools (SASL login and truststore when enabled).
client_config() {
  (
    umask 077
    {
      echo "security.protocol=$SECURITY_PROTOCOL"
      echo "request.timeout.ms=30000"
      if [ "\${SCRAM:-false}" = "true" ]; then
        case "$ADMIN_PASSWORD" in *'"'*|*'\\'*|*,*|*'['*|*']'*) echo "the admin password must not contain quotes, backslashes, commas or brackets (SCRAM and JAAS syntax)" >&2; exit 1 ;; esac
        echo "sasl.mechanism=SCRAM-SHA-512"
        echo "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\\"$ADMIN_USER\\" password=\\"$ADMIN_PASSWORD\\";"
      fi
      if [ "\${TLS:-false}" = "true" ]; then
        echo "ssl.truststore.type=PEM"
        echo "ssl.truststore.location=$TLS_DIR/ca.crt"
      fi
    } > "$1"
  )
}
# wait_for_cluster: until the brokers answer an admin request (or WAIT_TIMEOUT_SECONDS pass).
wait_for_cluster() {
  local deadline=$(( $(date +%s) + \${WAIT_TIMEOUT_SECONDS:-900} ))
  until "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONF" --list >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "the cluster at $BOOTSTRAP did not answer in time" >&2
      exit 1
    fi
    log "waiting for the cluster at $BOOTSTRAP"
    sleep 10
  done
}
topics() { "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONF" "$@"; }
configs() { "$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONF" "$@"; }
# ensure_topic NAME PARTITIONS RF CONFIGS: create it, or raise its partitions and set its configs (never decrease).
ensure_topic() {
  local name=$1 partitions=$2 rf=$3 cfg=$4 current
  # A missing topic makes --describe fail: that is the "create" case, not an error.
  # --topic is a regular expression ("." matches any character): keep only the line of exactly this topic.
  current=$({ topics --describe --topic "$name" 2>/dev/null || true; } | awk -F'\\t' -v want="Topic: $name" '$1 == want { for (i = 1; i <= NF; i++) if ($i ~ /^PartitionCount: /) { sub(/^PartitionCount: /, "", $i); print $i } }')
  if [ -z "$current" ]; then
    log "creating topic $name ($partitions partitions, replication factor $rf)"
    local args=(--create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor "$rf")
    if [ -n "$cfg" ]; then
      local kv
      IFS=';' read -r -a pairs <<< "$cfg"
      for kv in "\${pairs[@]}"; do args+=(--config "$kv"); done
    fi
    topics "\${args[@]}"
    return
  fi
  if [ "$current" -lt "$partitions" ]; then
    log "topic $name: $current -> $partitions partitions"
    topics --alter --topic "$name" --partitions "$partitions"
  elif [ "$current" -gt "$partitions" ]; then
    log "topic $name has $current partitions, more than the $partitions declared: partitions are never decreased"
  fi
  if [ -n "$cfg" ]; then
    local kv key value
    IFS=';' read -r -a pairs <<< "$cfg"
    for kv in "\${pairs[@]}"; do
      key=\${kv%%=*}
      value=\${kv#*=}
      # kafka-configs.sh separates settings with commas: a list value goes in brackets.
      if [[ $value == *,* ]]; then value="[$value]"; fi
      log "topic $name: $key=$value"
      configs --alter --entity-type topics --entity-name "$name" --add-config "$key=$value"
    done
  fi
}`;

/**
 * Command of the kafka container: writes the pod's server.properties (the role's shared file plus node.id,
 * listeners, advertised listeners, broker.rack and SASL logins), assembles the PEM keystore, formats the storage
 * once (`--ignore-formatted`: a formatted volume is left alone), then starts Kafka.
 *
 * env: POD_NAME, POD_NAMESPACE, HEADLESS, NODE_ID_OFFSET, ROLE, BASE_CONF, RUN_CONF, CLUSTER_ID, DATA_DIR,
 * INTERNAL_PORT, CONTROLLER_PORT, EXTERNAL_PORT, SCRAM, ADMIN_USER, ADMIN_PASSWORD, TLS, TLS_DIR, KEYSTORE,
 * EXTERNAL_HOSTS, EXTERNAL_PORTS (space separated, one per broker ordinal), RACK_FILE, SERVER_HEAP_OPTS,
 * SERVER_LOG4J_OPTS, JMX_AGENT_JAR, JMX_AGENT_OPTS.
 */
export function kafkaEntrypointScript(): string {
  return `#!/bin/bash
set -euo pipefail
KAFKA_BIN=\${KAFKA_BIN:-/opt/kafka/bin}
ordinal=\${POD_NAME##*-}
if ! [[ $ordinal =~ ^[0-9]+$ ]]; then
  echo "cannot read the ordinal from pod name $POD_NAME" >&2
  exit 1
fi
node_id=$(( NODE_ID_OFFSET + ordinal ))
host="$POD_NAME.$HEADLESS.$POD_NAMESPACE.svc"
jaas_line() {
  echo "listener.name.$1.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\\"$ADMIN_USER\\" password=\\"$ADMIN_PASSWORD\\";"
}
if [ "$SCRAM" = "true" ]; then
  case "$ADMIN_PASSWORD" in *'"'*|*'\\'*|*,*|*'['*|*']'*) echo "the admin password must not contain quotes, backslashes, commas or brackets (SCRAM and JAAS syntax)" >&2; exit 1 ;; esac
fi
listeners=()
advertised=()
if [ "$ROLE" != "controller" ]; then
  listeners+=("INTERNAL://:$INTERNAL_PORT")
  advertised+=("INTERNAL://$host:$INTERNAL_PORT")
  if [ -n "\${EXTERNAL_HOSTS:-}" ]; then
    read -r -a ext_hosts <<< "$EXTERNAL_HOSTS"
    read -r -a ext_ports <<< "$EXTERNAL_PORTS"
    if [ "$ordinal" -ge "\${#ext_hosts[@]}" ]; then
      echo "no external address for broker $ordinal: external.advertisedHosts lists \${#ext_hosts[@]}" >&2
      exit 1
    fi
    listeners+=("EXTERNAL://:$EXTERNAL_PORT")
    advertised+=("EXTERNAL://\${ext_hosts[$ordinal]}:\${ext_ports[$ordinal]}")
  fi
fi
if [ "$ROLE" != "broker" ]; then
  listeners+=("CONTROLLER://:$CONTROLLER_PORT")
fi
umask 077
{
  cat "$BASE_CONF"
  echo
  echo "# this pod"
  echo "node.id=$node_id"
  (IFS=,; echo "listeners=\${listeners[*]}")
  if [ "\${#advertised[@]}" -gt 0 ]; then
    (IFS=,; echo "advertised.listeners=\${advertised[*]}")
  fi
  if [ -n "\${RACK_FILE:-}" ] && [ "$ROLE" != "controller" ]; then
    echo "broker.rack=$(cat "$RACK_FILE")"
  fi
  if [ "$SCRAM" = "true" ] && [ "$ROLE" != "controller" ]; then
    jaas_line internal
    if [ -n "\${EXTERNAL_HOSTS:-}" ]; then jaas_line external; fi
  fi
} > "$RUN_CONF"
if [ "$TLS" = "true" ] && [ "$ROLE" != "controller" ]; then
  mkdir -p "$(dirname "$KEYSTORE")"
  cat "$TLS_DIR/tls.key" "$TLS_DIR/tls.crt" > "$KEYSTORE"
fi
mkdir -p "$DATA_DIR"
if [ ! -f "$DATA_DIR/meta.properties" ]; then
  echo "formatting $DATA_DIR for cluster $CLUSTER_ID (node $node_id)"
  format=(--config "$RUN_CONF" --cluster-id "$CLUSTER_ID" --ignore-formatted)
  if [ "$SCRAM" = "true" ]; then
    # The admin's SCRAM credential is part of the bootstrap metadata, so brokers can authenticate to each other
    # before any user exists.
    format+=(--add-scram "SCRAM-SHA-512=[name=$ADMIN_USER,password=$ADMIN_PASSWORD]")
  fi
  "$KAFKA_BIN/kafka-storage.sh" format "\${format[@]}"
fi
export KAFKA_HEAP_OPTS="$SERVER_HEAP_OPTS"
export KAFKA_LOG4J_OPTS="$SERVER_LOG4J_OPTS"
if [ -n "\${JMX_AGENT_JAR:-}" ] && [ -f "$JMX_AGENT_JAR" ]; then
  export KAFKA_OPTS="\${KAFKA_OPTS:-} $JMX_AGENT_OPTS"
elif [ -n "\${JMX_AGENT_JAR:-}" ]; then
  echo "WARNING: no JMX exporter agent at $JMX_AGENT_JAR: this node exports no metrics (see the jmx-agent init container log)" >&2
fi
# No GC log file (-loggc): the JVM's rotation keeps up to 1 GiB on the scratch volume.
export EXTRA_ARGS="-name kafkaServer"
exec "$KAFKA_BIN/kafka-server-start.sh" "$RUN_CONF"
`;
}

/**
 * Init container (curl image): downloads the JMX exporter javaagent once per pod start and checks its SHA-256,
 * so a changed or truncated file never reaches the JVM. An unreachable URL only costs the metrics.
 *
 * env: JAR_URL, JAR_SHA256, JAR_PATH.
 */
export function jmxAgentDownloadScript(): string {
  return `set -eu
if [ -f "$JAR_PATH" ] && echo "$JAR_SHA256  $JAR_PATH" | sha256sum -c - >/dev/null 2>&1; then
  exit 0
fi
# Bounded: where egress silently drops packets, an unbounded connect would hold Kafka's start for minutes.
if ! curl -fsSL --connect-timeout 5 --max-time 120 --retry 3 --retry-delay 2 -o "$JAR_PATH.part" "$JAR_URL"; then
  # Metrics must not keep Kafka from starting: without the agent the node runs, and its scrape target is down.
  echo "WARNING: could not download $JAR_URL: starting without broker metrics (set jmxExporter.jarUrl to a reachable mirror)" >&2
  rm -f "$JAR_PATH.part"
  exit 0
fi
if ! echo "$JAR_SHA256  $JAR_PATH.part" | sha256sum -c -; then
  # A different file is never loaded into the JVM.
  echo "checksum mismatch for $JAR_URL: refusing to start with it" >&2
  rm -f "$JAR_PATH.part"
  exit 1
fi
mv "$JAR_PATH.part" "$JAR_PATH"
`;
}

/**
 * Init container (curl image): reads the zone label of the pod's node from the API (a pod cannot read node labels
 * through the downward API) and writes it to RACK_FILE for broker.rack.
 *
 * env: NODE_NAME, RACK_LABEL, RACK_LABEL_REGEX (the label key with dots escaped), SA_DIR, RACK_FILE.
 */
export function rackLookupScript(): string {
  return `set -eu
token=$(cat "$SA_DIR/token")
node=$(curl -fsS --retry 5 --retry-delay 2 --cacert "$SA_DIR/ca.crt" -H "Authorization: Bearer $token" \\
  "https://kubernetes.default.svc/api/v1/nodes/$NODE_NAME")
rack=$(printf '%s' "$node" | tr -d ' \\n' | grep -o "\\"$RACK_LABEL_REGEX\\":\\"[^\\"]*\\"" | head -n 1 | sed 's/.*:"\\(.*\\)"$/\\1/')
if [ -z "$rack" ]; then
  echo "node $NODE_NAME has no label $RACK_LABEL: label it, or disable rackAwareness" >&2
  exit 1
fi
echo "broker.rack=$rack (node $NODE_NAME)"
printf '%s' "$rack" > "$RACK_FILE"
`;
}

/**
 * The setup Job: waits for the cluster, creates or updates the declared SCRAM users and topics. Idempotent:
 * reruns change nothing that is already as declared; partitions only grow.
 *
 * env: BOOTSTRAP, SECURITY_PROTOCOL, SCRAM, ADMIN_USER, ADMIN_PASSWORD, TLS, TLS_DIR, CLIENT_CONF,
 * USERS (names), USER_PASSWORD_<i>, TOPICS (lines `name|partitions|rf|k=v;k=v`), WAIT_TIMEOUT_SECONDS.
 */
export function kafkaSetupScript(): string {
  return `#!/bin/bash
set -euo pipefail
${CLIENT}

client_config "$CLIENT_CONF"
wait_for_cluster
i=0
for user in \${USERS:-}; do
  var="USER_PASSWORD_$i"
  password="\${!var}"
  case "$password" in *']'*|*','*|*'='*|*'\\'*) echo "the password of $user must not contain ']', ',', '=' or backslashes" >&2; exit 1 ;; esac
  file=$(mktemp)
  # A properties file with one SCRAM-SHA-512 entry (no brackets around the value: those belong to --add-config).
  printf 'SCRAM-SHA-512=password=%s\\n' "$password" > "$file"
  log "setting the SCRAM credential of $user"
  configs --alter --entity-type users --entity-name "$user" --add-config-file "$file"
  rm -f "$file"
  i=$(( i + 1 ))
done
while IFS='|' read -r name partitions rf cfg; do
  [ -n "$name" ] || continue
  ensure_topic "$name" "$partitions" "$rf" "$cfg"
done <<< "\${TOPICS:-}"
log "setup complete"
`;
}

/**
 * Backup dump (init container of the backup CronJob): writes to OUT_DIR
 *  - topics.txt (fields separated by |): name, partitions, replication factor and topic-level configs (`k=v;k=v`,
 *    dynamic ones only, not the broker settings they inherit) of every topic;
 *  - acls.txt (fields separated by |): resource type, name, pattern type, principal, host, operation, permission of every ACL;
 *  - offsets.csv: group, topic, partition, committed offset of every consumer group.
 *
 * env: as kafkaSetupScript, plus OUT_DIR.
 */
export function kafkaBackupScript(): string {
  return `#!/bin/bash
set -euo pipefail
${CLIENT}

client_config "$CLIENT_CONF"
WAIT_TIMEOUT_SECONDS=300 wait_for_cluster
# Only topic-level (dynamic) configs are saved: kafka-topics --describe also prints the broker's static settings
# (server.properties synonyms), which a restore would turn into per-topic overrides of the new cluster's settings.
"$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONF" --describe --entity-type topics \\
  > "\${TMPDIR:-/tmp}/topic-configs.txt"
topics --describe --exclude-internal > "\${TMPDIR:-/tmp}/topics.txt"
awk -F'\\t' -v configs="\${TMPDIR:-/tmp}/topic-configs.txt" '
  FILENAME == configs {
    # "Dynamic configs for topic <name> are:", then one "  key=value sensitive=false synonyms={...}" line per config.
    if ($0 ~ /^Dynamic configs for topic .* are:$/) { t = $0; sub(/^Dynamic configs for topic /, "", t); sub(/ are:$/, "", t); next }
    if (t != "" && $0 ~ /^  [a-z0-9._-]+=/) {
      kv = $0; sub(/^  /, "", kv); sub(/ sensitive=(true|false) synonyms=\\{.*$/, "", kv)
      dyn[t] = dyn[t] (dyn[t] == "" ? "" : ";") kv
    }
    next
  }
  $1 ~ /^Topic: / {
    name = ""; parts = ""; rf = ""
    for (i = 1; i <= NF; i++) {
      if ($i ~ /^Topic: /) { name = substr($i, 8) }
      else if ($i ~ /^PartitionCount: /) { parts = substr($i, 17) }
      else if ($i ~ /^ReplicationFactor: /) { rf = substr($i, 20) }
    }
    print name "|" parts "|" rf "|" dyn[name]
  }' "\${TMPDIR:-/tmp}/topic-configs.txt" "\${TMPDIR:-/tmp}/topics.txt" > "$OUT_DIR/topics.txt"
log "$(wc -l < "$OUT_DIR/topics.txt") topics"

if "$KAFKA_BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONF" --list > "\${TMPDIR:-/tmp}/acls.list" 2>"\${TMPDIR:-/tmp}/acls.err"; then
  awk '
    /^Current ACLs for resource/ {
      match($0, /resourceType=[A-Z_]+/); type = substr($0, RSTART + 13, RLENGTH - 13)
      match($0, /name=[^,]*/); name = substr($0, RSTART + 5, RLENGTH - 5)
      match($0, /patternType=[A-Z]+/); pattern = substr($0, RSTART + 12, RLENGTH - 12)
      next
    }
    /\\(principal=/ {
      match($0, /principal=[^,]*/); p = substr($0, RSTART + 10, RLENGTH - 10)
      match($0, /host=[^,]*/); h = substr($0, RSTART + 5, RLENGTH - 5)
      match($0, /operation=[A-Z_]+/); op = substr($0, RSTART + 10, RLENGTH - 10)
      match($0, /permissionType=[A-Z]+/); perm = substr($0, RSTART + 15, RLENGTH - 15)
      print type "|" name "|" pattern "|" p "|" h "|" op "|" perm
    }' "\${TMPDIR:-/tmp}/acls.list" > "$OUT_DIR/acls.txt"
else
  # Without an authorizer there are no ACLs to save.
  log "no ACLs listed: $(head -n 1 "\${TMPDIR:-/tmp}/acls.err")"
  : > "$OUT_DIR/acls.txt"
fi
log "$(wc -l < "$OUT_DIR/acls.txt") ACLs"

# A failed dump fails the backup: a backup without the offsets would restore consumers to the start of every topic.
if ! "$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONF" --describe --all-groups \\
  > "\${TMPDIR:-/tmp}/groups.txt" 2> "\${TMPDIR:-/tmp}/groups.err"; then
  log "dumping consumer group offsets failed: $(tail -n 5 "\${TMPDIR:-/tmp}/groups.err")"
  exit 1
fi
awk '$1 != "GROUP" && NF >= 4 && $3 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/ { print $1 "," $2 "," $3 "," $4 }' "\${TMPDIR:-/tmp}/groups.txt" > "$OUT_DIR/offsets.csv"
log "$(wc -l < "$OUT_DIR/offsets.csv") committed offsets"
`;
}

/**
 * Restore Job (after the S3 download into RESTORE_DIR): re-creates the topics with their configs, the ACLs and
 * the committed consumer group offsets in this cluster. Topics that exist are updated as the setup Job does.
 * Offsets only make sense once the messages are there (MirrorMaker 2 replicates data; this does not).
 *
 * env: as kafkaSetupScript, plus RESTORE_DIR.
 */
export function kafkaRestoreScript(): string {
  return `#!/bin/bash
set -euo pipefail
${CLIENT}

client_config "$CLIENT_CONF"
wait_for_cluster
while IFS='|' read -r name partitions rf cfg; do
  [ -n "$name" ] || continue
  ensure_topic "$name" "$partitions" "$rf" "$cfg"
done < "$RESTORE_DIR/topics.txt"

# READ -> Read, DESCRIBE_CONFIGS -> DescribeConfigs: the operation names kafka-acls.sh takes.
pascal() { echo "$1" | awk -F_ '{ out = ""; for (i = 1; i <= NF; i++) out = out substr($i, 1, 1) tolower(substr($i, 2)); print out }'; }
while IFS='|' read -r type name pattern principal host operation permission; do
  [ -n "$type" ] || continue
  case "$type" in
    TOPIC) resource=(--topic "$name") ;;
    GROUP) resource=(--group "$name") ;;
    CLUSTER) resource=(--cluster) ;;
    TRANSACTIONAL_ID) resource=(--transactional-id "$name") ;;
    DELEGATION_TOKEN) resource=(--delegation-token "$name") ;;
    USER) resource=(--user-principal "$name") ;;
    *) log "skipping ACL on unknown resource type $type"; continue ;;
  esac
  if [ "$permission" = "DENY" ]; then who=(--deny-principal "$principal" --deny-host "$host"); else who=(--allow-principal "$principal" --allow-host "$host"); fi
  log "ACL: $permission $principal $operation on $type $name ($pattern)"
  "$KAFKA_BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONF" --add --force \\
    "\${who[@]}" --operation "$(pascal "$operation")" --resource-pattern-type "$pattern" "\${resource[@]}"
done < "$RESTORE_DIR/acls.txt"

if [ "\${RESTORE_OFFSETS:-false}" != "true" ]; then
  # Raw offsets fit only the partitions they were taken from (see restoreConsumerOffsets).
  log "consumer group offsets not restored (restoreConsumerOffsets is off): $(wc -l < "$RESTORE_DIR/offsets.csv") in the backup"
elif [ -s "$RESTORE_DIR/offsets.csv" ]; then
  for group in $(cut -d, -f1 "$RESTORE_DIR/offsets.csv" | sort -u); do
    file=$(mktemp)
    awk -F, -v g="$group" '$1 == g { print $2 "," $3 "," $4 }' "$RESTORE_DIR/offsets.csv" > "$file"
    log "consumer group $group: restoring $(wc -l < "$file") offsets"
    "$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONF" \\
      --reset-offsets --group "$group" --from-file "$file" --execute || log "group $group: offsets not restored (active group or missing topic)"
    rm -f "$file"
  done
fi
log "restore complete"
`;
}
