import { createHash } from 'crypto';
import { Lazy, resolve } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * How long a finished one-shot Job stays: long enough to read its logs after an upgrade, short enough that the
 * Jobs of earlier versions do not pile up (each change of content creates a Job under a new name).
 */
export const FINISHED_JOB_TTL_SECONDS = 7 * 86400;

export interface OneShotJobOptions {
  /** Name before the content hash; cut to 54 characters so that the name with the hash fits in 63. */
  readonly baseName: string;
  readonly labels: Record<string, string>;
  readonly spec: k8s.JobSpec;
  /**
   * Keep the finished Job instead of deleting it after FINISHED_JOB_TTL_SECONDS. For a Job that must not run again:
   * once a TTL has deleted it, applying the same manifests re-creates it and it runs again.
   * @default false
   */
  readonly keepFinished?: boolean;
}

/**
 * A Job named `<baseName>-<hash of its spec>`. A Job's pod template is immutable, so a Job that kept its name while
 * its content changed (another version, label or setting) would make the next apply fail. With the content in
 * the name, a change creates a new Job, which runs, and an unchanged apply leaves the existing one alone. A TTL alone
 * would not do: while the old Job still exists, applying the new template is refused.
 * Content added after construction as Lazy values (e.g. Kafka topics) counts: the hash is then taken at synthesis.
 */
export function oneShotJob(scope: Construct, id: string, o: OneShotJobOptions): k8s.KubeJob {
  const spec: k8s.JobSpec = { ...o.spec, ttlSecondsAfterFinished: o.keepFinished ? undefined : FINISHED_JOB_TTL_SECONDS };
  const base = o.baseName.slice(0, 54).replace(/[-.]+$/, '');
  // A plain string where possible, so that `job.name` can be used in code; resolved at synthesis only when content
  // is still to come (Lazy values).
  const name = containsLazy(spec)
    ? Lazy.any({ produce: () => `${base}-${contentHash(resolve(['spec'], spec, job))}` }) as unknown as string
    : `${base}-${contentHash(spec)}`;
  const job: k8s.KubeJob = new k8s.KubeJob(scope, id, { metadata: { name, labels: o.labels }, spec });
  return job;
}

function containsLazy(value: unknown): boolean {
  if (value instanceof Lazy) return true;
  if (Array.isArray(value)) return value.some(containsLazy);
  return value !== null && typeof value === 'object' && Object.values(value).some(containsLazy);
}

/** First 8 hex digits of the SHA-256 of `value` as JSON with sorted keys. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 8);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
