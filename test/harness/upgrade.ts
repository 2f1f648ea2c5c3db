/**
 * Upgrade check: the manifests of a second synth (another version, `partOf` or configuration) must apply over
 * the first. The API server refuses a change to an immutable field, so every field below must be equal in two
 * same-named objects. Objects that exist in only one synth are fine: apply creates the new one.
 */
import { isDeepStrictEqual } from 'util';

/** Fields the API server refuses to change, per kind (paths below the object root). */
const IMMUTABLE: Record<string, string[][]> = {
  // "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy',
  // 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
  StatefulSet: [['spec', 'selector'], ['spec', 'serviceName'], ['spec', 'volumeClaimTemplates'], ['spec', 'podManagementPolicy']],
  // Job: "field is immutable" for the pod template, the selector and the completion settings.
  Job: [['spec', 'template'], ['spec', 'selector'], ['spec', 'manualSelector'], ['spec', 'completions'], ['spec', 'completionMode']],
  Deployment: [['spec', 'selector']],
  DaemonSet: [['spec', 'selector']],
  ReplicaSet: [['spec', 'selector']],
  Service: [['spec', 'clusterIP']],
};

/**
 * Selectors that may change on apply but must not: a changed Service or PDB selector stops matching the pods of
 * the previous synth while they roll, and a workload's own selector is immutable anyway.
 */
const SELECTORS: Record<string, string[]> = {
  Service: ['spec', 'selector'],
  PodDisruptionBudget: ['spec', 'selector'],
  StatefulSet: ['spec', 'selector'],
  Deployment: ['spec', 'selector'],
  DaemonSet: ['spec', 'selector'],
};

/** Label keys whose values change with an upgrade (or with `partOf`) and so must stay out of immutable fields. */
const VOLATILE_LABELS = ['app.kubernetes.io/version', 'app.kubernetes.io/part-of'];

const at = (obj: any, path: string[]) => path.reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
const idOf = (o: any) => `${o?.kind}/${o?.metadata?.namespace ?? ''}/${o?.metadata?.name}`;

/** Paths (dot-joined) under `value` where a volatile label key occurs. */
function volatileLabelPaths(value: any, path: string): string[] {
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (VOLATILE_LABELS.includes(k)) found.push(`${path}.${k}`);
    found.push(...volatileLabelPaths(v, `${path}.${k}`));
  }
  return found;
}

/**
 * Problems that make `after` fail to apply over `before` (or make selectors drift), empty when none; also a
 * count of the object pairs compared, so a caller can tell a vacuous pass.
 */
export function upgradeProblems(before: any[], after: any[]): { problems: string[]; compared: number } {
  const problems: string[] = [];
  const old = new Map(before.map((o) => [idOf(o), o]));
  let compared = 0;
  for (const b of after) {
    const id = idOf(b);
    // Version and part-of labels in a StatefulSet's or workload's immutable fields break the next upgrade even when
    // this pair happens to agree.
    if (b?.kind === 'StatefulSet') {
      for (const p of [['spec', 'selector'], ['spec', 'volumeClaimTemplates']]) {
        for (const v of volatileLabelPaths(at(b, p), p.join('.'))) problems.push(`${id}: ${v} changes with every upgrade`);
      }
    } else if (SELECTORS[b?.kind]) {
      for (const v of volatileLabelPaths(at(b, SELECTORS[b.kind]), SELECTORS[b.kind].join('.'))) {
        problems.push(`${id}: ${v} changes with every upgrade`);
      }
    }
    const a = old.get(id);
    if (!a) continue;
    const paths = [...(IMMUTABLE[b.kind] ?? []), ...(SELECTORS[b.kind] ? [SELECTORS[b.kind]] : [])];
    if (paths.length === 0) continue;
    compared++;
    for (const p of paths) {
      if (!isDeepStrictEqual(at(a, p), at(b, p))) {
        problems.push(`${id}: ${p.join('.')} differs (${JSON.stringify(at(a, p))} -> ${JSON.stringify(at(b, p))})`.slice(0, 600));
      }
    }
  }
  return { problems: [...new Set(problems)], compared };
}

/**
 * Fails unless `after` applies over `before`: every same-named StatefulSet keeps its selector, serviceName,
 * volumeClaimTemplates (labels and annotations included) and podManagementPolicy; every same-named Job keeps its
 * pod template and selector (a Job whose content changes must change its name); workload, Service and PDB selectors
 * stay equal. CronJobs are mutable and not checked. Also fails when no pair was compared at all.
 */
export function expectUpgradeApplies(before: any[], after: any[]): void {
  const { problems, compared } = upgradeProblems(before, after);
  if (compared === 0) throw new Error('no object of the first synth reappears in the second: nothing was compared');
  if (problems.length > 0) throw new Error(`the second synth would not apply over the first:\n  ${problems.join('\n  ')}`);
}
