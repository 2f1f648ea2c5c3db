#!/usr/bin/env bash
# Starts and stops the test Kubernetes: etcd, kube-apiserver, kube-controller-manager and kube-scheduler on the host,
# and $E2E_NODES nodes, each a network namespace with its own containerd, kubelet, kube-proxy and NetworkPolicy
# enforcer. Usage: cluster.sh up | down | env
# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

UP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PKI="$E2E_RUN/pki"
LOGS="$E2E_RUN/logs"
PIDS="$E2E_RUN/pids"
ADMIN_KUBECONFIG="$E2E_RUN/admin.kubeconfig"

# Starts a process in its own session (so `down` can end it with everything it forked), logging to $LOGS/<name>.log.
start() {
  local name="$1"; shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name.pid"
}

# Fails with the component's name and the end of its log.
component_failed() {
  local name="$1" why="$2"
  log "component $name failed: $why"
  [ -f "$LOGS/$name.log" ] && { log "last lines of $LOGS/$name.log:"; tail -n 25 "$LOGS/$name.log" >&2; }
  die "$name: $why"
}

alive() { local pid; pid="$(cat "$PIDS/$1.pid" 2>/dev/null)" && kill -0 "$pid" 2>/dev/null; }

# Waits until a command succeeds while the named process is alive.
wait_for() {
  local name="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    alive "$name" || component_failed "$name" "exited during start"
    [ "$SECONDS" -lt "$deadline" ] || component_failed "$name" "not ready after ${seconds}s ($*)"
    sleep 1
  done
}

kubectl_admin() { "$K8S_BIN/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# Certificates (openssl): one CA signs every serving and client certificate.

cert() { # name subject [sans]
  local name="$1" subj="$2" sans="${3:-}"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/$name.key" 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  local ext="$PKI/$name.ext"
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [ -n "$sans" ] && echo "subjectAltName=$sans"
  } > "$ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 30 -sha256 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null || die "pki: signing $name"
}

kubeconfig() { # file user cert-name [server]
  local file="$1" user="$2" name="$3" server="${4:-https://$E2E_HOST_IP:6443}"
  cat > "$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    certificate-authority: $PKI/ca.crt
    server: $server
users:
- name: $user
  user:
    client-certificate: $PKI/$name.crt
    client-key: $PKI/$name.key
contexts:
- name: e2e
  context: {cluster: e2e, user: $user}
current-context: e2e
EOF
}

make_pki() {
  mkdir -p "$PKI"
  # P-256 keys: RSA generation of the ~15 keys took most of a minute on a busy 2-core machine.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -days 30 \
    -subj "/CN=cdk8s-middleware-e2e-ca" 2>/dev/null || die "pki: CA"
  cert apiserver "/CN=kube-apiserver" \
    "IP:$E2E_HOST_IP,IP:$E2E_API_SERVICE_IP,IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost"
  cert admin "/O=system:masters/CN=e2e-admin"
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  cert controller-manager "/CN=system:kube-controller-manager"
  cert scheduler "/CN=system:kube-scheduler"
  cert kube-proxy "/CN=system:kube-proxy"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/sa.key" 2>/dev/null
  openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  kubeconfig "$ADMIN_KUBECONFIG" e2e-admin admin
  kubeconfig "$E2E_RUN/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
  kubeconfig "$E2E_RUN/scheduler.kubeconfig" system:kube-scheduler scheduler
  kubeconfig "$E2E_RUN/kube-proxy.kubeconfig" system:kube-proxy kube-proxy
  local i
  for i in $(seq 1 "$E2E_NODES"); do
    local n; n="$(node_name "$i")"
    cert "kubelet-$n" "/O=system:nodes/CN=system:node:$n"
    cert "kubelet-serving-$n" "/CN=$n" "IP:$(node_ip "$i"),DNS:$n"
    kubeconfig "$E2E_RUN/kubelet-$n.kubeconfig" "system:node:$n" "kubelet-$n"
  done
}

# ---------------------------------------------------------------------------------------------------------------
# Network: a bridge on the host, a namespace per node, routes to every node's pod subnet.

