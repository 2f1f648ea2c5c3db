#!/usr/bin/env bash
# Shared by the cluster tier's scripts: cache location, versions, logging.
set -euo pipefail
E2E_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=/dev/null
. "$E2E_ROOT/build/versions.env"
# Built binaries and images live outside the repository so a second run on the same machine rebuilds nothing.
E2E_CACHE="${E2E_CACHE:-/var/cache/cdk8s-middleware-e2e}"
E2E_BIN="$E2E_CACHE/bin"
mkdir -p "$E2E_BIN"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
