import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { checkInteger, checkRule, fail } from '../core/validation';

/** A node label that defines a failure domain. */
export class TopologyKey {
  /** One node (`kubernetes.io/hostname`). */
  public static readonly HOSTNAME = new TopologyKey('kubernetes.io/hostname');
  /** One availability zone (`topology.kubernetes.io/zone`). */
  public static readonly ZONE = new TopologyKey('topology.kubernetes.io/zone');
  /** One region (`topology.kubernetes.io/region`). */
  public static readonly REGION = new TopologyKey('topology.kubernetes.io/region');
  /** Any node label, e.g. a rack or data-center label. */
  public static custom(key: string): TopologyKey {
    return new TopologyKey(key);
  }
  private constructor(public readonly key: string) {}
}

/** How strictly pods of one group avoid sharing a failure domain. */
export enum AntiAffinityMode {
  /** Pods must be in different domains; a pod stays Pending when no domain is free. */
  REQUIRED = 'required',
  /** The scheduler tries, but may co-locate pods when domains run out. */
  PREFERRED = 'preferred',
  /** No anti-affinity. */
  NONE = 'none',
}

/** Pod anti-affinity between the pods of one group (e.g. all members of a cluster). */
export interface AntiAffinityProps {
  /**
   * Required or preferred.
   * @default AntiAffinityMode.REQUIRED
   */
  readonly mode?: AntiAffinityMode;
  /**
   * The failure domain pods must not share.
   * @default TopologyKey.HOSTNAME
   */
  readonly topologyKey?: TopologyKey;
  /**
   * Weight of a preferred rule, 1-100 (only with PREFERRED).
   * @default 100
   */
  readonly weight?: number;
}

/** What the scheduler does when the spread cannot be kept. */
export enum SpreadMode {
  /** Keep the pod Pending. */
  DO_NOT_SCHEDULE = 'DoNotSchedule',
  /** Schedule anyway, preferring the least loaded domain. */
  SCHEDULE_ANYWAY = 'ScheduleAnyway',
}

/** Topology spread of the pods of one group across zones (or another domain). */
export interface ZoneSpreadProps {
  /**
   * Whether to add the spread constraint.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Domain to spread across.
   * @default TopologyKey.ZONE
   */
  readonly topologyKey?: TopologyKey;
  /**
   * Maximum difference in pod count between two domains.
   * @default 1
   */
  readonly maxSkew?: number;
  /**
   * What to do when the skew cannot be kept. SCHEDULE_ANYWAY keeps single-zone clusters working.
   * @default SpreadMode.SCHEDULE_ANYWAY
   */
  readonly whenUnsatisfiable?: SpreadMode;
}

/** Node selector operators. */
export enum NodeOperator {
  IN = 'In',
  NOT_IN = 'NotIn',
  EXISTS = 'Exists',
  DOES_NOT_EXIST = 'DoesNotExist',
  /** The label value, as an integer, is greater than the single value given. */
  GT = 'Gt',
  /** The label value, as an integer, is less than the single value given. */
  LT = 'Lt',
}

/** One node-affinity rule. */
export interface NodeAffinityRule {
  /** Node label key. */
  readonly key: string;
  /** Operator. */
  readonly operator: NodeOperator;
  /**
   * Values: one or more for IN/NOT_IN, exactly one integer for GT/LT, none for EXISTS/DOES_NOT_EXIST.
   * @default none
   */
  readonly values?: string[];
  /**
   * Weight 1-100: the rule is preferred. Without a weight the rule is required
   * (all required rules must hold on one node).
   * @default required
   */
  readonly weight?: number;
}

/** Taint effects. */
export enum TaintEffect {
  NO_SCHEDULE = 'NoSchedule',
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  NO_EXECUTE = 'NoExecute',
}

