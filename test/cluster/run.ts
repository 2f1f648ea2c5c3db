/**
 * The cluster tier's scenario runner. The cluster is already up (test/cluster/run.sh starts it). Runs every scenario
 * (or those named in E2E_SCENARIOS, comma-separated), writes test-reports/cluster.json, and ends with the line
 * `cluster: N passed, M failed`. Exit code 1 when any scenario failed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { clusterEnv, Kube } from './lib/kube';
import { log, Scenario, ScenarioContext, ScenarioRecord, StepFailed } from './lib/scenario';
import { ON_REQUEST, SCENARIOS } from './scenarios';

async function main(): Promise<number> {
  const kube = new Kube(clusterEnv());
  const wanted = (process.env.E2E_SCENARIOS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const all = [...SCENARIOS, ...ON_REQUEST];
  const unknown = wanted.filter((w) => !all.some((s) => s.name === w));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`);
  const selected: Scenario[] = wanted.length ? all.filter((s) => wanted.includes(s.name)) : SCENARIOS;
  const records: ScenarioRecord[] = [];
  const t0 = Date.now();
  for (const scenario of selected) {
    log(`scenario ${scenario.name}: ${scenario.description}`);
    const ctx = new ScenarioContext(kube, scenario.name);
    const s0 = Date.now();
    let ok = true;
    try {
      await scenario.run(ctx);
    } catch (e) {
      ok = false;
      if (!(e instanceof StepFailed)) {
        ctx.steps.push({ name: '(scenario)', seconds: 0, ok: false, error: String((e as Error)?.stack ?? e) });
      }
    }
    const seconds = (Date.now() - s0) / 1000;
    records.push({ scenario: scenario.name, description: scenario.description, ok, seconds, steps: ctx.steps, notes: ctx.notes });
    log(`scenario ${scenario.name}: ${ok ? 'PASSED' : 'FAILED'} in ${seconds.toFixed(0)}s`);
    if (!ok) {
      for (const s of ctx.steps.filter((x) => !x.ok)) log(`  failed step "${s.name}":\n${indent(s.error ?? '')}`);
    }
  }
  const passed = records.filter((r) => r.ok).length;
  const failed = records.length - passed;
  const dir = path.join(__dirname, '..', '..', 'test-reports');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cluster.json'), JSON.stringify({
    kubernetes: process.env.K8S_VERSION,
    finishedAt: new Date().toISOString(),
    seconds: (Date.now() - t0) / 1000,
    passed,
    failed,
    scenarios: records,
  }, null, 2));
  for (const r of records) {
    log(`${r.ok ? 'PASS' : 'FAIL'} ${r.scenario} (${r.seconds.toFixed(0)}s)${r.notes.length ? ` [${r.notes.length} note(s)]` : ''}`);
  }
  process.stdout.write(`cluster: ${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

function indent(s: string): string {
  return s.split('\n').slice(0, 60).map((l) => `      ${l}`).join('\n');
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
  process.stdout.write('cluster: 0 passed, 1 failed\n');
  process.exit(1);
});