make_network() {
  sysctl -qw net.ipv4.ip_forward=1
  ip link add "$E2E_BRIDGE" type bridge 2>/dev/null || true
  ip addr replace "$E2E_HOST_IP/24" dev "$E2E_BRIDGE"
  ip link set "$E2E_BRIDGE" up
  # Accept what crosses the test network even if the host's FORWARD policy drops.
  iptables -C FORWARD -s "$E2E_NODE_NET" -j ACCEPT 2>/dev/null || iptables -I FORWARD -s "$E2E_NODE_NET" -j ACCEPT
  iptables -C FORWARD -s "$E2E_POD_NET" -j ACCEPT 2>/dev/null || iptables -I FORWARD -s "$E2E_POD_NET" -j ACCEPT
  iptables -C FORWARD -d "$E2E_POD_NET" -j ACCEPT 2>/dev/null || iptables -I FORWARD -d "$E2E_POD_NET" -j ACCEPT
  local i
  for i in $(seq 1 "$E2E_NODES"); do
    local n ns veth; n="$(node_name "$i")"; ns="$n"; veth="e2eveth$i"
    ip netns add "$ns"
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    ip link set "$veth" master "$E2E_BRIDGE" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$(node_ip "$i")/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add default via "$E2E_HOST_IP"
    ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
    # kube-proxy needs bridged pod traffic to pass iptables (Service hairpin on the same node).
    ip netns exec "$ns" sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
    ip route replace "$(node_pod_cidr "$i")" via "$(node_ip "$i")"
  done
}

# ---------------------------------------------------------------------------------------------------------------
# Control plane on the host.

start_control_plane() {
  start etcd "$ETCD_BIN/etcd" --name e2e --data-dir "$E2E_DATA/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster e2e=http://127.0.0.1:2380 --quota-backend-bytes 4294967296 --unsafe-no-fsync
  wait_for etcd 60 curl -fsS http://127.0.0.1:2379/health

  start kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers=http://127.0.0.1:2379 \
    --advertise-address="$E2E_HOST_IP" --bind-address=0.0.0.0 --secure-port=6443 \
    --service-cluster-ip-range="$E2E_SERVICE_NET" --service-node-port-range=30000-32767 \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
    --kubelet-preferred-address-types=InternalIP \
    --allow-privileged=true --profiling=false --v=1
  wait_for kube-apiserver 120 kubectl_admin get --raw /readyz

  start kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig="$E2E_RUN/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$E2E_RUN/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$E2E_RUN/controller-manager.kubeconfig" \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --use-service-account-credentials=true --service-cluster-ip-range="$E2E_SERVICE_NET" \
    --allocate-node-cidrs=false --leader-elect=false --bind-address=127.0.0.1 --secure-port=10257 --v=1
  start kube-scheduler "$K8S_BIN/kube-scheduler" \
    --kubeconfig="$E2E_RUN/scheduler.kubeconfig" \
    --authentication-kubeconfig="$E2E_RUN/scheduler.kubeconfig" \
    --authorization-kubeconfig="$E2E_RUN/scheduler.kubeconfig" \
    --leader-elect=false --bind-address=127.0.0.1 --secure-port=10259 --v=1
  wait_for kube-controller-manager 60 curl -fsSk https://127.0.0.1:10257/healthz
  wait_for kube-scheduler 60 curl -fsSk https://127.0.0.1:10259/healthz
}

# ---------------------------------------------------------------------------------------------------------------
# Nodes: containerd, kubelet, kube-proxy and the NetworkPolicy enforcer inside each node's network namespace.
# They share the host's mount namespace (nsenter --net only), so the kubelet's volume mounts are what containerd sees.

