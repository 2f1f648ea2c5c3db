import { spawnSync } from 'child_process';

/** Runs shellcheck (warnings and errors) on a generated script; `name` identifies it in the failure. */
export function shellcheckScript(script: string, name: string, shell: string = 'bash'): void {
  const r = spawnSync('shellcheck', ['-s', shell, '-S', 'warning', '-'], { input: script, encoding: 'utf8' });
  if (r.error) throw new Error(`shellcheck is not installed (Debian package shellcheck): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`shellcheck failed on ${name}:\n${r.stdout}${r.stderr}`);
}
