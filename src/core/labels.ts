/** The recommended Kubernetes label keys, set on every object this library synthesizes. */
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_VERSION = 'app.kubernetes.io/version';
export const MANAGED_BY = 'cdk8s-middleware';

/** Identity of one middleware instance; components derive their labels from it. */
export interface InstanceIdentity {
  /** The middleware: `redis`, `mysql`, `kafka`, `elasticsearch`, `redis-shake`, ... */
  readonly name: string;
  /** The instance name (also the prefix of every object name). */
  readonly instance: string;
  /** Engine version, recorded in `app.kubernetes.io/version`. */
  readonly version: string;
  /** The higher-level application this instance belongs to. */
  readonly partOf: string;
}

/** The full label set of one component. Label values are limited to 63 characters. */
export function componentLabels(id: InstanceIdentity, component: string): Record<string, string> {
  return {
    [LABEL_NAME]: id.name,
    [LABEL_INSTANCE]: id.instance,
    [LABEL_COMPONENT]: component,
    [LABEL_PART_OF]: id.partOf,
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_VERSION]: id.version.slice(0, 63),
  };
}

/**
 * The stable subset used in selectors. Selectors are immutable on StatefulSets, so they never
 * carry the version.
 */
export function selectorLabels(id: InstanceIdentity, component?: string): Record<string, string> {
  const labels: Record<string, string> = { [LABEL_NAME]: id.name, [LABEL_INSTANCE]: id.instance };
  if (component) labels[LABEL_COMPONENT] = component;
  return labels;
}

/**
 * `labels` without the keys whose values change on an upgrade (`version`) or a rename of the application
 * (`part-of`), for fields the API server never lets change, such as StatefulSet volumeClaimTemplates: with them
 * there, changing `version` would make the StatefulSet update fail.
 */
export function stableLabels(labels: Record<string, string>): Record<string, string> {
  const { [LABEL_VERSION]: _version, [LABEL_PART_OF]: _partOf, ...stable } = labels;
  return stable;
}
