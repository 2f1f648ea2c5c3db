/**
 * PromQL checks: promtool parses every alert and dashboard query, and every metric a query reads must be one
 * the exporter really emits (lists in ./metrics, each with its source).
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';

function promtool(args: string[], file: string, content: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
  try {
    const path = join(dir, file);
    writeFileSync(path, content);
    const r = spawnSync('promtool', [...args, path], { encoding: 'utf8' });
    if (r.error) throw new Error(`promtool is not installed (Debian package prometheus): ${r.error.message}`);
    if (r.status !== 0) throw new Error(`promtool ${args.join(' ')} failed:\n${r.stdout}${r.stderr}\n--- ${file} ---\n${content}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `promtool check rules` on the `spec` of a PrometheusRule (`{ groups: [...] }`). */
export function checkRulesWithPromtool(spec: { groups: any[] }): void {
  promtool(['check', 'rules'], 'rules.yaml', stringify({ groups: spec.groups }));
}

/**
 * Runs `promtool test rules`: the alerts of `spec` evaluated against input series. Each test gives the series
 * (`interval`, `input_series`) and the expected alerts (`alert_rule_test`), in promtool's unit-test format.
 */
export function testRulesWithPromtool(spec: { groups: any[] }, tests: any[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'promtool-test-'));
  try {
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: spec.groups }));
    promtool(['test', 'rules'], 'tests.yaml', stringify({ rule_files: [join(dir, 'rules.yaml')], evaluation_interval: '1m', tests }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Substitutes Grafana's variables the way a dashboard would at query time: interval variables become a
 * duration, template variables a plain value (in a regex matcher `.*` would also do; `x` is valid in both).
 */
export function substituteGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}/g, '5m')
    .replace(/\$\{(\w+)(:\w+)?\}|\$(\w+)/g, 'x');
}

/** Parses dashboard queries with promtool (as recording rules), after substituting Grafana variables. */
export function checkQueriesWithPromtool(exprs: string[]): void {
  if (exprs.length === 0) throw new Error('no queries to check');
  const rules = exprs.map((e, i) => ({ record: `dashboard:query_${i}`, expr: substituteGrafanaVariables(e) }));
  promtool(['check', 'rules'], 'dashboard-queries.yaml', stringify({ groups: [{ name: 'dashboard', rules }] }));
}

const KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan',
]);

/**
 * Metric names a PromQL expression reads: identifiers that are not functions, aggregation operators,
 * keywords or label names.
 */
export function metricNamesInExpr(expr: string): string[] {
  let s = substituteGrafanaVariables(expr)
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // string literals
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
  s = s.replace(/\boffset\s+-?\d+\w*/g, ' ');
  const names = new Set<string>();
  for (const m of s.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = m[0];
    const after = s.slice(m.index! + word.length).trimStart();
    if (after.startsWith('(')) continue; // function or aggregation
    if (KEYWORDS.has(word.toLowerCase())) continue;
    if (/^\d/.test(word)) continue;
    // Duration units after a number (5m) and exponent parts are consumed by the number pattern below.
    const before = s.slice(0, m.index!);
    if (/\d$/.test(before)) continue;
    names.add(word);
  }
  return [...names];
}

/** The metric names in test/harness/metrics/<exporter>.txt (comments start with #). */
export function loadMetricList(exporter: string): Set<string> {
  const text = readFileSync(join(__dirname, 'metrics', `${exporter}.txt`), 'utf8');
  const names = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (names.length < 10) throw new Error(`metric list ${exporter}.txt looks empty`);
  return new Set(names);
}

/** Fails when a query reads a metric that is neither in `known` nor in `extra` (e.g. Prometheus' own `up`). */
export function expectKnownMetrics(exprs: string[], known: Set<string>, extra: string[] = []): void {
  const unknown = new Map<string, string>();
  for (const e of exprs) {
    for (const name of metricNamesInExpr(e)) if (!known.has(name) && !extra.includes(name)) unknown.set(name, e);
  }
  if (unknown.size > 0) {
    throw new Error(`metrics the exporter does not emit:\n${[...unknown].map(([n, e]) => `  ${n}   in: ${e}`).join('\n')}`);
  }
}
