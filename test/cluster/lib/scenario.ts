/**
 * Scenarios and their steps, timed and recorded for the JSON report. A scenario fails at its first failing step;
 * later steps of that scenario are not run (they depend on the earlier ones).
 */
import { Kube } from './kube';

export interface StepRecord {
  readonly name: string;
  readonly seconds: number;
  readonly ok: boolean;
  readonly error?: string;
}

export interface ScenarioRecord {
  readonly scenario: string;
  readonly description: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly steps: StepRecord[];
  /** What this scenario could not exercise on these machines, and why (e.g. no server binary in any registry). */
  readonly notes: string[];
}

export class ScenarioContext {
  public readonly steps: StepRecord[] = [];
  public readonly notes: string[] = [];
  constructor(public readonly kube: Kube, public readonly name: string) {}

  public async step<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const t0 = Date.now();
    log(`  [${this.name}] ${name}`);
    try {
      const v = await fn();
      this.steps.push({ name, seconds: (Date.now() - t0) / 1000, ok: true });
      return v;
    } catch (e) {
      const error = String((e as Error)?.stack ?? e);
      this.steps.push({ name, seconds: (Date.now() - t0) / 1000, ok: false, error });
      throw new StepFailed(name, error);
    }
  }

  /** Records something the scenario could not check here; it appears in the report and the output. */
  public note(text: string): void {
    this.notes.push(text);
    log(`  [${this.name}] note: ${text}`);
  }
}

export class StepFailed extends Error {
  constructor(public readonly step: string, public readonly detail: string) {
    super(`step "${step}" failed: ${detail}`);
  }
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  run(ctx: ScenarioContext): Promise<void>;
}

export function log(msg: string): void {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}
