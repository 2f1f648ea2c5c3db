import { Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { fail } from './validation';

/** CPU amount in millicores, from a cdk8s-plus `Cpu` ("500m", "2", "1.5"). */
export function cpuMillis(cpu: Cpu): number {
  const amount = cpu.amount;
  return amount.endsWith('m') ? Number(amount.slice(0, -1)) : Number(amount) * 1000;
}

/** Memory in bytes from a cdk8s `Size`. */
export function sizeBytes(size: Size): number {
  return size.toKibibytes() * 1024;
}

/** Kubernetes quantity for a Size, in the largest whole binary unit. */
export function sizeQuantity(size: Size): string {
  const kib = size.toKibibytes();
  const units: [string, number][] = [['Ti', 1024 ** 3], ['Gi', 1024 ** 2], ['Mi', 1024], ['Ki', 1]];
  for (const [suffix, factor] of units) {
    if (kib % factor === 0) return `${kib / factor}${suffix}`;
  }
  return `${Math.ceil(kib)}Ki`;
}

/** Resources with every field set (defaults merged), as the engines need them. */
export interface ResolvedResources {
  readonly cpuRequest: Cpu;
  readonly cpuLimit?: Cpu;
  readonly memoryRequest: Size;
  readonly memoryLimit: Size;
}

/**
 * Merges user resources over per-engine defaults and enforces request <= limit.
 * A memory limit is always set: databases size their caches from it.
 */
export function resolveResources(
  scope: IConstruct,
  prop: string,
  user: ContainerResources | undefined,
  defaults: ResolvedResources,
): ResolvedResources {
  const cpuRequest = user?.cpu?.request ?? defaults.cpuRequest;
  const cpuLimit = user?.cpu?.limit ?? (user?.cpu?.request ? undefined : defaults.cpuLimit);
  const memoryLimit = user?.memory?.limit ?? defaults.memoryLimit;
  // A user who raises only the limit keeps request == limit (Guaranteed QoS), the safe default for data pods.
  const memoryRequest = user?.memory?.request ?? (user?.memory?.limit ? memoryLimit : defaults.memoryRequest);

  if (cpuMillis(cpuRequest) <= 0 || !Number.isFinite(cpuMillis(cpuRequest))) {
    fail(scope, `${prop}.cpu.request`, cpuRequest.amount, 'must be a positive CPU amount');
  }
  if (cpuLimit && cpuMillis(cpuRequest) > cpuMillis(cpuLimit)) {
    fail(scope, `${prop}.cpu.request`, cpuRequest.amount, `must be <= the CPU limit (${cpuLimit.amount})`);
  }
  if (sizeBytes(memoryLimit) < 16 * 1024 * 1024) {
    fail(scope, `${prop}.memory.limit`, sizeQuantity(memoryLimit), 'must be at least 16Mi');
  }
  if (sizeBytes(memoryRequest) > sizeBytes(memoryLimit)) {
    fail(scope, `${prop}.memory.request`, sizeQuantity(memoryRequest), `must be <= the memory limit (${sizeQuantity(memoryLimit)})`);
  }
  if (sizeBytes(memoryRequest) <= 0) {
    fail(scope, `${prop}.memory.request`, sizeQuantity(memoryRequest), 'must be positive');
  }
  return { cpuRequest, cpuLimit, memoryRequest, memoryLimit };
}

/** The container `resources` block. */
export function renderResources(r: ResolvedResources): k8s.ResourceRequirements {
  const limits: Record<string, k8s.Quantity> = { memory: k8s.Quantity.fromString(sizeQuantity(r.memoryLimit)) };
  if (r.cpuLimit) limits.cpu = k8s.Quantity.fromString(r.cpuLimit.amount);
  return {
    requests: {
      cpu: k8s.Quantity.fromString(r.cpuRequest.amount),
      memory: k8s.Quantity.fromString(sizeQuantity(r.memoryRequest)),
    },
    limits,
  };
}

/** Small fixed resources for helper containers (exporters, jobs). */
export function fixedResources(cpuRequestMillis: number, cpuLimitMillis: number, memRequestMi: number, memLimitMi: number): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(`${cpuRequestMillis}m`), memory: k8s.Quantity.fromString(`${memRequestMi}Mi`) },
    limits: { cpu: k8s.Quantity.fromString(`${cpuLimitMillis}m`), memory: k8s.Quantity.fromString(`${memLimitMi}Mi`) },
  };
}
