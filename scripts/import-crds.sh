#!/usr/bin/env bash
# Regenerates src/imports/*.ts from the pinned upstream CRDs in crds/ (see crds/SOURCES.md). crds/ is a copy of the
# workplace's ../shared/crds, committed so that a clone anywhere tests the same schemas: when ../shared/crds is there,
# the copy is refreshed from it first (test/harness/crds.test.ts fails when the two differ).
# cdk8s import takes one CRD group per call, so each group's files are joined into one YAML stream first.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
crds="$here/crds"
if [ -d "$here/../shared/crds" ]; then
  rm -f "$crds"/*
  cp "$here/../shared/crds"/* "$crds/"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for group in monitoring.coreos.com grafana.integreatly.org cert-manager.io; do
  for f in "$crds/${group}"_*.yaml; do
    cat "$f"
    printf '\n---\n'
  done > "$tmp/$group.yaml"
  (cd "$tmp" && CDK8S_CHECK_UPGRADE=false "$here/node_modules/.bin/cdk8s" import "$group.yaml" --language typescript --output "$here/src/imports")
done
