#!/usr/bin/env bash
# Builds the cluster tier's container images as OCI image archives, each mirroring its official image's paths,
# users, entrypoint and environment, and each tagged with the version of what it really contains:
#   Debian packages of the shared base (build-base.sh): redis, curl, aws-cli
#   Kafka jars from Maven Central (mvn dependency:copy-dependencies) on the base's OpenJDK 17
#   Go binaries of ../build/go-tools.sh ($E2E_BIN/<name>-<version>/<binary>): the exporters, CoreDNS, MinIO
#   pause: pause/pause.c, gcc -static
#
#   build-images.sh [image...]     no argument: every image (names: see IMAGES below)
#
# Archives are cached by their inputs under $E2E_IMAGES/archives; $E2E_IMAGES/current/<image>.tar points at the
# newest one of each image and $E2E_IMAGES/current/images.txt lists "<image> <reference>" for import-images.sh and
# the tests. An image whose Go binary is not built yet is reported (naming the binary) and makes the run fail once
# every other image is built.
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

IMAGES=(pause redis curl aws-cli kafka kafka-previous redis-exporter kafka-exporter mysqld-exporter elasticsearch-exporter
  json-exporter coredns minio)
# Built when no image is named: the Go module proxy refuses the pinned kafka_exporter, mysqld_exporter and
# json_exporter versions (../build/go-tools.sh), so those three are built only on request.
DEFAULT_IMAGES=(pause redis curl aws-cli kafka kafka-previous redis-exporter elasticsearch-exporter coredns minio)
REPO_ROOT="$(cd "$E2E_ROOT/../.." && pwd)"
WRITER="$IMAGES_DIR/oci-image.py"
ARCHIVES="$E2E_IMAGES/archives"
CURRENT="$E2E_IMAGES/current"
BLOBS="$E2E_IMAGES/blobs"
WORK_ROOT="$E2E_IMAGES/.work"
mkdir -p "$ARCHIVES" "$CURRENT" "$BLOBS" "$WORK_ROOT"
DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

command -v python3 >/dev/null || die "images: python3 is required"
# One build at a time: the work folder and the current/ links are shared.
exec {lock_fd}>"$E2E_IMAGES/.build-images.lock"
flock -n "$lock_fd" || { log "images: waiting for another build-images.sh"; flock "$lock_fd"; }
command -v setcap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y libcap2-bin >/dev/null

# --- the shared Debian base --------------------------------------------------------------------------------------
BASE_DIR="$(bash "$IMAGES_DIR/build-base.sh" | tail -n 1)"
[ -f "$BASE_DIR/layer.tar" ] || die "images: build-base.sh gave no base layer"
BASE_TAR="$BASE_DIR/layer.tar"
[ "$BASE_TAR.sha256" -nt "$BASE_TAR" ] || sha256sum "$BASE_TAR" | cut -d' ' -f1 > "$BASE_TAR.sha256"
# shellcheck source=/dev/null
. "$BASE_DIR/versions.env"
REDIS_VERSION="$(upstream_version "$REDIS_SERVER_DEB")"
CURL_VERSION="$(upstream_version "$CURL_DEB")"
AWSCLI_VERSION="$(upstream_version "$AWSCLI_DEB")"
GOSU_VERSION="$(upstream_version "$GOSU_DEB")"
JAVA_HOME_DEBIAN=/usr/lib/jvm/java-17-openjdk-amd64
JAVA_RELEASE="$(tar -xOf "$BASE_TAR" ".$JAVA_HOME_DEBIAN/release" | sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p')"
[ -n "$JAVA_RELEASE" ] || die "images: no Java release file at $JAVA_HOME_DEBIAN in the base"

# The Kafka versions: KAFKA_VERSION, or the library's default (KafkaCluster's `props.version ?? KafkaVersion.X`), and
# KAFKA_PREVIOUS_VERSION, or the tag of KafkaVersion.V4_1: the line the kafka-upgrade scenario rolls from.
kafka_const_version() { # kafka_const_version CONST: the image tag of KafkaVersion.CONST
  sed -n "s/.*static readonly $1 = new KafkaVersion('[^']*', '\([^']*\)').*/\1/p" "$REPO_ROOT/src/kafka/kafka-cluster.ts" | head -n 1
}
kafka_default_version() {
  local const
  const="$(sed -n 's/.*props\.version ?? KafkaVersion\.\([A-Z0-9_]*\).*/\1/p' "$REPO_ROOT/src/kafka/kafka-cluster.ts" | head -n 1)"
  [ -n "$const" ] || return 1
  kafka_const_version "$const"
}
KAFKA_VERSION="${KAFKA_VERSION:-$(kafka_default_version)}" || true
[ -n "$KAFKA_VERSION" ] || die "images: cannot read the default KafkaVersion from src/kafka/kafka-cluster.ts (set KAFKA_VERSION)"
KAFKA_PREVIOUS_VERSION="${KAFKA_PREVIOUS_VERSION:-$(kafka_const_version V4_1)}"
[ -n "$KAFKA_PREVIOUS_VERSION" ] || die "images: no KafkaVersion.V4_1 in src/kafka/kafka-cluster.ts (set KAFKA_PREVIOUS_VERSION)"

