/**
 * kubectl against the test cluster, plus the waits the scenarios need. Every call goes through the real API server:
 * nothing here imitates Kubernetes.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface ClusterEnv {
  readonly kubeconfig: string;
  readonly kubectl: string;
}

export function clusterEnv(): ClusterEnv {
  const out = execFileSync('bash', [path.join(__dirname, '..', 'up', 'cluster.sh'), 'env'], { encoding: 'utf8' });
  const vars: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) vars[line.slice(0, i)] = line.slice(i + 1);
  }
  return { kubeconfig: vars.KUBECONFIG, kubectl: vars.KUBECTL };
}

export class KubeError extends Error {
  constructor(message: string, public readonly stdout: string, public readonly stderr: string) {
    super(message);
  }
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class Kube {
  constructor(private readonly env: ClusterEnv) {}

  /** Runs kubectl; returns its result without throwing. */
  public run(args: string[], input?: string, timeoutMs = 120_000): RunResult {
    const r = spawnSync(this.env.kubectl, ['--kubeconfig', this.env.kubeconfig, ...args], {
      input, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024,
    });
    return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
  }

  /** Runs kubectl; throws with its stderr when it fails. */
  public kubectl(args: string[], input?: string, timeoutMs = 120_000): string {
    const r = this.run(args, input, timeoutMs);
    if (r.code !== 0) {
      throw new KubeError(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr.trim().slice(0, 4000)}`, r.stdout, r.stderr);
    }
    return r.stdout;
  }

  public json(args: string[]): any {
    return JSON.parse(this.kubectl([...args, '-o', 'json']));
  }

  /** Server-side apply of a multi-document YAML, as a user of the library would run it. */
  public apply(yaml: string, opts: { dryRun?: boolean; fieldManager?: string } = {}): string {
    const args = ['apply', '--server-side', `--field-manager=${opts.fieldManager ?? 'cdk8s-middleware-e2e'}`, '-f', '-'];
    if (opts.dryRun) args.push('--dry-run=server');
    return this.kubectl(args, yaml, 300_000);
  }

  public ensureNamespace(ns: string, labels: Record<string, string> = {}): void {
    const doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns, ...labels } } };
    this.apply(JSON.stringify(doc));
  }

  /** An empty namespace for a scenario: whatever an earlier run left there is deleted first. */
  public freshNamespace(ns: string): void {
    this.deleteNamespace(ns);
    this.ensureNamespace(ns);
  }

  public deleteNamespace(ns: string): void {
    this.run(['delete', 'namespace', ns, '--wait=true', '--timeout=180s'], undefined, 200_000);
  }

  /** Polls until `check` returns a value other than undefined/false; throws with `describe()` on timeout. */
  public async waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined | false, describe?: () => string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    for (;;) {
      try {
        const v = check();
        if (v !== undefined && v !== false) return v as T;
      } catch (e) {
        if (e instanceof FatalWait) throw e;
        lastError = String((e as Error).message ?? e).slice(0, 2000);
      }
      if (Date.now() > deadline) {
        let detail = '';
        try { detail = describe ? describe() : ''; } catch (e) { detail = String(e); }
        throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}${lastError ? `; last error: ${lastError}` : ''}${detail ? `\n${detail}` : ''}`);
      }
      await sleep(2000);
    }
  }

  public pods(ns: string, selector?: string): any[] {
    const args = ['-n', ns, 'get', 'pods'];
    if (selector) args.push('-l', selector);
    return this.json(args).items;
  }

  /** Pods that are not Ready, with their container states and last events: what a failed wait prints. */
  public describePods(ns: string): string {
    const lines: string[] = [];
    for (const p of this.pods(ns)) {
      const ready = (p.status.conditions ?? []).find((c: any) => c.type === 'Ready')?.status;
      lines.push(`pod ${p.metadata.name} phase=${p.status.phase} ready=${ready} node=${p.spec.nodeName ?? '-'}`);
      for (const cs of [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])]) {
        const st = cs.state ?? {};
        const s = st.waiting ? `waiting ${st.waiting.reason}: ${st.waiting.message ?? ''}`
          : st.terminated ? `terminated ${st.terminated.reason} exit=${st.terminated.exitCode}`
            : st.running ? 'running' : JSON.stringify(st);
        lines.push(`  ${cs.name}: ${s} restarts=${cs.restartCount} ready=${cs.ready}`);
        if (cs.restartCount > 0 || st.waiting || (st.terminated && st.terminated.exitCode !== 0)) {
          const log = this.run(['-n', ns, 'logs', p.metadata.name, '-c', cs.name, '--tail=15', ...(cs.restartCount > 0 ? ['--previous'] : [])]);
          for (const l of log.stdout.trim().split('\n').filter(Boolean)) lines.push(`    | ${l}`);
        }
      }
    }
    const ev = this.run(['-n', ns, 'get', 'events', '--sort-by=.lastTimestamp', '-o',
      'custom-columns=TYPE:.type,REASON:.reason,OBJECT:.involvedObject.name,MESSAGE:.message']);
    const warnings = ev.stdout.split('\n').filter((l) => l.startsWith('Warning')).slice(-15);
    if (warnings.length) lines.push('events:', ...warnings.map((l) => `  ${l}`));
    return lines.join('\n');
  }

  public podReady(p: any): boolean {
    return (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
  }

  public async waitPodsReady(ns: string, selector: string, count: number, timeoutMs: number): Promise<any[]> {
    return this.waitFor(`${count} Ready pods (${selector}) in ${ns}`, timeoutMs, () => {
      const ps = this.pods(ns, selector).filter((p) => !p.metadata.deletionTimestamp);
      return ps.length === count && ps.every((p) => this.podReady(p)) ? ps : undefined;
    }, () => this.describePods(ns));
  }

  public async waitJobComplete(ns: string, job: string, timeoutMs: number): Promise<void> {
    await this.waitFor(`Job ${ns}/${job} to complete`, timeoutMs, () => {
      const j = this.json(['-n', ns, 'get', 'job', job]);
      const failed = (j.status?.conditions ?? []).find((c: any) => c.type === 'Failed' && c.status === 'True');
      if (failed) throw new FatalWait(`Job ${job} failed: ${failed.reason} ${failed.message ?? ''}\n${this.describePods(ns)}`);
      return (j.status?.conditions ?? []).some((c: any) => c.type === 'Complete' && c.status === 'True');
    }, () => this.describePods(ns));
  }

  /** Runs a command in a container; returns its result without throwing. */
  public exec(ns: string, pod: string, container: string, command: string[], input?: string, timeoutMs = 120_000): RunResult {
    return this.run(['-n', ns, 'exec', ...(input !== undefined ? ['-i'] : []), pod, '-c', container, '--', ...command], input, timeoutMs);
  }
}

/** An error a wait must not retry (a Job that failed will not complete later). */
export class FatalWait extends Error {}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function tmpFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-'));
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
}
