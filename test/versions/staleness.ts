/**
 * Staleness of the library's default pins against test/versions/upstream-releases.json, a committed record of the
 * newest upstream releases per release line (with source and date). A default behind the newest *security* release of
 * its line is an error; behind a plain patch release is a note, so the record can be refreshed without forcing a bump.
 */

export interface RecordLine {
  /** Release line the entry covers: a version prefix such as `7.2`, or `` for every version of the component. */
  readonly line: string;
  /** Newest release of the line seen upstream. */
  readonly newest: string;
  /** Newest release of the line that fixed a security issue (the minimum a default may be). */
  readonly security?: string;
  readonly why?: string;
}

export interface RecordComponent {
  readonly component: string;
  readonly source: string;
  readonly lines: RecordLine[];
}

export interface UpstreamRecord {
  readonly checked: string;
  readonly components: RecordComponent[];
}

export interface Pin {
  readonly component: string;
  readonly version: string;
  /** Where the pin lives, for the error message. */
  readonly where: string;
}

/** Numeric parts of a version (`v1.91.1`, `7.2.16`, `7.2.16-bookworm`); NaN-free, suffix ignored. */
export function versionParts(v: string): number[] {
  const m = /^v?(\d+(?:\.\d+)*)/.exec(v);
  if (!m) throw new Error(`not a version: ${v}`);
  return m[1].split('.').map(Number);
}

export function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The record line that covers `version`: the longest `line` that is a dotted prefix of it. */
export function lineOf(component: RecordComponent, version: string): RecordLine | undefined {
  const plain = version.replace(/^v/, '');
  return component.lines
    .filter((l) => l.line === '' || plain === l.line || plain.startsWith(`${l.line}.`))
    .sort((a, b) => b.line.length - a.line.length)[0];
}

export interface StalenessResult {
  readonly errors: string[];
  readonly notes: string[];
}

export function staleness(pins: Pin[], record: UpstreamRecord): StalenessResult {
  const errors: string[] = [];
  const notes: string[] = [];
  for (const pin of pins) {
    const component = record.components.find((c) => c.component === pin.component);
    if (!component) {
      errors.push(`${pin.where}: ${pin.component} ${pin.version} is not in the record: add its newest releases with their source`);
      continue;
    }
    const line = lineOf(component, pin.version);
    if (!line) {
      errors.push(`${pin.where}: ${pin.component} ${pin.version}: no line of the record covers it (lines: ${component.lines.map((l) => l.line).join(', ')})`);
      continue;
    }
    if (line.security && compareVersions(pin.version, line.security) < 0) {
      errors.push(`${pin.where}: ${pin.component} ${pin.version} is behind the security release ${line.security}`
        + `${line.why ? ` (${line.why})` : ''} recorded on ${record.checked} from ${component.source}`);
    } else if (compareVersions(pin.version, line.newest) < 0) {
      notes.push(`${pin.where}: ${pin.component} ${pin.version} is behind ${line.newest} (no security fix recorded in between)`);
    }
  }
  return { errors, notes };
}