# --- helpers ------------------------------------------------------------------------------------------------------
# new_layer NAME: a fresh, empty layer folder for image NAME in $LAYER.
new_layer() {
  LAYER="$WORK_ROOT/$1/layer"
  rm -rf "${WORK_ROOT:?}/$1"
  mkdir -p "$LAYER"
}

# accounts LAYER PASSWD_LINES GROUP_LINES: the base's /etc/passwd and /etc/group plus the image's own entries.
accounts() {
  mkdir -p "$1/etc"
  { cat "$BASE_DIR/passwd"; [ -z "$2" ] || printf '%s\n' "$2"; } > "$1/etc/passwd"
  { cat "$BASE_DIR/group"; [ -z "$3" ] || printf '%s\n' "$3"; } > "$1/etc/group"
  chmod 644 "$1/etc/passwd" "$1/etc/group"
  local line name
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    name="${line%%:*}"
    if [ "$(grep -c "^$name:" "$1/etc/passwd")" != 1 ]; then die "images: user $name collides with the base's"; fi
  done <<< "$2"
}

# image NAME REF LAYER_TAR... -- WRITER_OPTIONS...: writes the archive (unless one with the same inputs exists) and
# makes it the current one of NAME.
image() {
  local name=$1 ref=$2
  shift 2
  local layers=() opts=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do layers+=("$1"); shift; done
  shift
  opts=("$@")
  local key l args=()
  key="$( {
    echo "ref=$ref"
    sha256sum "$WRITER" | cut -d' ' -f1
    for l in "${layers[@]}"; do cat "$l.sha256"; done
    printf '%s\n' "${opts[@]}"
  } | sha256sum | cut -c1-16)"
  local out="$ARCHIVES/$name-$key.tar"
  if [ -f "$out" ]; then
    log "$name: $ref cached ($out)"
  else
    for l in "${layers[@]}"; do args+=(--layer "$l"); done
    python3 "$WRITER" --out "$out" --ref "$ref" --blob-cache "$BLOBS" "${args[@]}" "${opts[@]}" > "$out.json" ||
      die "$name: writing the OCI archive"
    log "$name: $ref written ($(du -h "$out" | cut -f1))"
  fi
  # Older archives of this image are of no use any more.
  find "$ARCHIVES" -maxdepth 1 -name "$name-*.tar*" ! -name "$name-$key.tar*" -delete
  ln -sfn "$out" "$CURRENT/$name.tar"
  printf '%s\n' "$ref" > "$CURRENT/$name.ref"
}

# pack LAYER: the layer folder as a deterministic tar (LAYER.tar, with LAYER.tar.sha256).
pack() { layer_tar "$1" "$1.tar"; }

# go_binary VAR COMPONENT VERSION BINARY: sets VAR to the path of a binary built by ../build/go-tools.sh; when it is
# not there, VAR is empty and the binary is named in MISSING (the run fails at the end).
MISSING=()
go_binary() {
  local path="$E2E_BIN/$2-$3/$4"
  if [ -x "$path" ]; then
    printf -v "$1" '%s' "$path"
  else
    printf -v "$1" '%s' ""
    MISSING+=("$path (test/cluster/build/go-tools.sh $2)")
    log "MISSING: $path: not built yet (test/cluster/build/go-tools.sh $2 builds it)"
  fi
}

# claims BINARY EXPECTED ARGS...: the binary's own version output must contain EXPECTED (an image never claims a
# version it does not contain).
claims() {
  local bin=$1 expected=$2 text
  shift 2
  text="$("$bin" "$@" 2>&1 || true)"
  [[ $text == *"$expected"* ]] || die "images: '$bin $*' does not report $expected: $(head -n 2 <<< "$text")"
}

# --- images -------------------------------------------------------------------------------------------------------
# registry.k8s.io/pause (kubernetes build/pause/Dockerfile): FROM scratch, /pause, USER 65535:65535,
# ENTRYPOINT ["/pause"]. 3.10 is the kubelet 1.34 default sandbox image; this pause is built from pause/pause.c.
build_pause() {
  local tag=3.10
  new_layer pause
  gcc -Os -Wall -Werror -static -DVERSION="\"$tag (cdk8s-middleware e2e, pause/pause.c)\"" \
    -o "$LAYER/pause" "$IMAGES_DIR/pause/pause.c" || die "pause: gcc -static"
  strip "$LAYER/pause"
  chmod 755 "$LAYER/pause"
  pack "$LAYER"
  image pause "registry.k8s.io/pause:$tag" "$LAYER.tar" -- --user 65535:65535 --entrypoint '["/pause"]'
}

