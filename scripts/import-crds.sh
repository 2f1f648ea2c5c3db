#!/usr/bin/env bash
# Regenerates src/imports/*.ts from the pinned upstream CRDs in ../shared/crds (see its SOURCES.md).
# cdk8s import takes one CRD group per call, so each group's files are joined into one YAML stream first.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
crds="${CRDS_DIR:-$here/../shared/crds}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for group in monitoring.coreos.com grafana.integreatly.org cert-manager.io; do
  for f in "$crds/${group}"_*.yaml; do
    cat "$f"
    printf '\n---\n'
  done > "$tmp/$group.yaml"
  (cd "$tmp" && CDK8S_CHECK_UPGRADE=false "$here/node_modules/.bin/cdk8s" import "$group.yaml" --language typescript --output "$here/src/imports")
done
