/**
 * API.md is generated from the jsii assembly: the library must compile under jsii (its public API rules), and
 * the committed API.md must be what jsii-docgen produces now. Regenerate with `npx projen docgen` after
 * `npx projen compile`.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

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