# docker.io/library/redis (docker-library/redis 7.0/debian/Dockerfile): user and group redis 999:999 created
# before the packages; /data owned by redis, VOLUME /data, WORKDIR /data; docker-entrypoint.sh in /usr/local/bin;
# EXPOSE 6379; ENTRYPOINT ["docker-entrypoint.sh"]; CMD ["redis-server"]. Debian's binaries are in /usr/bin;
# /usr/local/bin gets links to them, as the official image has its own builds there.
build_redis() {
  new_layer redis
  accounts "$LAYER" "" ""
  mkdir -p "$LAYER/data" "$LAYER/usr/local/bin"
  chown 999:999 "$LAYER/data"
  chmod 755 "$LAYER/data"
  install -m 755 "$IMAGES_DIR/redis/docker-entrypoint.sh" "$LAYER/usr/local/bin/docker-entrypoint.sh"
  local b
  for b in redis-server redis-cli redis-benchmark redis-check-aof redis-check-rdb; do
    ln -s "/usr/bin/$b" "$LAYER/usr/local/bin/$b"
  done
  # The official image's redis-sentinel is redis-server under another name (sentinel mode by argv[0]).
  ln -s redis-server "$LAYER/usr/local/bin/redis-sentinel"
  pack "$LAYER"
  image redis "docker.io/library/redis:$REDIS_VERSION" "$BASE_TAR" "$LAYER.tar" -- \
    --env "PATH=$DEFAULT_PATH" --env "GOSU_VERSION=$GOSU_VERSION" --env "REDIS_VERSION=$REDIS_VERSION" \
    --workdir /data --volume /data --expose 6379/tcp \
    --entrypoint '["docker-entrypoint.sh"]' --cmd '["redis-server"]'
}

# docker.io/curlimages/curl (curl/curl-container create_base_image.sh + create_appliance_image.sh, Alpine):
# `addgroup -S curl_group; adduser -S curl_user -G curl_group` (Alpine's first free system ids: uid 100, gid 101),
# /entrypoint.sh owned by curl_user:curl_group, ENTRYPOINT ["/entrypoint.sh"], CMD ["curl"], USER curl_user,
# WORKDIR /home/curl_user, ENV CURL_CA_BUNDLE=/cacert.pem (here: the Debian CA bundle).
build_curl() {
  new_layer curl
  accounts "$LAYER" "curl_user:x:100:101:Linux User,,,:/home/curl_user:/sbin/nologin" "curl_group:x:101:curl_user"
  mkdir -p "$LAYER/home/curl_user"
  chown 100:101 "$LAYER/home/curl_user"
  chmod 755 "$LAYER/home/curl_user"
  install -m 755 -o 100 -g 101 "$IMAGES_DIR/curl/entrypoint.sh" "$LAYER/entrypoint.sh"
  ln -s /etc/ssl/certs/ca-certificates.crt "$LAYER/cacert.pem"
  pack "$LAYER"
  image curl "docker.io/curlimages/curl:$CURL_VERSION" "$BASE_TAR" "$LAYER.tar" -- \
    --env "PATH=$DEFAULT_PATH" --env CURL_CA_BUNDLE=/cacert.pem --user curl_user --workdir /home/curl_user \
    --entrypoint '["/entrypoint.sh"]' --cmd '["curl"]' \
    --label "org.opencontainers.image.source=https://github.com/curl/curl-container" \
    --label "org.opencontainers.image.description=minimal image for curl" \
    --label "org.opencontainers.image.licenses=MIT" --label "version=$CURL_VERSION"
}

# docker.io/amazon/aws-cli (aws/aws-cli docker/Dockerfile): runs as root, WORKDIR /aws,
# ENTRYPOINT ["/usr/local/bin/aws"] (here a link to Debian's /usr/bin/aws); less, groff and jq installed.
build_aws_cli() {
  new_layer aws-cli
  mkdir -p "$LAYER/aws" "$LAYER/usr/local/bin"
  ln -s /usr/bin/aws "$LAYER/usr/local/bin/aws"
  pack "$LAYER"
  image aws-cli "docker.io/amazon/aws-cli:$AWSCLI_VERSION" "$BASE_TAR" "$LAYER.tar" -- \
    --env "PATH=$DEFAULT_PATH" --workdir /aws --entrypoint '["/usr/local/bin/aws"]'
}

