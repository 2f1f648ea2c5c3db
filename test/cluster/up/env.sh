#!/usr/bin/env bash
# Layout of the test cluster: addresses, folders, node names. Sourced by cluster.sh and by the scenario runner
# (through `cluster.sh env`).
# shellcheck disable=SC2034  # the variables are for the scripts that source this file
# shellcheck source=../build/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../build/lib.sh"

E2E_RUN="${E2E_RUN:-/run/cdk8s-e2e}"          # pids, sockets, logs, kubeconfigs: gone after `down`
E2E_DATA="${E2E_DATA:-/var/lib/cdk8s-e2e}"    # etcd, kubelet and containerd roots, volumes: wiped by `up`
E2E_REPO="$(cd "$E2E_ROOT/../.." && pwd)"
E2E_CRDS="${E2E_CRDS:-$E2E_REPO/crds}"    # the CRDs the constructs use (a committed copy of ../shared/crds)
K8S_BIN="$E2E_BIN/k8s-$K8S_VERSION"
ETCD_BIN="$E2E_BIN/etcd-$ETCD_VERSION"

# Every node is a network namespace behind one bridge on the host; the control plane runs on the host.
E2E_BRIDGE=e2ebr0
E2E_HOST_IP=10.250.0.1
E2E_NODE_NET=10.250.0.0/24
E2E_POD_NET=10.251.0.0/16
E2E_SERVICE_NET=10.252.0.0/16
E2E_API_SERVICE_IP=10.252.0.1
E2E_DNS_IP=10.252.0.10
# Six nodes, two per zone: the constructs' default hard anti-affinity puts every data pod of an instance on its own
# node (a 3x1 Redis Cluster needs six).
E2E_NODES="${E2E_NODES:-6}"
E2E_ZONES=(zone-a zone-b zone-c)
node_name() { echo "e2e-node$1"; }
node_ip() { echo "10.250.0.$((10 + $1))"; }
node_pod_cidr() { echo "10.251.$1.0/24"; }
node_zone() { echo "${E2E_ZONES[$((($1 - 1) % ${#E2E_ZONES[@]}))]}"; }
