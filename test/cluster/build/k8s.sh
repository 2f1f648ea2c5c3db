#!/usr/bin/env bash
# Builds the Kubernetes server binaries and kubectl of one pinned release through the Go module proxy:
# a wrapper module requires k8s.io/kubernetes and replaces each staging module with its published version.
. "$(dirname "$0")/lib.sh"
out="$E2E_BIN/k8s-$K8S_VERSION"
components=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
missing=0
for c in "${components[@]}"; do [ -x "$out/$c" ] || missing=1; done
if [ "$missing" = 0 ]; then log "kubernetes $K8S_VERSION: cached in $out"; exit 0; fi

work="$E2E_CACHE/src/k8s-$K8S_VERSION"
mkdir -p "$work" "$out"
cd "$work"
modfile="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$K8S_VERSION.mod"
[ -f "$modfile" ] || go mod download k8s.io/kubernetes@"$K8S_VERSION" || die "kubernetes: go mod download k8s.io/kubernetes@$K8S_VERSION"
{
  echo "module e2e.local/k8s"
  echo
  echo "go $(awk '/^go /{print $2; exit}' "$modfile")"
  echo
  echo "require k8s.io/kubernetes $K8S_VERSION"
  echo
  # Every staging module k8s.io/kubernetes points at ./staging/src/... is published as its own module.
  grep -E '=> \./staging/src/' "$modfile" | awk -v v="$K8S_STAGING_VERSION" '{print "replace " $1 " => " $1 " " v}'
} > go.mod
cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
log "kubernetes $K8S_VERSION: resolving modules"
GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>tidy.log || { cat tidy.log >&2; die "kubernetes: go mod tidy"; }
minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
ldflags="-s -w"
for kv in "gitVersion=$K8S_VERSION" "gitMajor=1" "gitMinor=$minor" "gitTreeState=clean" "buildDate=1970-01-01T00:00:00Z"; do
  ldflags="$ldflags -X k8s.io/component-base/version.$kv -X k8s.io/client-go/pkg/version.$kv"
done
pkgs=()
for c in "${components[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
log "kubernetes $K8S_VERSION: compiling ${components[*]} (the first build takes a while on 2 cores)"
# One Go build at a time on this 2-core machine (go-tools.sh takes the same lock).
CGO_ENABLED=0 flock "$E2E_CACHE/go-build.lock" go build -tags tools -trimpath -ldflags "$ldflags" -o "$out/" "${pkgs[@]}" || die "kubernetes: go build"
log "kubernetes $K8S_VERSION: built into $out"