# Kafka's jars: org.apache.kafka:kafka_2.13, kafka-tools, kafka-storage, kafka-server and their runtime
# dependencies, plus the Log4j 2 bindings the distribution ships (log4j-slf4j-impl for slf4j 1.7,
# log4j-1.2-api for Log4j 1.x configurations), all of the Log4j version Kafka itself depends on.
# Cached under $E2E_IMAGES/kafka-libs-<version>-<hash of the pom>/libs; the Maven repository under $E2E_CACHE/maven.
kafka_libs() {
  local v=$1 work pom key dir t0=$SECONDS
  pom="$(cat <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>e2e.local</groupId>
  <artifactId>kafka-image-libs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$v</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$v</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-storage</artifactId><version>$v</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-server</artifactId><version>$v</version></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.6.1</version></plugin>
    </plugins>
  </build>
</project>
POM
)"
  key="$(printf '%s\n' "$pom" "log4j-slf4j-impl log4j-1.2-api" | sha256sum | cut -c1-16)"
  dir="$E2E_IMAGES/kafka-libs-$v-$key"
  KAFKA_LIBS="$dir/libs"
  if [ -f "$dir/.complete" ]; then
    log "kafka $v: jars cached in $KAFKA_LIBS"
    return 0
  fi
  command -v mvn >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y maven >/dev/null
  work="$dir.work"
  rm -rf "$work"
  mkdir -p "$work/libs"
  printf '%s\n' "$pom" > "$work/pom.xml"
  local mvn=(mvn -B -q -f "$work/pom.xml" "-Dmaven.repo.local=$E2E_CACHE/maven")
  log "kafka $v: downloading the jars from Maven Central"
  "${mvn[@]}" dependency:copy-dependencies -DincludeScope=runtime "-DoutputDirectory=$work/libs" > "$work/mvn.log" 2>&1 ||
    { tail -n 30 "$work/mvn.log" >&2; die "kafka $v: mvn dependency:copy-dependencies (log: $work/mvn.log)"; }
  local core log4j a
  core="$(find "$work/libs" -name 'log4j-core-*.jar' | head -n 1)"
  [ -n "$core" ] || die "kafka $v: no log4j-core among Kafka's dependencies"
  log4j="$(basename "$core" .jar)"
  log4j="${log4j#log4j-core-}"
  for a in log4j-slf4j-impl log4j-1.2-api; do
    "${mvn[@]}" dependency:copy "-Dartifact=org.apache.logging.log4j:$a:$log4j" "-DoutputDirectory=$work/libs" \
      >> "$work/mvn.log" 2>&1 || { tail -n 30 "$work/mvn.log" >&2; die "kafka $v: mvn dependency:copy $a:$log4j"; }
  done
  [ -f "$work/libs/kafka_2.13-$v.jar" ] || die "kafka $v: kafka_2.13-$v.jar was not downloaded"
  touch "$work/.complete"
  rm -rf "$dir"
  mv "$work" "$dir"
  # Jars of an older pom of this version, or of a version neither image uses, are of no use any more.
  find "$E2E_IMAGES" -maxdepth 1 -name 'kafka-libs-*' ! -name "kafka-libs-$v-$key" \
    ! -name "kafka-libs-$KAFKA_VERSION-*" ! -name "kafka-libs-$KAFKA_PREVIOUS_VERSION-*" -exec rm -rf {} +
  find "$E2E_IMAGES" -maxdepth 1 -name "kafka-libs-$v-*" ! -name "kafka-libs-$v-$key" -exec rm -rf {} +
  log "kafka $v: downloaded in $((SECONDS - t0))s: $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars, $(du -sh "$KAFKA_LIBS" | cut -f1)"
}

