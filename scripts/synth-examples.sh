#!/usr/bin/env bash
# Synthesizes every example app (examples/*/cdk8s.yaml) into its own dist/ folder with `cdk8s synth`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export CDK8S_CHECK_UPGRADE=false
for app in "$root"/examples/*/cdk8s.yaml; do
  dir=$(dirname "$app")
  echo "== synth $(basename "$dir")"
  (cd "$dir" && "$root/node_modules/.bin/cdk8s" synth)
  ls "$dir"/dist
done
