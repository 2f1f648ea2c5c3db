#!/usr/bin/env bash
# The cluster tier (`npx projen test:cluster`): installs the host packages it needs, builds Kubernetes, etcd, the
# exporters and the images from registry packages (cached in $E2E_CACHE), starts a 3-node cluster, runs the scenarios
# (test/cluster/run.ts) and stops everything it started. Ends with `cluster: N passed, M failed`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=up/env.sh
. "$here/up/env.sh"
report="$repo/test-reports/cluster.json"
mkdir -p "$repo/test-reports"

# A failure before the scenarios start is one failed scenario, with the component that failed as its step.
setup_failed() {
  local step="$1" detail="$2"
  STEP="$step" DETAIL="$detail" node -e '
    const fs = require("fs");
    fs.writeFileSync(process.argv[1], JSON.stringify({ passed: 0, failed: 1, scenarios: [{ scenario: "cluster-setup", ok: false,
      steps: [{ name: process.env.STEP, ok: false, error: process.env.DETAIL }], notes: [] }] }, null, 2));' "$report"
  echo "cluster tier: $step failed" >&2
  echo "cluster: 0 passed, 1 failed"
  exit 1
}

phase() { # name command...
  local name="$1"; shift
  local t0=$SECONDS logf
  logf="$repo/test-reports/cluster-setup-${name//[^a-zA-Z0-9]/_}.log"
  log "tier: $name"
  if ! "$@" > "$logf" 2>&1; then
    tail -n 40 "$logf" >&2
    setup_failed "$name" "$(tail -n 40 "$logf")"
  fi
  log "tier: $name done in $((SECONDS - t0))s (log: ${logf#"$repo"/})"
}

host_packages() {
  local need=() p
  for p in containerd runc containernetworking-plugins iptables ipset conntrack debootstrap jq maven; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  [ "${#need[@]}" -eq 0 ] && return 0
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
}

[ "$(id -u)" -eq 0 ] || setup_failed "preflight" "the cluster tier runs kubelets and containerd: it needs root"
t_start=$SECONDS
phase "host packages" host_packages
phase "build kubernetes $K8S_VERSION" bash "$here/build/k8s.sh"
phase "build etcd, CoreDNS, exporters, MinIO, NetworkPolicy enforcer" bash "$here/build/go-tools.sh"
phase "build images" bash "$here/images/build-images.sh"
log "tier: builds took $((SECONDS - t_start))s"
trap 'bash "$here/up/cluster.sh" down >/dev/null 2>&1 || true' EXIT
phase "start the cluster" bash "$here/up/cluster.sh" up
cd "$repo"
K8S_VERSION="$K8S_VERSION" node_modules/.bin/ts-node --transpile-only -P test/tsconfig.json "$here/run.ts"