# The distribution's bin/ tools (name, then the main classes it has had: the first one found in the jars is used).
KAFKA_TOOLS=(
  "kafka-storage.sh kafka.tools.StorageTool org.apache.kafka.tools.StorageTool"
  "kafka-topics.sh org.apache.kafka.tools.TopicCommand"
  "kafka-configs.sh kafka.admin.ConfigCommand org.apache.kafka.tools.ConfigCommand"
  "kafka-acls.sh kafka.admin.AclCommand org.apache.kafka.tools.AclCommand"
  "kafka-consumer-groups.sh org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"
  "kafka-console-producer.sh org.apache.kafka.tools.ConsoleProducer"
  "kafka-console-consumer.sh org.apache.kafka.tools.consumer.ConsoleConsumer"
  "kafka-console-share-consumer.sh org.apache.kafka.tools.consumer.ConsoleShareConsumer"
  "kafka-broker-api-versions.sh org.apache.kafka.tools.BrokerApiVersionsCommand"
  "kafka-metadata-quorum.sh org.apache.kafka.tools.MetadataQuorumCommand"
  "kafka-features.sh org.apache.kafka.tools.FeatureCommand"
  "kafka-get-offsets.sh org.apache.kafka.tools.GetOffsetShell"
  "kafka-leader-election.sh org.apache.kafka.tools.LeaderElectionCommand"
  "kafka-log-dirs.sh org.apache.kafka.tools.LogDirsCommand"
  "kafka-reassign-partitions.sh org.apache.kafka.tools.reassign.ReassignPartitionsCommand"
  "kafka-delete-records.sh org.apache.kafka.tools.DeleteRecordsCommand"
  "kafka-transactions.sh org.apache.kafka.tools.TransactionsCommand"
  "kafka-cluster.sh org.apache.kafka.tools.ClusterTool"
  "kafka-delegation-tokens.sh org.apache.kafka.tools.DelegationTokenCommand"
  "kafka-client-metrics.sh org.apache.kafka.tools.ClientMetricsCommand"
  "kafka-groups.sh org.apache.kafka.tools.GroupsCommand"
  "kafka-share-groups.sh org.apache.kafka.tools.consumer.group.ShareGroupCommand"
  "kafka-streams-groups.sh org.apache.kafka.tools.streams.StreamsGroupCommand"
  "kafka-dump-log.sh kafka.tools.DumpLogSegments org.apache.kafka.tools.DumpLogSegments"
  "kafka-producer-perf-test.sh org.apache.kafka.tools.ProducerPerformance"
  "kafka-consumer-perf-test.sh org.apache.kafka.tools.ConsumerPerformance"
  "kafka-share-consumer-perf-test.sh org.apache.kafka.tools.ShareConsumerPerformance"
  "kafka-e2e-latency.sh org.apache.kafka.tools.EndToEndLatency"
  "kafka-verifiable-producer.sh org.apache.kafka.tools.VerifiableProducer"
  "kafka-verifiable-consumer.sh org.apache.kafka.tools.VerifiableConsumer"
  "kafka-jmx.sh org.apache.kafka.tools.JmxTool"
  "kafka-replica-verification.sh org.apache.kafka.tools.ReplicaVerificationTool"
)
# Tools the library's manifests run, or that the image cannot do without: a missing main class fails the build.
KAFKA_REQUIRED="kafka-storage.sh kafka-topics.sh kafka-configs.sh kafka-acls.sh kafka-consumer-groups.sh kafka-console-producer.sh kafka-console-consumer.sh"
# The distribution's scripts that give the JVM a bigger default heap.
KAFKA_HEAP_512M="kafka-console-producer.sh kafka-console-consumer.sh kafka-console-share-consumer.sh kafka-producer-perf-test.sh kafka-consumer-perf-test.sh kafka-share-consumer-perf-test.sh"

