/**
 * Production policy every synthesized workload must meet (the project's quality bar), checked on the manifests
 * themselves so it holds for every construct: pinned images, resources with request <= limit and a memory limit,
 * probes on long-running containers, no privilege escalation, non-root, and no literal secret in an env var. It also
 * runs the checks of what each container reads from its mounts (pod-files.ts): defined config placeholders, readable
 * files, private keys only in TLS servers, verifiable image users; emptyDir limits against what is written there
 * (volume-sizes.ts) and Recreate for single-version UIs (rollouts.ts).
 */
import { podFileViolations } from './pod-files';
import { rolloutViolations } from './rollouts';
import { volumeSizeViolations } from './volume-sizes';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12 };

/** A Kubernetes quantity as a number (cores or bytes). */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)(Ki|Mi|Gi|Ti|m|k|M|G|T)?$/.exec(q);
  if (!m) throw new Error(`not a quantity: ${q}`);
  const unit = m[2] ?? '';
  return Number(m[1]) * (BINARY[unit] ?? DECIMAL[unit]);
}

const SECRET_ENV = /PASSWORD|SECRET|TOKEN|ACCESS_KEY|AUTH/;
// Names, sizes and paths of secrets are not secrets.
const NOT_A_SECRET = /(_NAME|_LENGTH|_FILE|_JSON|_PATH)$/;

function podSpecs(o: any): { spec: any; longRunning: boolean }[] {
  switch (o.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
      return [{ spec: o.spec.template.spec, longRunning: true }];
    case 'Job':
      return [{ spec: o.spec.template.spec, longRunning: false }];
    case 'CronJob':
      return [{ spec: o.spec.jobTemplate.spec.template.spec, longRunning: false }];
    case 'Pod':
      return [{ spec: o.spec, longRunning: true }];
    default:
      return [];
  }
}

/** Policy violations of the workloads among `objs` (empty when all comply). */
export function policyViolations(objs: any[]): string[] {
  const out: string[] = [];
  for (const o of objs) {
    for (const { spec, longRunning } of podSpecs(o)) {
      const where = `${o.kind}/${o.metadata.name}`;
      const podNonRoot = spec.securityContext?.runAsNonRoot === true;
      const containers = [
        ...(spec.initContainers ?? []).map((c: any) => ({ c, init: true })),
        ...(spec.containers ?? []).map((c: any) => ({ c, init: false })),
      ];
      for (const { c, init } of containers) {
        const at = `${where} container ${c.name}`;
        const image: string = c.image ?? '';
        const tag = image.includes('@') ? 'digest' : image.slice(image.lastIndexOf('/') + 1).split(':')[1];
        if (!tag || tag === 'latest') out.push(`${at}: image ${image} is not pinned to a version`);
        const req = c.resources?.requests ?? {};
        const lim = c.resources?.limits ?? {};
        if (req.cpu === undefined || req.memory === undefined) out.push(`${at}: no cpu/memory requests`);
        if (lim.memory === undefined) out.push(`${at}: no memory limit`);
        for (const r of ['cpu', 'memory']) {
          if (req[r] !== undefined && lim[r] !== undefined && parseQuantity(req[r]) > parseQuantity(lim[r])) {
            out.push(`${at}: ${r} request ${req[r]} > limit ${lim[r]}`);
          }
        }
        if (longRunning && !init && (!c.livenessProbe || !c.readinessProbe)) out.push(`${at}: long-running container without liveness and readiness probes`);
        if (c.securityContext?.allowPrivilegeEscalation !== false) out.push(`${at}: allowPrivilegeEscalation is not false`);
        if (c.securityContext?.privileged) out.push(`${at}: privileged`);
        if (!podNonRoot && c.securityContext?.runAsNonRoot !== true) out.push(`${at}: may run as root (runAsNonRoot not set)`);
        for (const e of c.env ?? []) {
          if (SECRET_ENV.test(e.name) && !NOT_A_SECRET.test(e.name) && e.value !== undefined) out.push(`${at}: env ${e.name} has a literal value`);
        }
      }
    }
  }
  out.push(...podFileViolations(objs), ...volumeSizeViolations(objs), ...rolloutViolations(objs));
  return out;
}

/** Fails with every violation of the production policy. */
export function expectProductionPolicy(objs: any[]): void {
  const v = policyViolations(objs);
  if (v.length > 0) throw new Error(`production policy violations:\n  ${v.join('\n  ')}`);
}
