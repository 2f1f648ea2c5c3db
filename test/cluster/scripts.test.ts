/** The cluster tier's own scripts are held to the same shellcheck bar as the scripts the library generates. */
import { spawnSync } from 'child_process';
import { readdirSync, statSync } from 'fs';
import { basename, dirname, join, relative } from 'path';

const root = __dirname;
function shellScripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === '__pycache__' ? [] : shellScripts(p);
    return name.endsWith('.sh') ? [p] : [];
  });
}

test.each(shellScripts(root).map((p) => relative(root, p)))('shellcheck %s', (file) => {
  // From the script's folder, as the scripts' `source` directives are written.
  const r = spawnSync('shellcheck', ['-x', basename(file)], { cwd: join(root, dirname(file)), encoding: 'utf8' });
  expect(r.error).toBeUndefined();
  expect(r.stdout).toBe('');
  expect(r.status).toBe(0);
});