# docker.io/apache/kafka (apache/kafka docker/jvm/Dockerfile, 4.1): `adduser -h /home/appuser -D --shell /bin/bash
# appuser` (Alpine: uid and gid 1000); /opt/kafka (owned by appuser) with bin, config, libs; /var/lib/kafka/data,
# /etc/kafka/secrets, /etc/kafka (appuser:root, ug+w); /etc/kafka/docker with the run script and the default
# server.properties, log4j2.yaml and tools-log4j2.yaml; /usr/logs and /mnt/shared/config (appuser); EXPOSE 9092;
# USER appuser; VOLUMEs; ENTRYPOINT ["/__cacert_entrypoint.sh"] and JAVA_HOME, PATH, LANG of the eclipse-temurin
# base; CMD ["/etc/kafka/docker/run"].
# The same image of another version is "kafka-previous" (built by kafka_image NAME VERSION for both).
build_kafka() { kafka_image kafka "$KAFKA_VERSION"; }
build_kafka_previous() { kafka_image kafka-previous "$KAFKA_PREVIOUS_VERSION"; }
kafka_image() {
  local img=$1 v=$2
  timed "kafka $v jars" kafka_libs "$v"
  new_layer "$img"
  accounts "$LAYER" "appuser:x:1000:1000:Linux User,,,:/home/appuser:/bin/bash" "appuser:x:1000:"
  local k="$LAYER/opt/kafka"
  mkdir -p "$k/bin" "$k/config" "$k/libs" "$LAYER/opt/java" "$LAYER/var/lib/kafka/data" "$LAYER/etc/kafka/secrets" \
    "$LAYER/etc/kafka/docker" "$LAYER/usr/logs" "$LAYER/mnt/shared/config" "$LAYER/home/appuser"
  cp "$KAFKA_LIBS"/*.jar "$k/libs/"
  chmod 644 "$k/libs"/*.jar
  install -m 755 "$IMAGES_DIR"/kafka/bin/*.sh "$k/bin/"
  install -m 644 "$IMAGES_DIR"/kafka/config/* "$k/config/"
  install -m 755 "$IMAGES_DIR/kafka/docker/run" "$LAYER/etc/kafka/docker/run"
  install -m 644 "$IMAGES_DIR/kafka/config/server.properties" "$IMAGES_DIR/kafka/config/log4j2.yaml" \
    "$IMAGES_DIR/kafka/config/tools-log4j2.yaml" "$LAYER/etc/kafka/docker/"
  install -m 755 "$IMAGES_DIR/kafka/docker/__cacert_entrypoint.sh" "$LAYER/__cacert_entrypoint.sh"
  ln -s "$JAVA_HOME_DEBIAN" "$LAYER/opt/java/openjdk"

  # One thin script per tool, calling the main class the distribution's script calls.
  local classes entry name cands c found missing=()
  classes="$(python3 - "$k/libs" <<'PY'
import os, sys, zipfile
d = sys.argv[1]
for j in sorted(os.listdir(d)):
    if j.endswith(".jar"):
        for n in zipfile.ZipFile(os.path.join(d, j)).namelist():
            if n.endswith(".class") and "$" not in n:
                print(n[:-6].replace("/", "."))
PY
)"
  for c in kafka.Kafka kafka.docker.KafkaDockerWrapper; do
    grep -qxF "$c" <<< "$classes" || die "kafka $v: no class $c in the jars"
  done
  for entry in "${KAFKA_TOOLS[@]}"; do
    read -r name cands <<< "$entry"
    found=
    for c in $cands; do
      if grep -qxF "$c" <<< "$classes"; then found=$c; break; fi
    done
    if [ -z "$found" ]; then
      [[ " $KAFKA_REQUIRED " != *" $name "* ]] || die "kafka $v: $name: none of $cands is in the jars"
      missing+=("$name")
      continue
    fi
    {
      echo '#!/bin/bash'
      echo "# $name of Apache Kafka $v: runs $found through kafka-run-class.sh."
      if [[ " $KAFKA_HEAP_512M " == *" $name "* ]]; then
        # shellcheck disable=SC2016 # written into the script, expanded when it runs
        printf '%s\n' 'if [ -z "${KAFKA_HEAP_OPTS:-}" ]; then' '  export KAFKA_HEAP_OPTS="-Xmx512M"' 'fi'
      fi
      echo "exec \"\$(dirname \"\$0\")/kafka-run-class.sh\" $found \"\$@\""
    } > "$k/bin/$name"
    chmod 755 "$k/bin/$name"
  done
  [ ${#missing[@]} = 0 ] || log "kafka $v: no main class in $v for ${missing[*]} (left out)"
  echo "$v" > "$k/VERSION"

  # Owners and modes in the Dockerfile's order: chown -R appuser:appuser /usr/logs /opt/kafka /mnt/shared/config;
  # chown -R appuser:root /var/lib/kafka /etc/kafka/secrets /etc/kafka; chmod -R ug+w on those; then the default
  # configs copied in by root, and the scripts with COPY --chown=appuser:appuser.
  chown -R 1000:1000 "$LAYER/opt/kafka" "$LAYER/usr/logs" "$LAYER/mnt/shared/config" "$LAYER/home/appuser"
  chown 1000:0 "$LAYER/var/lib/kafka" "$LAYER/var/lib/kafka/data" "$LAYER/etc/kafka" "$LAYER/etc/kafka/secrets" \
    "$LAYER/etc/kafka/docker"
  chmod ug+w "$LAYER/var/lib/kafka" "$LAYER/var/lib/kafka/data" "$LAYER/etc/kafka" "$LAYER/etc/kafka/secrets" \
    "$LAYER/etc/kafka/docker"
  chown 1000:1000 "$LAYER/etc/kafka/docker/run"
  pack "$LAYER"
  image "$img" "docker.io/apache/kafka:$v" "$BASE_TAR" "$LAYER.tar" -- \
    --env "PATH=/opt/java/openjdk/bin:$DEFAULT_PATH" --env JAVA_HOME=/opt/java/openjdk \
    --env LANG=en_US.UTF-8 --env LANGUAGE=en_US:en --env LC_ALL=en_US.UTF-8 --env "JAVA_VERSION=jdk-$JAVA_RELEASE" \
    --user appuser --expose 9092/tcp \
    --volume /etc/kafka/secrets --volume /var/lib/kafka/data --volume /mnt/shared/config \
    --entrypoint '["/__cacert_entrypoint.sh"]' --cmd '["/etc/kafka/docker/run"]' \
    --label org.label-schema.name=kafka --label "org.label-schema.description=Apache Kafka" \
    --label org.label-schema.vcs-url=https://github.com/apache/kafka --label "maintainer=Apache Kafka"
}

# An exporter on the base: BINARY at PATH_IN_IMAGE (under usr/ where the upstream path is /bin: the base's /bin is
# a link to usr/bin), its user, port and entrypoint.
exporter() { # exporter IMAGE_NAME REF BINARY_PATH PATH_IN_IMAGE USER PORT
  local name=$1 ref=$2 bin=$3 dest=$4 user=$5 port=$6 at
  new_layer "$name"
  at="$dest"
  case "$dest" in /bin/*) at="/usr$dest" ;; esac
  install -D -m 755 "$bin" "$LAYER$at"
  pack "$LAYER"
  image "$name" "$ref" "$BASE_TAR" "$LAYER.tar" -- \
    --env "PATH=$DEFAULT_PATH" --user "$user" --expose "$port" --entrypoint "[\"$dest\"]"
}

# docker.io/oliver006/redis_exporter (Dockerfile, scratch-release stage): /redis_exporter, USER 59000:59000,
# EXPOSE 9121, ENTRYPOINT ["/redis_exporter"].
build_redis_exporter() {
  local bin
  go_binary bin redis_exporter "$REDIS_EXPORTER_VERSION" redis_exporter
  [ -n "$bin" ] || return 0
  claims "$bin" "${REDIS_EXPORTER_VERSION}" -version
  exporter redis-exporter "docker.io/oliver006/redis_exporter:$REDIS_EXPORTER_VERSION" "$bin" /redis_exporter \
    59000:59000 9121/tcp
}

# docker.io/danielqsj/kafka-exporter (Dockerfile, v1.9.0): prometheus busybox base, /bin/kafka_exporter,
# EXPOSE 9308, USER nobody, ENTRYPOINT ["/bin/kafka_exporter"].
build_kafka_exporter() {
  local bin
  go_binary bin kafka_exporter "$KAFKA_EXPORTER_VERSION" kafka_exporter
  [ -n "$bin" ] || return 0
  claims "$bin" "${KAFKA_EXPORTER_VERSION#v}" --version
  exporter kafka-exporter "docker.io/danielqsj/kafka-exporter:$KAFKA_EXPORTER_VERSION" "$bin" /bin/kafka_exporter \
    nobody 9308/tcp
}

# docker.io/prom/mysqld-exporter (Dockerfile, v0.18.0): prometheus busybox base, /bin/mysqld_exporter,
# EXPOSE 9104, USER nobody, ENTRYPOINT ["/bin/mysqld_exporter"].
build_mysqld_exporter() {
  local bin
  go_binary bin mysqld_exporter "$MYSQLD_EXPORTER_VERSION" mysqld_exporter
  [ -n "$bin" ] || return 0
  claims "$bin" "${MYSQLD_EXPORTER_VERSION#v}" --version
  exporter mysqld-exporter "docker.io/prom/mysqld-exporter:$MYSQLD_EXPORTER_VERSION" "$bin" /bin/mysqld_exporter \
    nobody 9104/tcp
}

# quay.io/prometheuscommunity/elasticsearch-exporter (Dockerfile, v1.9.0 and v1.11.0): prometheus busybox:glibc base,
# /bin/elasticsearch_exporter, EXPOSE 7979 (sic: the exporter listens on 9114), USER nobody,
# ENTRYPOINT ["/bin/elasticsearch_exporter"].
build_elasticsearch_exporter() {
  local bin
  go_binary bin elasticsearch_exporter "$ELASTICSEARCH_EXPORTER_VERSION" elasticsearch_exporter
  [ -n "$bin" ] || return 0
  claims "$bin" "${ELASTICSEARCH_EXPORTER_VERSION#v}" --version
  exporter elasticsearch-exporter "quay.io/prometheuscommunity/elasticsearch-exporter:$ELASTICSEARCH_EXPORTER_VERSION" \
    "$bin" /bin/elasticsearch_exporter nobody 7979/tcp
}

# quay.io/prometheuscommunity/json-exporter (Dockerfile): prometheus busybox:glibc base, /bin/json_exporter,
# EXPOSE 7979, USER nobody, ENTRYPOINT ["/bin/json_exporter"].
build_json_exporter() {
  local bin
  go_binary bin json_exporter "$JSON_EXPORTER_VERSION" json_exporter
  [ -n "$bin" ] || return 0
  claims "$bin" "${JSON_EXPORTER_VERSION#v}" --version
  exporter json-exporter "quay.io/prometheuscommunity/json-exporter:$JSON_EXPORTER_VERSION" "$bin" /bin/json_exporter \
    nobody 7979/tcp
}

# registry.k8s.io/coredns/coredns (coredns Dockerfile): distroless static nonroot base (nonroot = 65532), /coredns
# with cap_net_bind_service=+ep (setcap), USER 65532:65532 (from v1.14.7; nonroot:nonroot before), WORKDIR /,
# EXPOSE 53 53/udp, ENTRYPOINT ["/coredns"].
build_coredns() {
  local bin user=65532:65532
  go_binary bin coredns "$COREDNS_VERSION" coredns
  [ -n "$bin" ] || return 0
  claims "$bin" "CoreDNS-${COREDNS_VERSION#v}" -version
  if [ "$(printf '%s\n' "$COREDNS_VERSION" v1.14.7 | sort -V | head -n 1)" != v1.14.7 ]; then user=nonroot:nonroot; fi
  new_layer coredns
  accounts "$LAYER" "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin" "nonroot:x:65532:"
  install -m 755 "$bin" "$LAYER/coredns"
  setcap cap_net_bind_service=+ep "$LAYER/coredns" || die "coredns: setcap"
  pack "$LAYER"
  image coredns "registry.k8s.io/coredns/coredns:$COREDNS_VERSION" "$BASE_TAR" "$LAYER.tar" -- \
    --env "PATH=$DEFAULT_PATH" --user "$user" --workdir / --expose 53/tcp --expose 53/udp --entrypoint '["/coredns"]'
}

# quay.io/minio/minio (Dockerfile.release): ubi-micro base; minio and mc in /usr/bin; ENV MINIO_*_FILE,
# MINIO_UPDATE_MINISIGN_PUBKEY, MINIO_CONFIG_ENV_FILE, MC_CONFIG_DIR; EXPOSE 9000; VOLUME /data; runs as root;
# ENTRYPOINT ["/usr/bin/docker-entrypoint.sh"]; CMD ["minio"]. Tagged with the Go module version it is built from
# (MinIO publishes no semver tags; the binary reports a DEVELOPMENT release of that commit).
build_minio() {
  local bin mc
  go_binary bin minio "$MINIO_VERSION" minio
  go_binary mc mc "$MC_VERSION" mc
  [ -n "$bin" ] && [ -n "$mc" ] || return 0
  new_layer minio
  mkdir -p "$LAYER/usr/bin" "$LAYER/data"
  install -m 755 "$bin" "$LAYER/usr/bin/minio"
  install -m 755 "$mc" "$LAYER/usr/bin/mc"
  install -m 755 "$IMAGES_DIR/minio/docker-entrypoint.sh" "$LAYER/usr/bin/docker-entrypoint.sh"
  pack "$LAYER"
  image minio "quay.io/minio/minio:$MINIO_VERSION" "$BASE_TAR" "$LAYER.tar" -- \
    --env "PATH=$DEFAULT_PATH" --env MINIO_ACCESS_KEY_FILE=access_key --env MINIO_SECRET_KEY_FILE=secret_key \
    --env MINIO_ROOT_USER_FILE=access_key --env MINIO_ROOT_PASSWORD_FILE=secret_key \
    --env MINIO_KMS_SECRET_KEY_FILE=kms_master_key \
    --env MINIO_UPDATE_MINISIGN_PUBKEY=RWTx5Zr1tiHQLwG9keckT0c45M3AGeHD6IvimQHpyRywVWGbP1aVSGav \
    --env MINIO_CONFIG_ENV_FILE=config.env --env MC_CONFIG_DIR=/tmp/.mc \
    --expose 9000/tcp --volume /data --entrypoint '["/usr/bin/docker-entrypoint.sh"]' --cmd '["minio"]' \
    --label name=MinIO --label "vendor=MinIO Inc <dev@min.io>" --label "version=$MINIO_VERSION"
}

# --- main ---------------------------------------------------------------------------------------------------------
selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${DEFAULT_IMAGES[@]}")
for i in "${selected[@]}"; do
  [[ " ${IMAGES[*]} " == *" $i "* ]] || die "images: unknown image '$i' (known: ${IMAGES[*]})"
done
t_all=$SECONDS
for i in "${selected[@]}"; do
  timed "image $i" "build_${i//-/_}"
done
# The list import-images.sh and the tests read: every image that has a current archive.
: > "$CURRENT/images.txt.tmp"
for i in "${IMAGES[@]}"; do
  if [ -e "$CURRENT/$i.tar" ]; then printf '%s %s\n' "$i" "$(cat "$CURRENT/$i.ref")" >> "$CURRENT/images.txt.tmp"; fi
done
mv "$CURRENT/images.txt.tmp" "$CURRENT/images.txt"
rm -rf "$WORK_ROOT"
# Compressed layers that no archive uses any more (an older base or an older image layer).
for meta in "$BLOBS"/*.tar.gz.json; do
  [ -e "$meta" ] || continue
  d="$(sed -n 's/.*"digest": *"\([^"]*\)".*/\1/p' "$meta")"
  if ! grep -qF "\"$d\"" "$ARCHIVES"/*.tar.json 2>/dev/null; then rm -f "$meta" "${meta%.json}"; fi
done
log "TIME images total: $((SECONDS - t_all))s"
if [ ${#MISSING[@]} -gt 0 ]; then
  die "images: ${#MISSING[@]} binary(ies) not built yet, their images were skipped: ${MISSING[*]}"
fi
log "images: built ${selected[*]} (list: $CURRENT/images.txt)"
