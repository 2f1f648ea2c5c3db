#!/usr/bin/env bash
# Builds the cluster tier's Go programs other than Kubernetes through the Go module proxy, each at the version
# pinned in versions.env: etcd (+ etcdctl), CoreDNS, kube-router (NetworkPolicies), the exporters the library's
# manifests run, and MinIO (+ mc), the S3 target of the backup tests.
#
#   go-tools.sh [component...]     no argument: every component in COMPONENTS below
#
# Each component is built in its own wrapper module under $E2E_CACHE/src/<name>-<version> into
# $E2E_BIN/<name>-<version>/<binary>. A binary that is already there is not rebuilt.
# The wrapper module starts from the upstream go.mod (so its replace/exclude/godebug directives, which Go ignores in
# a dependency, still apply), minus the replaces that point into the upstream checkout and its `tool` lines.
# Every `go build` holds flock $E2E_CACHE/go-build.lock (k8s.sh takes the same lock): one Go build at a time on 2 cores.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# What the tier runs. The others build on request: kube-network-policies cannot run on this kernel (no nft queue, see
# ../README.md), and the Go module proxy here refuses kafka_exporter v1.9.0, mysqld_exporter v0.18.0 and
# json_exporter v0.8.0 (HTTP 403 "This module version is not available"), so their images cannot be built.
COMPONENTS=(etcd coredns kube-router redis_exporter elasticsearch_exporter minio mc)
ON_REQUEST=(kube-network-policies kafka_exporter mysqld_exporter json_exporter)
GO_LOCK="$E2E_CACHE/go-build.lock"
# Stands in for promu's {{user}}@{{host}} in the Prometheus exporters' version string.
BUILD_USER="cdk8s-middleware-e2e@go-tools.sh"

# begin NAME VERSION BINARY...: sets COMPONENT, VERSION, OUT and WORK; fails (returns 1) when every binary is cached.
begin() {
  COMPONENT="$1" VERSION="$2"
  shift 2
  OUT="$E2E_BIN/$COMPONENT-$VERSION"
  WORK="$E2E_CACHE/src/$COMPONENT-$VERSION"
  local b
  for b in "$@"; do
    [ -x "$OUT/$b" ] || return 0
  done
  log "$COMPONENT $VERSION: cached in $OUT"
  return 1
}

# mod_download MODULE VERSION: downloads one module version. Sets MOD_DIR, MOD_GOMOD, MOD_COMMIT (the commit the
# proxy names for it, or "unknown") and MOD_TIME (commit time, RFC 3339 UTC).
mod_download() {
  local json err errfile
  errfile="$(mktemp)"
  if ! json="$(go mod download -json "$1@$2" 2>"$errfile")"; then
    err="$(jq -r '.Error // empty' <<<"$json" 2>/dev/null || true)"
    [ -n "$err" ] || err="$(cat "$errfile")"
    rm -f "$errfile"
    case "$err" in
      *403*) err="$err (the module proxy refuses this version: pick one it serves and change versions.env)" ;;
    esac
    die "$COMPONENT: go mod download $1@$2: $err"
  fi
  rm -f "$errfile"
  MOD_DIR="$(jq -r .Dir <<<"$json")"
  MOD_GOMOD="$(jq -r .GoMod <<<"$json")"
  MOD_COMMIT="$(jq -r '.Origin.Hash // empty' <<<"$json")"
  MOD_TIME="$(jq -r .Time "$(jq -r .Info <<<"$json")")"
  # A pseudo-version (vX.Y.Z-yyyymmddhhmmss-abcdefabcdef) names its commit and commit time itself.
  if [[ "$2" =~ -([0-9]{14})-([0-9a-f]{12})$ ]]; then
    local ts="${BASH_REMATCH[1]}"
    [ -n "$MOD_COMMIT" ] || MOD_COMMIT="${BASH_REMATCH[2]}"
    MOD_TIME="${ts:0:4}-${ts:4:2}-${ts:6:2}T${ts:8:2}:${ts:10:2}:${ts:12:2}Z"
  fi
  [ -n "$MOD_COMMIT" ] || MOD_COMMIT=unknown
}

