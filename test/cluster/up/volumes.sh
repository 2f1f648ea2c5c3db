#!/usr/bin/env bash
# Persistent volumes for the test cluster: a default StorageClass that binds on first use and local PVs on every node,
# pre-created (no provisioner). `create` makes them; `recycle` wipes and re-creates every Released or Failed one, so the
# next scenario starts with empty disks. Usage: volumes.sh create | recycle
# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
KUBECTL=("$K8S_BIN/kubectl" --kubeconfig "$E2E_RUN/admin.kubeconfig")
PER_NODE="${E2E_VOLUMES_PER_NODE:-24}"

pv() { # node index
  local n="$1" k="$2" name path
  name="$n-pv$k"; path="$E2E_DATA/volumes/$n/pv$k"
  rm -rf "$path"; mkdir -p "$path"
  cat <<YAML
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $name
  labels: {e2e/node: $n}
spec:
  # Local volumes have no real size; a large one binds any claim. The scenarios do not test quotas.
  capacity: {storage: 100Ti}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: local
  volumeMode: Filesystem
  local: {path: $path}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: kubernetes.io/hostname, operator: In, values: [$n]}
YAML
}

create() {
  {
    cat <<YAML
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Retain
YAML
    local i k
    for i in $(seq 1 "$E2E_NODES"); do
      for k in $(seq -w 1 "$PER_NODE"); do pv "$(node_name "$i")" "$k"; done
    done
  } | "${KUBECTL[@]}" apply --server-side -f - >/dev/null
}

recycle() {
  local line name phase node k
  while read -r line; do
    name="${line%% *}"; phase="${line##* }"
    case "$phase" in Released|Failed) ;; *) continue ;; esac
    node="${name%-pv*}"; k="${name##*-pv}"
    "${KUBECTL[@]}" delete pv "$name" --wait=true >/dev/null
    pv "$node" "$k" | "${KUBECTL[@]}" apply --server-side -f - >/dev/null
  done < <("${KUBECTL[@]}" get pv -o jsonpath='{range .items[*]}{.metadata.name} {.status.phase}{"\n"}{end}')
}

case "${1:-}" in
  create) create ;;
  recycle) recycle ;;
  *) echo "usage: $0 create|recycle" >&2; exit 2 ;;
esac