# Every node starts from one containerd root into which every image was imported once: importing each image into
# three containerds took a minute per node. The seed is cached, keyed by the image archives (content-addressed).
seed_images() {
  local current="$E2E_CACHE/images/current" key f
  [ -f "$current/images.txt" ] || die "images: none built (test/cluster/images/build-images.sh)"
  key="$(for f in "$current"/*.tar; do readlink -f "$f"; done | cat - "$current/images.txt" | sha256sum | cut -c1-16)"
  SEED="$E2E_CACHE/containerd-seed/$key"
  [ -f "$SEED/complete" ] && return 0
  log "cluster: importing images into a new containerd seed ($key)"
  rm -rf "$SEED"; mkdir -p "$SEED/root" "$E2E_RUN/seed"
  cat > "$E2E_RUN/seed/config.toml" <<EOF
version = 2
root = "$SEED/root"
state = "$E2E_RUN/seed/state"
[grpc]
  address = "$E2E_RUN/seed/containerd.sock"
[ttrpc]
  address = "$E2E_RUN/seed/containerd.ttrpc.sock"
EOF
  start containerd-seed containerd --config "$E2E_RUN/seed/config.toml"
  wait_for containerd-seed 60 ctr --address "$E2E_RUN/seed/containerd.sock" version
  bash "$E2E_ROOT/images/import-images.sh" "$E2E_RUN/seed/containerd.sock" >"$LOGS/images-seed.log" 2>&1 \
    || component_failed images-seed "image import"
  kill -TERM "$(cat "$PIDS/containerd-seed.pid")"; rm -f "$PIDS/containerd-seed.pid"
  sleep 2
  touch "$SEED/complete"
  # Older seeds are of no further use.
  find "$E2E_CACHE/containerd-seed" -mindepth 1 -maxdepth 1 ! -name "$key" -exec rm -rf {} +
}


node_containerd_config() { # i
  local i="$1" n; n="$(node_name "$i")"
  local root="$E2E_DATA/$n"
  mkdir -p "$root/containerd" "$E2E_RUN/$n/containerd" "$root/cni"
  cat > "$root/cni/10-bridge.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "e2e",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$(node_pod_cidr "$i")"}]],
              "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "$root/cni-ipam"}},
    {"type": "portmap", "capabilities": {"portMappings": true}},
    {"type": "loopback"}
  ]
}
EOF
  cat > "$root/containerd.toml" <<EOF
version = 2
root = "$root/containerd"
state = "$E2E_RUN/$n/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$E2E_RUN/$n/containerd.sock"
[ttrpc]
  address = "$E2E_RUN/$n/containerd.ttrpc.sock"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.10"
  stream_server_address = "127.0.0.1"
  enable_unprivileged_ports = true
  # This sandbox lacks CAP_SYS_RESOURCE, so runc cannot set the negative oom_score_adj the kubelet asks for
  # (pause -998, Guaranteed pods -997) and every pod failed with "failed to update /proc/self/oom_score_adj:
  # Permission denied". Containerd then clamps scores to its own (0), as it does when run rootless.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$E2E_RUN/$n/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$root/cni"
[plugins."io.containerd.internal.v1.opt"]
  path = "$root/opt"
EOF
}

node_kubelet_config() { # i
  local i="$1" n; n="$(node_name "$i")"
  local root="$E2E_DATA/$n"
  cat > "$root/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $(node_ip "$i")
port: 10250
healthzBindAddress: 127.0.0.1
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI/kubelet-serving-$n.crt
tlsPrivateKeyFile: $PKI/kubelet-serving-$n.key
cgroupDriver: cgroupfs
# Each node's pods live under their own cgroup, so three kubelets on one kernel do not manage each other's pods.
cgroupRoot: /$n
cgroupsPerQOS: true
containerRuntimeEndpoint: unix://$E2E_RUN/$n/containerd.sock
clusterDNS: [$E2E_DNS_IP]
clusterDomain: cluster.local
resolvConf: $E2E_RUN/resolv.conf
failSwapOn: false
failCgroupV1: false
serializeImagePulls: false
# The three nodes share one disk: evict only when it is really full.
evictionHard: {memory.available: "200Mi", nodefs.available: "2%", imagefs.available: "2%"}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
maxPods: 110
podPidsLimit: 4096
shutdownGracePeriod: 0s
rotateCertificates: false
oomScoreAdj: 0
# Not the shared /var/log/pods: each kubelet removes the pod log folders it does not know, other nodes' included.
podLogsDir: $root/pod-logs
serverTLSBootstrap: false
EOF
}

# The Node object is created before its kubelet registers, with the pod subnet its CNI configuration uses: the
# subnet is fixed per node, not handed out by the controller manager in registration order.
register_node() { # i
  local i="$1" n; n="$(node_name "$i")"
  kubectl_admin apply --server-side -f - >/dev/null <<EOF || die "node $n: register"
apiVersion: v1
kind: Node
metadata:
  name: $n
  labels: {kubernetes.io/hostname: $n, kubernetes.io/os: linux, topology.kubernetes.io/zone: $(node_zone "$i"), topology.kubernetes.io/region: e2e}
spec:
  podCIDR: $(node_pod_cidr "$i")
  podCIDRs: [$(node_pod_cidr "$i")]
EOF
}

