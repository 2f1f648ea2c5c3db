import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { checkRule } from '../core/validation';

/** A set of pods (or addresses) allowed to connect. */
export class NetworkPeer {
  /** Pods with these labels in the same namespace. */
  public static pods(podLabels: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer({ podSelector: { matchLabels: { ...podLabels } } });
  }
  /** Every pod in namespaces with these labels (e.g. `{ 'kubernetes.io/metadata.name': 'shop' }`). */
  public static namespaces(namespaceLabels: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer({ namespaceSelector: { matchLabels: { ...namespaceLabels } } });
  }
  /** Pods with `podLabels` in namespaces with `namespaceLabels`. */
  public static podsInNamespaces(podLabels: { [key: string]: string }, namespaceLabels: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer({ podSelector: { matchLabels: { ...podLabels } }, namespaceSelector: { matchLabels: { ...namespaceLabels } } });
  }
  /** An IP range (CIDR), e.g. for clients outside the cluster. */
  public static ipBlock(cidr: string): NetworkPeer {
    return new NetworkPeer({ ipBlock: { cidr } });
  }
  private constructor(
    /** @internal */
    public readonly _peer: k8s.NetworkPolicyPeer,
  ) {}
}

/** Which traffic may reach a middleware cluster. */
export interface NetworkPolicyProps {
  /**
   * Create the NetworkPolicy. Without it every pod in the cluster can connect.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Clients allowed to reach the service ports. Peers of the cluster itself (its pods and Jobs) are always allowed.
   * @default none: only the cluster's own pods and the monitoring scraper
   */
  readonly allowedClients?: NetworkPeer[];
  /**
   * Where Prometheus runs: namespaces (and optionally pods) allowed to reach the metrics port.
   * @default NetworkPeer.namespaces({ 'kubernetes.io/metadata.name': 'monitoring' })
   */
  readonly monitoringPeers?: NetworkPeer[];
}

export interface NetworkPolicyOptions {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** Selects every pod of the cluster (and its Jobs): peers talk to each other on any port. */
  readonly memberSelector: Record<string, string>;
  readonly servicePorts: number[];
  readonly metricsPorts: number[];
}

/** One ingress NetworkPolicy per cluster: its own members, its clients, its scraper, and nothing else. */
export function createNetworkPolicy(
  scope: Construct, id: string, props: NetworkPolicyProps | undefined, o: NetworkPolicyOptions,
): ApiObject | undefined {
  if (props?.enabled === false) return undefined;
  validatePorts(scope, o);
  const clients = (props?.allowedClients ?? []).map((p) => p._peer);
  const monitoring = (props?.monitoringPeers ?? [NetworkPeer.namespaces({ 'kubernetes.io/metadata.name': 'monitoring' })]).map((p) => p._peer);
  const ingress: k8s.NetworkPolicyIngressRule[] = [
    { from: [{ podSelector: { matchLabels: { ...o.memberSelector } } }] },
  ];
  if (clients.length > 0) {
    ingress.push({ from: clients, ports: o.servicePorts.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })) });
  }
  if (monitoring.length > 0 && o.metricsPorts.length > 0) {
    ingress.push({ from: monitoring, ports: o.metricsPorts.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })) });
  }
  return new k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name: o.name, labels: o.labels },
    spec: {
      podSelector: { matchLabels: { ...o.memberSelector } },
      policyTypes: ['Ingress'],
      ingress,
    },
  });
}

function validatePorts(scope: IConstruct, o: NetworkPolicyOptions): void {
  for (const port of [...o.servicePorts, ...o.metricsPorts]) {
    checkRule(scope, Number.isInteger(port) && port > 0 && port < 65536, 'port', port, 'must be an integer from 1 to 65535');
  }
}
