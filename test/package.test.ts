/**
 * What consumers get. The tests in this file run in order: jsii compiles lib/, which the pack test uses.
 *
 * API.md is generated from the jsii assembly: the library must compile under jsii (its public API rules), and
 * the committed API.md must be what jsii-docgen produces now. Regenerate with `npx projen docgen` after
 * `npx projen compile`.
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { expectValidManifests } from './harness';

const root = join(__dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

test('the library compiles with jsii and API.md is up to date', () => {
  const jsii = spawnSync(bin('jsii'), ['--silence-warnings=reserved-word'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  expect(`${jsii.stdout}${jsii.stderr}`).not.toMatch(/error JSII\d+/);
  expect(jsii.status).toBe(0);
  const dir = mkdtempSync(join(tmpdir(), 'api-docs-'));
  try {
    const out = join(dir, 'API.md');
    const docgen = spawnSync(bin('jsii-docgen'), ['-o', out], { cwd: root, encoding: 'utf8', timeout: 300_000 });
    expect(docgen.status).toBe(0);
    const fresh = readFileSync(out, 'utf8');
    const committed = readFileSync(join(root, 'API.md'), 'utf8');
    if (fresh !== committed) throw new Error('API.md is stale: run `npx projen compile && npx projen docgen` and commit API.md');
    expect(fresh).toContain('RedisClusterProps');
    // Every optional prop of every public struct documents its default (`@default`).
    const assembly = JSON.parse(readFileSync(join(root, '.jsii'), 'utf8'));
    const undocumented = Object.entries<any>(assembly.types)
      .filter(([fqn, t]) => !fqn.startsWith(`${assembly.name}.imports.`) && t.kind === 'interface' && t.datatype)
      .flatMap(([fqn, t]) => (t.properties ?? []).filter((p: any) => p.optional && !p.docs?.default).map((p: any) => `${fqn}.${p.name}`));
    expect(undocumented).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);

const npm = (args: string[], cwd: string) => {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
};

test('the npm package installs into a fresh cdk8s app (offline, from local tarballs) and synthesizes there', () => {
  const dir = mkdtempSync(join(tmpdir(), 'consumer-'));
  try {
    const tgz = join(dir, 'tgz');
    const app = join(dir, 'app');
    mkdirSync(tgz);
    mkdirSync(app);
    npm(['pack', '--pack-destination', tgz], root);
    // The peer dependencies come from this repository's node_modules, packed the same way: no network needed.
    for (const dep of ['cdk8s', 'constructs', 'cdk8s-plus-28']) npm(['pack', join(root, 'node_modules', dep), '--pack-destination', tgz], root);
    const tarballs = readdirSync(tgz).map((f) => join(tgz, f));
    const ours = tarballs.find((f) => /cdk8s-middleware-[^/]*\.tgz$/.test(f))!;
    const listing = spawnSync('tar', ['tzf', ours], { encoding: 'utf8' }).stdout.split('\n');
    expect(listing).toEqual(expect.arrayContaining(['package/lib/index.js', 'package/lib/index.d.ts', 'package/.jsii', 'package/API.md', 'package/README.md']));
    expect(listing.filter((f) => /^package\/(\.tmp|\.ci|test|examples|scripts|src)\//.test(f))).toEqual([]);

    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    npm(['install', '--offline', '--ignore-scripts', ...tarballs], app);
    writeFileSync(join(app, 'main.js'), [
      "const { App, Chart } = require('cdk8s');",
      "const { RedisCluster } = require('cdk8s-middleware');",
      "const app = new App({ outdir: 'dist' });",
      "const chart = new Chart(app, 'shop', { namespace: 'shop' });",
      "const cache = new RedisCluster(chart, 'cache', { masters: 3, replicasPerMaster: 1 });",
      'app.synth();',
      'console.log(cache.host);',
    ].join('\n'));
    const run = spawnSync(process.execPath, ['main.js'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('cache.shop.svc');
    const objs = parseAllDocuments(readFileSync(join(app, 'dist', 'shop.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    expect(objs.map((o) => o.kind)).toEqual(expect.arrayContaining(['StatefulSet', 'Service', 'PrometheusRule', 'ServiceMonitor', 'Job']));
    expectValidManifests(objs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);