/** A toleration of a node taint. */
export interface TolerationProps {
  /**
   * Taint key; empty with `exists: true` tolerates every taint.
   * @default all keys
   */
  readonly key?: string;
  /**
   * Match any value (operator Exists) instead of `value` (operator Equal).
   * @default false
   */
  readonly exists?: boolean;
  /**
   * Taint value for operator Equal.
   * @default ''
   */
  readonly value?: string;
  /**
   * Effect to tolerate.
   * @default all effects
   */
  readonly effect?: TaintEffect;
  /**
   * For NO_EXECUTE: how long the pod stays bound after the taint appears.
   * @default forever
   */
  readonly tolerationSeconds?: number;
}

/** Where the pods of a component may run. */
export interface SchedulingProps {
  /**
   * Anti-affinity between pods that must not share a failure domain.
   * @default required, on the hostname
   */
  readonly antiAffinity?: AntiAffinityProps;
  /**
   * Spread across zones.
   * @default enabled, maxSkew 1, ScheduleAnyway, on topology.kubernetes.io/zone
   */
  readonly zoneSpread?: ZoneSpreadProps;
  /**
   * Node affinity rules.
   * @default none
   */
  readonly nodeAffinity?: NodeAffinityRule[];
  /**
   * Node selector labels.
   * @default none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Tolerations.
   * @default none
   */
  readonly tolerations?: TolerationProps[];
  /**
   * PriorityClass name. Data services usually deserve a high one so they are not preempted.
   * @default none
   */
  readonly priorityClassName?: string;
}

/** The pod-spec fields that scheduling sets. */
export interface RenderedScheduling {
  readonly affinity?: k8s.Affinity;
  readonly topologySpreadConstraints?: k8s.TopologySpreadConstraint[];
  readonly tolerations?: k8s.Toleration[];
  readonly nodeSelector?: { [key: string]: string };
  readonly priorityClassName?: string;
}

/**
 * Validates scheduling props and renders them for pods matched by `groupSelector` (the pods that must
 * not share a failure domain). `prop` prefixes error messages (e.g. `scheduling`).
 */