start_node() { # i
  local i="$1" n; n="$(node_name "$i")"
  local root="$E2E_DATA/$n"
  register_node "$i"
  node_containerd_config "$i"
  node_kubelet_config "$i"
  # The kubelet refuses a cgroup root that does not exist in every hierarchy it uses.
  local c
  for c in /sys/fs/cgroup/*/; do
    case "$c" in */unified/) continue ;; esac
    mkdir -p "$c$n"
  done
  cp -a "$SEED/root/." "$root/containerd/"
  start "containerd-$n" nsenter --net="/run/netns/$n" containerd --config "$root/containerd.toml"
  wait_for "containerd-$n" 60 ctr --address "$E2E_RUN/$n/containerd.sock" version
  start "kubelet-$n" nsenter --net="/run/netns/$n" "$K8S_BIN/kubelet" \
    --config="$root/kubelet.yaml" --kubeconfig="$E2E_RUN/kubelet-$n.kubeconfig" \
    --root-dir="$root/kubelet" --hostname-override="$n" --node-ip="$(node_ip "$i")" \
    --node-labels="topology.kubernetes.io/zone=$(node_zone "$i"),topology.kubernetes.io/region=e2e" --v=1
  cat > "$root/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $E2E_RUN/kube-proxy.kubeconfig}
mode: iptables
clusterCIDR: $E2E_POD_NET
hostnameOverride: $n
bindAddress: $(node_ip "$i")
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# The namespaces share the host's conntrack table settings: leave the sysctls alone.
conntrack: {maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
oomScoreAdj: 0
EOF
  start "kube-proxy-$n" nsenter --net="/run/netns/$n" "$K8S_BIN/kube-proxy" --config="$root/kube-proxy.yaml" --v=1
}

# NetworkPolicies are enforced by kube-router's firewall controller (iptables and ipsets) on each node; see
# test/cluster/README.md for why not kube-network-policies on this kernel. It starts once its node is Ready: it
# reads the node's addresses from the Node object and exits when there are none yet.
start_policy_enforcer() { # i
  local i="$1" n; n="$(node_name "$i")"
  [ -x "$E2E_BIN/kube-router-$KUBE_ROUTER_VERSION/kube-router" ] || component_failed "kube-router-$n" "binary not built"
  start "kube-router-$n" nsenter --net="/run/netns/$n" "$E2E_BIN/kube-router-$KUBE_ROUTER_VERSION/kube-router" \
    --kubeconfig="$ADMIN_KUBECONFIG" --hostname-override="$n" \
    --run-firewall=true --run-router=false --run-service-proxy=false --enable-cni=false \
    --service-cluster-ip-range="$E2E_SERVICE_NET" --metrics-port=0 --health-port=20244 --v=1
  wait_for "kube-router-$n" 60 in_node "$n" curl -fsS http://127.0.0.1:20244/healthz
}

in_node() { local ns="$1"; shift; nsenter --net="/run/netns/$ns" "$@"; }