# wrapper MODULE@VERSION... -- PACKAGE...: writes the wrapper module in $WORK from the first module's go.mod,
# requiring every listed module, with a tools.go importing the main packages to build, then tidies it.
# MOD_COMMIT and MOD_TIME describe the first module afterwards.
wrapper() {
  local mods=() pkgs=() mv p
  while [ $# -gt 0 ] && [ "$1" != -- ]; do mods+=("$1"); shift; done
  shift
  pkgs=("$@")
  local i first_dir first_gomod first_commit first_time
  for i in "${!mods[@]}"; do
    mv="${mods[$i]}"
    mod_download "${mv%@*}" "${mv#*@}"
    if [ "$i" = 0 ]; then
      first_dir="$MOD_DIR" first_gomod="$MOD_GOMOD" first_commit="$MOD_COMMIT" first_time="$MOD_TIME"
    fi
  done
  MOD_COMMIT="$first_commit" MOD_TIME="$first_time"
  mkdir -p "$WORK" "$OUT"
  cd "$WORK"
  rm -f go.mod go.sum
  install -m 0644 "$first_gomod" go.mod
  [ ! -f "$first_dir/go.sum" ] || install -m 0644 "$first_dir/go.sum" go.sum
  local edits=(-module "e2e.local/$COMPONENT" -toolchain=none)
  while IFS= read -r p; do
    [ -z "$p" ] || edits+=("-dropreplace=$p")
  done < <(go mod edit -json | jq -r '.Replace[]? | select(.New.Path | startswith("./") or startswith("../"))
    | .Old.Path + (if .Old.Version then "@" + .Old.Version else "" end)')
  while IFS= read -r p; do
    [ -z "$p" ] || edits+=("-droptool=$p")
  done < <(go mod edit -json | jq -r '.Tool[]?.Path')
  for mv in "${mods[@]}"; do edits+=("-require=$mv"); done
  go mod edit "${edits[@]}" || die "$COMPONENT: go mod edit"
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for p in "${pkgs[@]}"; do printf '\t_ "%s"\n' "$p"; done
    printf ')\n'
  } >tools.go
  log "$COMPONENT $VERSION: resolving modules"
  go mod tidy >tidy.log 2>&1 || { cat tidy.log >&2; die "$COMPONENT: go mod tidy in $WORK (log above)"; }
}

# go_bin BINARY PACKAGE "LDFLAGS" [TAGS]: builds one static binary into $OUT (via a temporary name, so an interrupted
# build never looks cached) while holding the Go build lock; the time logged is the compile time, without the wait.
go_bin() {
  local bin="$1" pkg="$2" ldflags="$3" tags="${4:-}" t0 lockfd
  local args=(-trimpath -ldflags "-s -w $ldflags" -o "$OUT/.$bin.tmp")
  [ -z "$tags" ] || args+=(-tags "$tags")
  exec {lockfd}>>"$GO_LOCK"
  flock -n "$lockfd" || { log "$COMPONENT: waiting for $GO_LOCK (another Go build holds it)"; flock "$lockfd"; }
  t0=$SECONDS
  log "$COMPONENT $VERSION: compiling $bin ($pkg)"
  (cd "$WORK" && CGO_ENABLED=0 go build "${args[@]}" "$pkg") \
    || die "$COMPONENT: go build $pkg failed (compiler output above; wrapper module in $WORK)"
  exec {lockfd}>&-
  mv -f "$OUT/.$bin.tmp" "$OUT/$bin"
  log "$COMPONENT $VERSION: $OUT/$bin built in $((SECONDS - t0))s"
}

# runs BINARY ARG...: the fresh binary must start and report its version.
runs() {
  local bin="$1" text
  shift
  text="$("$OUT/$bin" "$@" 2>&1)" || die "$COMPONENT: '$OUT/$bin $*' exited $?: $text"
  log "$COMPONENT: $bin $*: $(head -n 4 <<<"$text" | tr -s '\n\t' '  ')"
}

# The ldflags promu (.promu.yml) sets for the Prometheus exporters.
promu_ldflags() {
  local v=github.com/prometheus/common/version
  printf '%s ' "-X $v.Version=${VERSION#v}" "-X $v.Revision=$MOD_COMMIT" "-X $v.Branch=HEAD" \
    "-X $v.BuildUser=$BUILD_USER" "-X $v.BuildDate=$(date -u -d "$MOD_TIME" +%Y%m%d-%H:%M:%S)"
}

# The ldflags minio's and mc's buildscripts/gen-ldflags.go compute for a build of a commit (a DEVELOPMENT release
# named by the commit time; the proxy serves no RELEASE tags).
minio_ldflags() {
  local pkg="$1" reltime
  reltime="$(date -u -d "$MOD_TIME" +%Y-%m-%dT%H-%M-%SZ)"
  printf '%s ' "-X $pkg.Version=$(date -u -d "$MOD_TIME" +%Y-%m-%dT%H:%M:%SZ)" \
    "-X $pkg.CopyrightYear=${reltime:0:4}" "-X $pkg.ReleaseTag=DEVELOPMENT.$reltime" \
    "-X $pkg.CommitID=$MOD_COMMIT" "-X $pkg.ShortCommitID=${MOD_COMMIT:0:12}"
}

build_etcd() {
  begin etcd "$ETCD_VERSION" etcd etcdctl || return 0
  wrapper "go.etcd.io/etcd/server/v3@$VERSION" "go.etcd.io/etcd/etcdctl/v3@$VERSION" -- \
    go.etcd.io/etcd/server/v3 go.etcd.io/etcd/etcdctl/v3
  # scripts/build_lib.sh: the version itself is a constant in go.etcd.io/etcd/api/v3/version.
  local ld="-X go.etcd.io/etcd/api/v3/version.GitSHA=${MOD_COMMIT:0:7}"
  go_bin etcd go.etcd.io/etcd/server/v3 "$ld"
  go_bin etcdctl go.etcd.io/etcd/etcdctl/v3 "$ld"
  runs etcd --version
  runs etcdctl version
}

build_coredns() {
  begin coredns "$COREDNS_VERSION" coredns || return 0
  wrapper "github.com/coredns/coredns@$VERSION" -- github.com/coredns/coredns
  # Makefile: the version is coremain.CoreVersion; only the commit comes from ldflags.
  go_bin coredns github.com/coredns/coredns "-X github.com/coredns/coredns/coremain.GitCommit=${MOD_COMMIT:0:7}"
  runs coredns -version
}

build_kube_network_policies() {
  begin kube-network-policies "$KNP_VERSION" kube-network-policies || return 0
  wrapper "sigs.k8s.io/kube-network-policies@$VERSION" -- sigs.k8s.io/kube-network-policies/cmd
  # The Makefile/Dockerfile build ./cmd with no version ldflags; the binary has no version flag.
  go_bin kube-network-policies sigs.k8s.io/kube-network-policies/cmd ""
  runs kube-network-policies -h
}

build_kube_router() {
  begin kube-router "$KUBE_ROUTER_VERSION" kube-router || return 0
  wrapper "github.com/cloudnativelabs/kube-router/v2@$VERSION" -- github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
  go_bin kube-router github.com/cloudnativelabs/kube-router/v2/cmd/kube-router \
    "-X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=$VERSION"
  runs kube-router --version
}

build_redis_exporter() {
  begin redis_exporter "$REDIS_EXPORTER_VERSION" redis_exporter || return 0
  wrapper "github.com/oliver006/redis_exporter@$VERSION" -- github.com/oliver006/redis_exporter
  go_bin redis_exporter github.com/oliver006/redis_exporter "-X main.BuildVersion=$VERSION \
-X main.BuildCommitSha=$MOD_COMMIT -X main.BuildDate=$(date -u -d "$MOD_TIME" +%F-%T)"
  runs redis_exporter -version
}

build_kafka_exporter() {
  begin kafka_exporter "$KAFKA_EXPORTER_VERSION" kafka_exporter || return 0
  wrapper "github.com/danielqsj/kafka_exporter@$VERSION" -- github.com/danielqsj/kafka_exporter
  go_bin kafka_exporter github.com/danielqsj/kafka_exporter "$(promu_ldflags)" netgo
  runs kafka_exporter --version
}

build_mysqld_exporter() {
  begin mysqld_exporter "$MYSQLD_EXPORTER_VERSION" mysqld_exporter || return 0
  wrapper "github.com/prometheus/mysqld_exporter@$VERSION" -- github.com/prometheus/mysqld_exporter
  go_bin mysqld_exporter github.com/prometheus/mysqld_exporter "$(promu_ldflags)" netgo
  runs mysqld_exporter --version
}

build_elasticsearch_exporter() {
  begin elasticsearch_exporter "$ELASTICSEARCH_EXPORTER_VERSION" elasticsearch_exporter || return 0
  wrapper "github.com/prometheus-community/elasticsearch_exporter@$VERSION" -- \
    github.com/prometheus-community/elasticsearch_exporter
  go_bin elasticsearch_exporter github.com/prometheus-community/elasticsearch_exporter "$(promu_ldflags)"
  runs elasticsearch_exporter --version
}

build_json_exporter() {
  begin json_exporter "$JSON_EXPORTER_VERSION" json_exporter || return 0
  wrapper "github.com/prometheus-community/json_exporter@$VERSION" -- github.com/prometheus-community/json_exporter
  go_bin json_exporter github.com/prometheus-community/json_exporter "$(promu_ldflags)"
  runs json_exporter --version
}

build_minio() {
  begin minio "$MINIO_VERSION" minio || return 0
  wrapper "github.com/minio/minio@$VERSION" -- github.com/minio/minio
  go_bin minio github.com/minio/minio "$(minio_ldflags github.com/minio/minio/cmd)" kqueue
  runs minio --version
}

build_mc() {
  begin mc "$MC_VERSION" mc || return 0
  wrapper "github.com/minio/mc@$VERSION" -- github.com/minio/mc
  go_bin mc github.com/minio/mc "$(minio_ldflags github.com/minio/mc/cmd)" kqueue
  runs mc --version
}

command -v jq >/dev/null || die "go-tools: jq is required (apt-get install jq)"
command -v flock >/dev/null || die "go-tools: flock is required (util-linux)"
selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${COMPONENTS[@]}")
for c in "${selected[@]}"; do
  [[ " ${COMPONENTS[*]} ${ON_REQUEST[*]} " == *" $c "* ]] || die "go-tools: unknown component '$c' (known: ${COMPONENTS[*]} ${ON_REQUEST[*]})"
done
# Each component runs in its own subshell (a failure ends only that one); all failures are reported at the end.
failed=()
for c in "${selected[@]}"; do
  t0=$SECONDS
  set +e
  (
    set -e
    "build_${c//-/_}"
  )
  rc=$?
  set -e
  if [ "$rc" = 0 ]; then
    log "$c: ok ($((SECONDS - t0))s)"
  else
    failed+=("$c")
  fi
done
[ ${#failed[@]} = 0 ] || die "go-tools: ${#failed[@]} of ${#selected[@]} component(s) failed: ${failed[*]} (reasons in the FAILED lines above)"
log "go-tools: ${selected[*]}: all built in $E2E_BIN"
