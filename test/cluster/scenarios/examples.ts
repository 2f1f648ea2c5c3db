/**
 * Scenario 1: every reference architecture in examples/ is accepted by the API server as `kubectl apply
 * --server-side` sends it, with the CRDs from crds/ installed. A server-side dry run runs the same
 * decoding, defaulting, admission, schema and CRD validation as a real apply without starting the pods (the examples
 * together ask for more CPU and memory than this machine has); scenario `upgrade-apply` applies for real.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Scenario, ScenarioContext, assert } from '../lib/scenario';

const ROOT = path.join(__dirname, '..', '..', '..');

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(p) : e.name.endsWith('.yaml') ? [p] : [];
  }).sort();
}

export const examplesAccepted: Scenario = {
  name: 'examples-accepted',
  description: 'every reference architecture in examples/ is accepted by kubectl apply --server-side',
  async run(ctx: ScenarioContext) {
    await ctx.step('synthesize examples/ (npm run synth)', () => {
      execFileSync('bash', [path.join(ROOT, 'scripts', 'synth-examples.sh')], { cwd: ROOT, stdio: 'pipe', timeout: 600_000 });
    });
    const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((e) => fs.existsSync(path.join(ROOT, 'examples', e, 'cdk8s.yaml'))).sort();
    assert(examples.length > 0, 'no examples found');
    const created = new Set<string>();
    for (const example of examples) {
      const files = yamlFiles(path.join(ROOT, 'examples', example, 'dist'));
      await ctx.step(`${example}: ${files.length} file(s) accepted`, () => {
        assert(files.length > 0, `examples/${example}/dist has no YAML`);
        for (const file of files) {
          const text = fs.readFileSync(file, 'utf8');
          const docs = parseAllDocuments(text).map((d) => d.toJSON()).filter(Boolean);
          for (const ns of new Set(docs.map((d: any) => d.metadata?.namespace).filter(Boolean) as string[])) {
            if (!created.has(ns)) { ctx.kube.ensureNamespace(ns); created.add(ns); }
          }
          ctx.kube.apply(text, { dryRun: true });
        }
      });
    }
    // Nothing ran in them (dry runs only): delete them all at once without waiting.
    await ctx.step('clean up namespaces', () => { ctx.kube.run(['delete', 'namespace', ...created, '--wait=false']); });
  },
};