wait_nodes_ready() {
  local deadline=$((SECONDS + 180)) i n
  for i in $(seq 1 "$E2E_NODES"); do
    n="$(node_name "$i")"
    until [ "$(kubectl_admin get node "$n" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; do
      alive "kubelet-$n" || component_failed "kubelet-$n" "exited during start"
      alive "containerd-$n" || component_failed "containerd-$n" "exited during start"
      [ "$SECONDS" -lt "$deadline" ] || component_failed "kubelet-$n" "node $n not Ready after 180s"
      sleep 2
    done
  done
}

# ---------------------------------------------------------------------------------------------------------------
# Add-ons: CoreDNS, local persistent volumes, the CRDs the constructs use.

install_addons() {
  sed -e "s|@COREDNS_VERSION@|$COREDNS_VERSION|g" -e "s|@DNS_IP@|$E2E_DNS_IP|g" "$UP_DIR/coredns.yaml" \
    | kubectl_admin apply --server-side -f - >/dev/null || die "coredns: apply"
  bash "$UP_DIR/volumes.sh" create >/dev/null || die "volumes: create"
  kubectl_admin apply --server-side -f "$E2E_CRDS/" >/dev/null || die "crds: apply ($E2E_CRDS)"
  kubectl_admin -n kube-system rollout status deploy/coredns --timeout=180s >/dev/null \
    || { kubectl_admin -n kube-system get pods -o wide >&2; die "coredns: not ready"; }
}

# ---------------------------------------------------------------------------------------------------------------

down() {
  local f pid
  for f in "$PIDS"/kubelet-*.pid "$PIDS"/kube-proxy-*.pid "$PIDS"/kube-router-*.pid "$PIDS"/*.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  sleep 2
  # Containers outlive their containerd (shims): end every shim and process of each node.
  for f in "$PIDS"/*.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$f"
  done
  pkill -KILL -f "containerd-shim-runc-v2 -namespace k8s.io -id .* -address $E2E_RUN/" 2>/dev/null || true
  local i n c
  for i in $(seq 1 "$E2E_NODES"); do
    n="$(node_name "$i")"
    # Pods' processes are in the node's cgroups: kill whatever is left there.
    for c in /sys/fs/cgroup/pids/"$n" /sys/fs/cgroup/freezer/"$n"; do
      [ -d "$c" ] || continue
      { find "$c" -name cgroup.procs -exec cat {} + 2>/dev/null || true; } | while read -r p; do kill -KILL "$p" 2>/dev/null || true; done
    done
  done
  sleep 1
  # Mounts made by the kubelet and containerd (secrets, volumes, rootfs), deepest first.
  { grep -E " ($E2E_DATA|$E2E_RUN)/" /proc/self/mounts || true; } | awk '{print $2}' | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  # Pod network namespaces created by the CRI under /run/netns/cni-*, only those of this cluster's containerds.
  for i in $(seq 1 "$E2E_NODES"); do
    n="$(node_name "$i")"
    ip netns del "$n" 2>/dev/null || true
    ip route del "$(node_pod_cidr "$i")" 2>/dev/null || true
    for c in /sys/fs/cgroup/*/"$n"; do
      if [ -d "$c" ]; then find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null || true; fi
    done
  done
  ip link del "$E2E_BRIDGE" 2>/dev/null || true
  local rule
  for rule in "-s $E2E_NODE_NET" "-s $E2E_POD_NET" "-d $E2E_POD_NET"; do
    # shellcheck disable=SC2086
    while iptables -D FORWARD $rule -j ACCEPT 2>/dev/null; do :; done
  done
  rm -rf "$E2E_RUN"
}

up() {
  [ -x "$K8S_BIN/kube-apiserver" ] || die "kubernetes binaries missing in $K8S_BIN: run test/cluster/build/k8s.sh"
  [ -x "$ETCD_BIN/etcd" ] || die "etcd missing in $ETCD_BIN: run test/cluster/build/go-tools.sh etcd"
  down
  rm -rf "$E2E_DATA"
  mkdir -p "$E2E_RUN" "$LOGS" "$PIDS" "$E2E_DATA"
  echo "nameserver 127.0.0.1" > "$E2E_RUN/resolv.conf"
  log "cluster: certificates"; make_pki
  log "cluster: network ($E2E_NODES node namespaces)"; make_network
  log "cluster: control plane"; start_control_plane
  seed_images
  local i
  for i in $(seq 1 "$E2E_NODES"); do
    log "cluster: node $(node_name "$i") (zone $(node_zone "$i"))"; start_node "$i"
  done
  wait_nodes_ready
  for i in $(seq 1 "$E2E_NODES"); do start_policy_enforcer "$i"; done
  log "cluster: add-ons (CoreDNS, volumes, CRDs)"; install_addons
  log "cluster: up; KUBECONFIG=$ADMIN_KUBECONFIG"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) echo "KUBECONFIG=$ADMIN_KUBECONFIG"; echo "KUBECTL=$K8S_BIN/kubectl"; echo "E2E_RUN=$E2E_RUN"; echo "E2E_DATA=$E2E_DATA" ;;
  *) echo "usage: $0 up|down|env" >&2; exit 2 ;;
esac
