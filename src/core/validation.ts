import { IConstruct } from 'constructs';

/**
 * Thrown at synth time when a prop is invalid. The message names the construct path, the prop,
 * the offending value and what is allowed, so a pipeline log is enough to fix the input.
 */
export class ValidationError extends Error {
  constructor(
    public readonly constructPath: string,
    public readonly prop: string,
    public readonly value: string,
    public readonly allowed: string,
  ) {
    super(`${constructPath}: invalid ${prop} = ${value}: ${allowed}`);
    this.name = 'ValidationError';
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Throws a ValidationError for `prop` on `scope`. */
export function fail(scope: IConstruct, prop: string, value: unknown, allowed: string): never {
  throw new ValidationError(scope.node.path, prop, show(value), allowed);
}

/** An integer in [min, max] (max optional). */
export function checkInteger(scope: IConstruct, prop: string, value: number, min: number, max?: number): number {
  const ok = Number.isInteger(value) && value >= min && (max === undefined || value <= max);
  if (!ok) {
    fail(scope, prop, value, max === undefined ? `must be an integer >= ${min}` : `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** An optional boolean: plain JavaScript callers may pass anything. */
export function checkOptionalBoolean(scope: IConstruct, prop: string, value: boolean | undefined): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') fail(scope, prop, value, 'must be a boolean');
  return value;
}

/** A number in [min, max]. */
export function checkNumber(scope: IConstruct, prop: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail(scope, prop, value, `must be a number from ${min} to ${max}`);
  }
  return value;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label of at most `maxLength` characters (Kubernetes object names, derived names). */
export function checkDnsLabel(scope: IConstruct, prop: string, value: string, maxLength = 63): string {
  if (typeof value !== 'string' || value.length > maxLength || !DNS_LABEL.test(value)) {
    fail(scope, prop, value, `must be a DNS-1123 label of at most ${maxLength} characters (lowercase letters, digits and '-', starting and ending with a letter or digit)`);
  }
  return value;
}

/** One of a fixed set of values. */
export function checkOneOf<T>(scope: IConstruct, prop: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    fail(scope, prop, value, `must be one of ${allowed.map(show).join(', ')}`);
  }
  return value;
}

/**
 * A cross-prop rule: `ok` must hold. Rules live next to the construct they protect; this only
 * formats the error consistently.
 */
export function checkRule(scope: IConstruct, ok: boolean, prop: string, value: unknown, allowed: string): void {
  if (!ok) fail(scope, prop, value, allowed);
}

/** Metadata type of the warnings this library records on constructs. */
export const WARNING_METADATA = 'cdk8s-middleware:warning';

/**
 * Records a warning on `scope` (construct metadata, readable in tests and tools) and prints it once to stderr:
 * the input is allowed but risky, e.g. an even group size.
 */
export function warn(scope: IConstruct, prop: string, value: unknown, why: string): void {
  const message = `${scope.node.path}: ${prop} = ${show(value)}: ${why}`;
  scope.node.addMetadata(WARNING_METADATA, message);
  process.stderr.write(`warning: ${message}\n`);
}