export function renderScheduling(
  scope: IConstruct,
  prop: string,
  props: SchedulingProps | undefined,
  groupSelector: Record<string, string>,
): RenderedScheduling {
  const anti = props?.antiAffinity ?? {};
  const mode = anti.mode ?? AntiAffinityMode.REQUIRED;
  const topologyKey = (anti.topologyKey ?? TopologyKey.HOSTNAME).key;
  checkRule(scope, anti.weight === undefined || mode === AntiAffinityMode.PREFERRED, `${prop}.antiAffinity.weight`, anti.weight,
    'is only allowed with mode PREFERRED (a required rule has no weight)');
  if (anti.weight !== undefined) checkInteger(scope, `${prop}.antiAffinity.weight`, anti.weight, 1, 100);
  checkRule(scope, topologyKey.length > 0, `${prop}.antiAffinity.topologyKey`, topologyKey, 'must be a non-empty node label key');

  const term: k8s.PodAffinityTerm = { topologyKey, labelSelector: { matchLabels: { ...groupSelector } } };
  let podAntiAffinity: k8s.PodAntiAffinity | undefined;
  if (mode === AntiAffinityMode.REQUIRED) {
    podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [term] };
  } else if (mode === AntiAffinityMode.PREFERRED) {
    podAntiAffinity = { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: anti.weight ?? 100, podAffinityTerm: term }] };
  }

  const required: k8s.NodeSelectorRequirement[] = [];
  const preferred: k8s.PreferredSchedulingTerm[] = [];
  (props?.nodeAffinity ?? []).forEach((rule, i) => {
    const p = `${prop}.nodeAffinity[${i}]`;
    checkRule(scope, !!rule.key, `${p}.key`, rule.key, 'must be a non-empty node label key');
    const values = rule.values ?? [];
    switch (rule.operator) {
      case NodeOperator.IN:
      case NodeOperator.NOT_IN:
        checkRule(scope, values.length > 0, `${p}.values`, values, `must list at least one value for operator ${rule.operator}`);
        break;
      case NodeOperator.EXISTS:
      case NodeOperator.DOES_NOT_EXIST:
        checkRule(scope, values.length === 0, `${p}.values`, values, `must be empty for operator ${rule.operator}`);
        break;
      case NodeOperator.GT:
      case NodeOperator.LT:
        checkRule(scope, values.length === 1 && /^-?\d+$/.test(values[0]), `${p}.values`, values,
          `must be exactly one integer for operator ${rule.operator}`);
        break;
      default:
        fail(scope, `${p}.operator`, rule.operator, 'must be a NodeOperator');
    }
    const req: k8s.NodeSelectorRequirement = { key: rule.key, operator: rule.operator, values: values.length ? values : undefined };
    if (rule.weight === undefined) {
      required.push(req);
    } else {
      checkInteger(scope, `${p}.weight`, rule.weight, 1, 100);
      preferred.push({ weight: rule.weight, preference: { matchExpressions: [req] } });
    }
  });
  const nodeAffinity: k8s.NodeAffinity | undefined = required.length || preferred.length ? {
    requiredDuringSchedulingIgnoredDuringExecution: required.length ? { nodeSelectorTerms: [{ matchExpressions: required }] } : undefined,
    preferredDuringSchedulingIgnoredDuringExecution: preferred.length ? preferred : undefined,
  } : undefined;

  const spread = props?.zoneSpread ?? {};
  let topologySpreadConstraints: k8s.TopologySpreadConstraint[] | undefined;
  if (spread.enabled ?? true) {
    const maxSkew = checkInteger(scope, `${prop}.zoneSpread.maxSkew`, spread.maxSkew ?? 1, 1);
    topologySpreadConstraints = [{
      maxSkew,
      topologyKey: (spread.topologyKey ?? TopologyKey.ZONE).key,
      whenUnsatisfiable: spread.whenUnsatisfiable ?? SpreadMode.SCHEDULE_ANYWAY,
      labelSelector: { matchLabels: { ...groupSelector } },
    }];
  }

  const tolerations = (props?.tolerations ?? []).map((t, i): k8s.Toleration => {
    const p = `${prop}.tolerations[${i}]`;
    checkRule(scope, !(t.exists && t.value), `${p}.value`, t.value, 'must be empty when exists is true');
    checkRule(scope, t.key !== undefined || t.exists === true, `${p}.key`, t.key, 'is required unless exists is true (which tolerates every taint)');
    checkRule(scope, t.tolerationSeconds === undefined || t.effect === TaintEffect.NO_EXECUTE, `${p}.tolerationSeconds`,
      t.tolerationSeconds, 'is only allowed with effect NO_EXECUTE');
    if (t.tolerationSeconds !== undefined) checkInteger(scope, `${p}.tolerationSeconds`, t.tolerationSeconds, 0);
    return {
      key: t.key,
      operator: t.exists ? 'Exists' : 'Equal',
      value: t.exists ? undefined : t.value ?? '',
      effect: t.effect,
      tolerationSeconds: t.tolerationSeconds,
    };
  });

  return {
    affinity: podAntiAffinity || nodeAffinity ? { podAntiAffinity, nodeAffinity } : undefined,
    topologySpreadConstraints,
    tolerations: tolerations.length ? tolerations : undefined,
    nodeSelector: props?.nodeSelector && Object.keys(props.nodeSelector).length ? { ...props.nodeSelector } : undefined,
    priorityClassName: props?.priorityClassName,
  };
}

/**
 * How many nodes (or domains) a group of `pods` needs so that required anti-affinity can place all of them.
 * Used in docs and warnings.
 */
export function domainsNeeded(props: SchedulingProps | undefined, pods: number): number {
  return (props?.antiAffinity?.mode ?? AntiAffinityMode.REQUIRED) === AntiAffinityMode.REQUIRED ? pods : 1;
}
