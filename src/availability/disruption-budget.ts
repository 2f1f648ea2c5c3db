import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** Props of a PodDisruptionBudget for one replicated component. */
export interface DisruptionBudgetOptions {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  /** Pods that may be voluntarily evicted at once. */
  readonly maxUnavailable: number;
}

/**
 * A policy/v1 PodDisruptionBudget. `maxUnavailable` (not minAvailable) keeps node drains moving
 * when a pod is already unhealthy, which matters for StatefulSets with one pod per node.
 */
export function createDisruptionBudget(scope: Construct, id: string, o: DisruptionBudgetOptions): ApiObject {
  return new k8s.KubePodDisruptionBudget(scope, id, {
    metadata: { name: o.name, labels: o.labels },
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(o.maxUnavailable),
      selector: { matchLabels: { ...o.selector } },
    },
  });
}
