/**
 * The test harness every construct's tests use: Kubernetes and CRD schema validation of every synthesized
 * object, promtool checks of alerts and dashboard queries, exporter metric lists, and shellcheck.
 */
import { crdErrors, hasCrd } from './crd-schema';
import { isBuiltInKind, modelErrors, unknownFields } from './kube-schema';

export {
  checkQueriesWithPromtool, checkRulesWithPromtool, expectKnownMetrics, loadMetricList, metricNamesInExpr, substituteGrafanaVariables,
  testRulesWithPromtool,
} from './promql';
export { shellcheckScript } from './shellcheck';
export { FoundScript, scriptsOf } from './scripts';
export { expectProductionPolicy, parseQuantity, policyViolations } from './policy';
export {
  filePermissionViolations, imageUserViolations, IMAGE_USERS, placeholderViolations, placeholdersIn, podFileViolations, PRIVATE_KEY_USERS,
  privateKeyViolations, SUBSTITUTED_CONFIG_FILES,
} from './pod-files';
export { crdErrors, hasCrd } from './crd-schema';
export { modelErrors, unknownFields } from './kube-schema';
export { expectUpgradeApplies, upgradeProblems } from './upgrade';
export { rolloutViolations, SINGLE_VERSION_IMAGES } from './rollouts';
export { IMAGE_DEFAULT_WRITES, volumeSizeViolations, xlogFiles } from './volume-sizes';

/** Errors of one synthesized object against its Kubernetes or CRD schema (empty when valid). */
export function manifestErrors(obj: any): string[] {
  if (!obj || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return ['missing apiVersion or kind'];
  if (typeof obj.metadata?.name !== 'string' || obj.metadata.name === '') return ['missing metadata.name'];
  if (isBuiltInKind(obj.apiVersion, obj.kind)) {
    return [...modelErrors(obj), ...unknownFields(obj, obj.kind)];
  }
  if (hasCrd(obj.apiVersion, obj.kind)) {
    return [...crdErrors(obj), ...unknownFields({ metadata: obj.metadata }, 'ConfigMap')];
  }
  return [`no schema for ${obj.apiVersion} ${obj.kind}`];
}

/** Fails with every problem found when an object is invalid or two objects share kind, namespace and name. */
export function expectValidManifests(objs: any[]): void {
  if (objs.length === 0) throw new Error('no objects to validate');
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const o of objs) {
    const id = `${o?.kind}/${o?.metadata?.namespace ?? ''}/${o?.metadata?.name}`;
    if (seen.has(id)) problems.push(`${id}: duplicate object`);
    seen.add(id);
    for (const e of manifestErrors(o)) problems.push(`${o?.kind}/${o?.metadata?.name}: ${e}`);
  }
  if (problems.length > 0) throw new Error(`invalid manifests:\n  ${problems.join('\n  ')}`);
}
