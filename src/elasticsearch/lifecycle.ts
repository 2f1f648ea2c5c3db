import { Duration, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { resolveS3, S3Target } from '../backup/backup';
import { sizeBytes } from '../core/resources';
import { checkInteger, checkRule, fail, warn } from '../core/validation';

/** When the hot phase rolls the write index over to a new one (any condition met triggers it). */
export interface IlmRolloverProps {
  /**
   * Largest primary shard of the index (`max_primary_shard_size`); the reference's shard target is 10-50 GB.
   * @default no size condition
   */
  readonly maxPrimaryShardSize?: Size;
  /**
   * Age of the index since its creation (`max_age`).
   * @default no age condition
   */
  readonly maxAge?: Duration;
  /**
   * Number of documents (`max_docs`).
   * @default no document condition
   */
  readonly maxDocs?: number;
}

/** The hot phase: new data, written and queried most. */
export interface IlmHotPhase {
  /**
   * Rollover conditions (needs a data stream or a rollover alias in the index template).
   * @default no rollover
   */
  readonly rollover?: IlmRolloverProps;
  /**
   * Index recovery priority after a node restart.
   * @default 100
   */
  readonly priority?: number;
}

/** The warm phase: read-mostly data, moved to `data_warm` nodes (falling back to hot when there are none). */
export interface IlmWarmPhase {
  /** Age (since rollover, or creation without rollover) at which an index enters this phase. */
  readonly minAge: Duration;
  /**
   * Replicas in this phase.
   * @default unchanged
   */
  readonly replicas?: number;
  /**
   * Shrink to this many primary shards.
   * @default no shrink
   */
  readonly shrinkToShards?: number;
  /**
   * Force-merge to this many segments per shard (off-peak work, as the reference advises).
   * @default no force merge
   */
  readonly forceMergeSegments?: number;
}

/** The cold phase: rarely queried data on `data_cold` nodes (falling back to warm, then hot). */
export interface IlmColdPhase {
  /** Age at which an index enters this phase. */
  readonly minAge: Duration;
  /**
   * Replicas in this phase.
   * @default unchanged
   */
  readonly replicas?: number;
}

/** The delete phase. */
export interface IlmDeletePhase {
  /** Age at which an index is deleted. */
  readonly minAge: Duration;
}

/** An index lifecycle management (ILM) policy. Phases run in the order hot, warm, cold, delete. */
export interface IlmPolicy {
  /** Policy name (lowercase letters, digits, `.`, `_`, `-`). */
  readonly name: string;
  /**
   * Hot phase.
   * @default no hot actions
   */
  readonly hot?: IlmHotPhase;
  /**
   * Warm phase.
   * @default no warm phase
   */
  readonly warm?: IlmWarmPhase;
  /**
   * Cold phase.
   * @default no cold phase
   */
  readonly cold?: IlmColdPhase;
  /**
   * Delete phase.
   * @default indices are kept forever
   */
  readonly delete?: IlmDeletePhase;
}

/** A composable index template that binds index patterns to settings and an ILM policy. */
export interface IndexTemplate {
  /** Template name (lowercase letters, digits, `.`, `_`, `-`). */
  readonly name: string;
  /** Index patterns, e.g. `logs-app-*`. */
  readonly indexPatterns: string[];
  /**
   * Name of an ILM policy declared in `ilmPolicies`.
   * @default no lifecycle
   */
  readonly ilmPolicy?: string;
  /**
   * Create data streams for matching names (rollover needs no alias then).
   * @default true
   */
  readonly dataStream?: boolean;
  /**
   * Rollover alias for a classic (non data stream) template whose policy rolls over. The setup Job creates the
   * first index `<alias>-000001` as the write index when the alias does not exist yet.
   * @default none
   */
  readonly rolloverAlias?: string;
  /**
   * Primary shards per index.
   * @default 1
   */
  readonly shards?: number;
  /**
   * Replicas per shard.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Template priority (the highest matching template wins).
   * @default 200
   */
  readonly priority?: number;
}

/** Scheduled snapshots to S3 through snapshot lifecycle management (SLM). */
export interface ElasticsearchSnapshotProps {
  /**
   * The bucket. `prefix` becomes the repository's `base_path`; the key pair is added to every node's keystore
   * as the `default` S3 client.
   */
  readonly repository: S3Target;
  /**
   * Name of the snapshot repository.
   * @default 'backups'
   */
  readonly repositoryName?: string;
  /**
   * SLM schedule in Elasticsearch cron syntax (seconds first, `?` in day-of-month or day-of-week), UTC.
   * @default '0 30 1 * * ?' (daily at 01:30)
   */
  readonly schedule?: string;
  /**
   * Indices (and data streams) to snapshot.
   * @default ['*']
   */
  readonly indices?: string[];
  /**
   * Include the cluster state (templates, ILM policies, feature states).
   * @default true
   */
  readonly includeGlobalState?: boolean;
  /**
   * Delete snapshots older than this (SLM retention).
   * @default Duration.days(30)
   */
  readonly expireAfter?: Duration;
  /**
   * Always keep at least this many snapshots.
   * @default 5
   */
  readonly minCount?: number;
  /**
   * Never keep more than this many snapshots.
   * @default 50
   */
  readonly maxCount?: number;
  /**
   * The ElasticsearchSnapshotTooOld alert fires when the latest successful or partial snapshot started longer ago than this (match it to
   * the schedule).
   * @default Duration.hours(36)
   */
  readonly maxSnapshotAge?: Duration;
}

/** Seed a new cluster from a snapshot. */
export interface ElasticsearchRestoreProps {
  /**
   * The bucket holding the snapshots (registered read-only as repository `restore-source`, with its own
   * `restore` S3 client in the keystore).
   */
  readonly repository: S3Target;
  /** Snapshot name, or `latest` for the newest successful snapshot in the repository. */
  readonly snapshot: string;
  /**
   * Indices to restore.
   * @default ['*', '-.*', '-ilm-history-*'] (every index and data stream except dot-prefixed ones and the ILM history,
   * which the new cluster creates itself)
   */
  readonly indices?: string[];
  /**
   * Restore the cluster state too (templates, ILM policies). Feature states (security users) are never
   * restored, so this cluster's passwords stay valid.
   * @default false
   */
  readonly includeGlobalState?: boolean;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const PATTERN = /^[a-z0-9*.][a-z0-9*._-]*$/;

/** Elasticsearch time value: the largest whole unit. */
export function esTime(d: Duration): string {
  const ms = d.toMilliseconds();
  const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  for (const [u, f] of units) if (ms >= f && ms % f === 0) return `${ms / f}${u}`;
  return `${ms}ms`;
}

/** Elasticsearch byte size value: the largest whole binary unit. */
export function esBytes(s: Size): string {
  const b = sizeBytes(s);
  const units: [string, number][] = [['tb', 2 ** 40], ['gb', 2 ** 30], ['mb', 2 ** 20], ['kb', 2 ** 10]];
  for (const [u, f] of units) if (b >= f && b % f === 0) return `${b / f}${u}`;
  return `${b}b`;
}

/** The data tiers present, for warnings about phases without nodes. */
export interface TierPresence {
  readonly warm: boolean;
  readonly cold: boolean;
  readonly hotNodes: number;
}

/** Validates ILM policies and renders their `PUT _ilm/policy/<name>` bodies. */
export function renderIlmPolicies(scope: IConstruct, policies: IlmPolicy[], tiers: TierPresence): Record<string, string> {
  const out: Record<string, string> = {};
  policies.forEach((p, i) => {
    const at = `ilmPolicies[${i}]`;
    checkRule(scope, NAME.test(p.name), `${at}.name`, p.name, 'must be 1-64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');
    checkRule(scope, !(p.name in out), `${at}.name`, p.name, 'is declared twice');
    checkRule(scope, !!(p.hot || p.warm || p.cold || p.delete), at, p.name, 'must declare at least one phase');
    const phases: Record<string, unknown> = {};
    if (p.hot) {
      const actions: Record<string, unknown> = {};
      if (p.hot.rollover) {
        const r = p.hot.rollover;
        checkRule(scope, r.maxPrimaryShardSize !== undefined || r.maxAge !== undefined || r.maxDocs !== undefined, `${at}.hot.rollover`, r,
          'must set at least one of maxPrimaryShardSize, maxAge, maxDocs');
        const rollover: Record<string, unknown> = {};
        if (r.maxPrimaryShardSize) {
          checkRule(scope, sizeBytes(r.maxPrimaryShardSize) >= 2 ** 20, `${at}.hot.rollover.maxPrimaryShardSize`, esBytes(r.maxPrimaryShardSize), 'must be at least 1mb');
          rollover.max_primary_shard_size = esBytes(r.maxPrimaryShardSize);
        }
        if (r.maxAge) {
          checkRule(scope, r.maxAge.toSeconds() >= 60, `${at}.hot.rollover.maxAge`, esTime(r.maxAge), 'must be at least 1 minute');
          rollover.max_age = esTime(r.maxAge);
        }
        if (r.maxDocs !== undefined) rollover.max_docs = checkInteger(scope, `${at}.hot.rollover.maxDocs`, r.maxDocs, 1);
        actions.rollover = rollover;
      }
      actions.set_priority = { priority: checkInteger(scope, `${at}.hot.priority`, p.hot.priority ?? 100, 0, 1000) };
      phases.hot = { min_age: '0ms', actions };
    }
    // Later phases must start strictly later than earlier ones.
    let previous: { phase: string; ms: number } | undefined;
    const age = (phase: string, d: Duration) => {
      const ms = d.toMilliseconds();
      checkRule(scope, Number.isFinite(ms) && ms >= 0, `${at}.${phase}.minAge`, esTime(d), 'must be zero or positive');
      if (previous) {
        checkRule(scope, ms > previous.ms, `${at}.${phase}.minAge`, esTime(d),
          `must be greater than ${previous.phase}.minAge (${esTime(Duration.millis(previous.ms))}): phases run hot, warm, cold, delete`);
      }
      previous = { phase, ms };
      return esTime(d);
    };
    if (p.warm) {
      const actions: Record<string, unknown> = { set_priority: { priority: 50 } };
      if (p.warm.replicas !== undefined) actions.allocate = { number_of_replicas: checkInteger(scope, `${at}.warm.replicas`, p.warm.replicas, 0, 10) };
      if (p.warm.shrinkToShards !== undefined) actions.shrink = { number_of_shards: checkInteger(scope, `${at}.warm.shrinkToShards`, p.warm.shrinkToShards, 1, 1024) };
      if (p.warm.forceMergeSegments !== undefined) {
        actions.forcemerge = { max_num_segments: checkInteger(scope, `${at}.warm.forceMergeSegments`, p.warm.forceMergeSegments, 1, 1000) };
      }
      phases.warm = { min_age: age('warm', p.warm.minAge), actions };
      if (!tiers.warm) warn(scope, `${at}.warm`, p.name, 'there is no warm tier: indices stay on the hot nodes in the warm phase (tier preference data_warm,data_hot)');
    }
    if (p.cold) {
      const actions: Record<string, unknown> = { set_priority: { priority: 0 } };
      if (p.cold.replicas !== undefined) actions.allocate = { number_of_replicas: checkInteger(scope, `${at}.cold.replicas`, p.cold.replicas, 0, 10) };
      phases.cold = { min_age: age('cold', p.cold.minAge), actions };
      if (!tiers.cold) warn(scope, `${at}.cold`, p.name, 'there is no cold tier: indices stay on warm or hot nodes in the cold phase');
    }
    if (p.delete) phases.delete = { min_age: age('delete', p.delete.minAge), actions: { delete: {} } };
    out[p.name] = JSON.stringify({ policy: { phases } });
  });
  return out;
}

/** Validates index templates and renders their `PUT _index_template/<name>` bodies. */
export function renderIndexTemplates(
  scope: IConstruct, templates: IndexTemplate[], policies: IlmPolicy[], tiers: TierPresence,
): { bodies: Record<string, string>; rolloverAliases: string[] } {
  const bodies: Record<string, string> = {};
  const rolloverAliases: string[] = [];
  const seen: { pattern: string; priority: number; name: string }[] = [];
  templates.forEach((t, i) => {
    const at = `indexTemplates[${i}]`;
    checkRule(scope, NAME.test(t.name), `${at}.name`, t.name, 'must be 1-64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');
    checkRule(scope, !(t.name in bodies), `${at}.name`, t.name, 'is declared twice');
    checkRule(scope, t.indexPatterns.length > 0, `${at}.indexPatterns`, t.indexPatterns, 'must list at least one pattern');
    const priority = checkInteger(scope, `${at}.priority`, t.priority ?? 200, 0, 1_000_000);
    t.indexPatterns.forEach((pattern, j) => {
      checkRule(scope, PATTERN.test(pattern) && pattern.length <= 255, `${at}.indexPatterns[${j}]`, pattern,
        'must be a lowercase index pattern (letters, digits, "*", ".", "_", "-"; not starting with "_", "-" or "+")');
      const clash = seen.find((s) => s.pattern === pattern && s.priority === priority);
      checkRule(scope, !clash, `${at}.indexPatterns[${j}]`, pattern,
        `is also a pattern of template ${clash?.name} with the same priority ${priority}: Elasticsearch refuses overlapping templates of equal priority`);
      seen.push({ pattern, priority, name: t.name });
    });
    const policy = t.ilmPolicy === undefined ? undefined : policies.find((p) => p.name === t.ilmPolicy);
    checkRule(scope, t.ilmPolicy === undefined || policy !== undefined, `${at}.ilmPolicy`, t.ilmPolicy,
      `must name a policy declared in ilmPolicies (${policies.map((p) => p.name).join(', ') || 'none declared'})`);
    const dataStream = t.dataStream ?? true;
    const rolls = !!policy?.hot?.rollover;
    checkRule(scope, !(dataStream && t.rolloverAlias !== undefined), `${at}.rolloverAlias`, t.rolloverAlias,
      'is only for classic templates (dataStream: false): a data stream rolls over without an alias');
    checkRule(scope, dataStream || !rolls || t.rolloverAlias !== undefined, `${at}.rolloverAlias`, t.rolloverAlias,
      `is required: policy ${t.ilmPolicy} rolls over and the template is not a data stream`);
    if (t.rolloverAlias !== undefined) {
      checkRule(scope, NAME.test(t.rolloverAlias), `${at}.rolloverAlias`, t.rolloverAlias, 'must be a lowercase alias name');
      const first = `${t.rolloverAlias}-000001`;
      checkRule(scope, t.indexPatterns.some((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(first)),
        `${at}.rolloverAlias`, t.rolloverAlias, `needs an index pattern matching its first index ${first}`);
      rolloverAliases.push(t.rolloverAlias);
    }
    const shards = checkInteger(scope, `${at}.shards`, t.shards ?? 1, 1, 1024);
    // ILM's shrink needs a factor of the source's primary count (ILM skips it when the counts are equal); any other
    // count stops the index in the ERROR step.
    const shrink = policy?.warm?.shrinkToShards;
    checkRule(scope, shrink === undefined || shards % shrink === 0, `${at}.shards`, shards,
      `must be a multiple of ${shrink}: policy ${t.ilmPolicy} shrinks its indices to ${shrink} shard(s) in the warm phase`);
    const replicas = checkInteger(scope, `${at}.replicas`, t.replicas ?? 1, 0, 10);
    if (replicas > 0 && replicas >= tiers.hotNodes) {
      warn(scope, `${at}.replicas`, replicas, `the hot tier has ${tiers.hotNodes} node(s): replicas of new indices cannot all be allocated and the cluster stays yellow`);
    }
    const settings: Record<string, unknown> = { 'index.number_of_shards': shards, 'index.number_of_replicas': replicas };
    if (t.ilmPolicy) settings['index.lifecycle.name'] = t.ilmPolicy;
    if (t.rolloverAlias) settings['index.lifecycle.rollover_alias'] = t.rolloverAlias;
    const body: Record<string, unknown> = { index_patterns: t.indexPatterns, priority, template: { settings } };
    if (dataStream) body.data_stream = {};
    bodies[t.name] = JSON.stringify(body);
  });
  return { bodies, rolloverAliases };
}

/** Elasticsearch cron: 6 or 7 fields, seconds first, `?` in exactly one of day-of-month and day-of-week. */
export function checkSlmSchedule(scope: IConstruct, prop: string, schedule: string): string {
  const f = schedule.trim().split(/\s+/);
  const ok = (f.length === 6 || f.length === 7) && f.every((x) => /^[0-9A-Za-z*?,/#L-]+$/.test(x)) && ((f[3] === '?') !== (f[5] === '?'));
  if (!ok) fail(scope, prop, schedule, "must be an Elasticsearch cron expression: 6-7 fields (seconds first) with '?' in day-of-month or day-of-week, e.g. '0 30 1 * * ?'");
  return f.join(' ');
}

/** S3 settings of one repository: node-level client settings (elasticsearch.yml) and repository settings. */
export function s3ClientSettings(client: string, t: S3Target): Record<string, string> {
  const s: Record<string, string> = {};
  if (t.endpoint) {
    const m = /^(https?):\/\/([^/]+)\/?$/.exec(t.endpoint);
    if (m) {
      s[`s3.client.${client}.endpoint`] = m[2];
      s[`s3.client.${client}.protocol`] = m[1];
    }
  }
  if (t.forcePathStyle ?? t.endpoint !== undefined) s[`s3.client.${client}.path_style_access`] = 'true';
  if (t.region) s[`s3.client.${client}.region`] = t.region;
  return s;
}

/** Validates an S3 target used for snapshots (shared S3 rules, plus: Elasticsearch takes an endpoint without a path). */
export function checkS3Target(scope: IConstruct, prop: string, t: S3Target, defaultPrefix: string): string {
  const { prefix } = resolveS3(scope, prop, t, defaultPrefix);
  checkRule(scope, t.endpoint === undefined || /^https?:\/\/[^/\s]+\/?$/.test(t.endpoint), `${prop}.endpoint`, t.endpoint,
    'must be an http:// or https:// URL with a host and optional port, without a path (Elasticsearch S3 client setting)');
  return prefix;
}

/** An S3 repository's place: the store (endpoint, or AWS), the bucket and the base path. */
export interface RepositoryLocation {
  readonly store: string;
  readonly bucket: string;
  readonly basePath: string;
}

/** `s3://bucket/base_path`, for messages. */
export function showLocation(l: RepositoryLocation): string {
  return `s3://${l.bucket}/${l.basePath}`;
}

export function repositoryLocation(t: S3Target, basePath: string): RepositoryLocation {
  return { store: (t.endpoint ?? 'aws').replace(/\/+$/, '').toLowerCase(), bucket: t.bucket, basePath };
}

/**
 * Whether two repositories share blobs: same store and bucket, and one base path equals or contains the other
 * (a repository's cleanup deletes what its own index does not reference).
 */
export function overlaps(a: RepositoryLocation, b: RepositoryLocation): boolean {
  if (a.store !== b.store || a.bucket !== b.bucket) return false;
  const within = (x: string, y: string) => x === y || x.startsWith(`${y}/`);
  return within(a.basePath, b.basePath) || within(b.basePath, a.basePath);
}

// Writable repositories per app (the root construct): Elasticsearch allows one writing cluster per repository, and
// two writers corrupt its index. Only clusters synthesized in the same app can be checked here; the default base
// path (namespace/name) keeps clusters of other apps apart unless a prefix is set by hand.
const WRITERS = new WeakMap<IConstruct, { location: RepositoryLocation; owner: string }[]>();

/** Records `location` as written by `scope`'s cluster; refuses it when another cluster of the app writes there. */
export function claimWritableRepository(scope: IConstruct, prop: string, location: RepositoryLocation): void {
  const root = scope.node.root;
  const writers = WRITERS.get(root) ?? [];
  const other = writers.find((w) => overlaps(w.location, location));
  if (other) {
    fail(scope, prop, showLocation(location), `must not overlap the repository of another cluster: ${other.owner} writes there `
      + `(${showLocation(other.location)}), and two clusters writing one repository corrupt it; give each cluster its own prefix `
      + 'and read another cluster\'s snapshots through restore (read-only)');
  }
  writers.push({ location, owner: scope.node.path });
  WRITERS.set(root, writers);
}
