import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkRule } from '../core/validation';

/** Alert severities, as the `severity` label Alertmanager routes on. */
export enum AlertSeverity {
  /** Someone must act now: data loss or an outage is happening or imminent. */
  CRITICAL = 'critical',
  /** Needs attention within working hours. */
  WARNING = 'warning',
  /** For dashboards and tickets, not pages. */
  INFO = 'info',
}

/** A Prometheus alerting rule. */
export interface AlertRule {
  /** Alert name (CamelCase by convention, e.g. `RedisDown`). */
  readonly name: string;
  /** PromQL expression; every series it returns fires. */
  readonly expr: string;
  /**
   * How long the expression must hold before the alert fires.
   * @default fires at once
   */
  readonly for?: Duration;
  /** Severity label. */
  readonly severity: AlertSeverity;
  /** One-line summary annotation (may use `{{ $labels.x }}` and `{{ $value }}`). */
  readonly summary: string;
  /** Description annotation: what it means and what to check first. */
  readonly description: string;
  /**
   * Runbook link.
   * @default the library's runbook for this alert
   */
  readonly runbookUrl?: string;
  /**
   * Extra labels.
   * @default none
   */
  readonly labels?: { [key: string]: string };
}

/** Changes to one built-in alert, by name. */
export interface AlertOverride {
  /** Name of the built-in alert. */
  readonly name: string;
  /**
   * Drop the alert.
   * @default false
   */
  readonly disabled?: boolean;
  /**
   * New severity.
   * @default unchanged
   */
  readonly severity?: AlertSeverity;
  /**
   * New `for` duration.
   * @default unchanged
   */
  readonly for?: Duration;
  /**
   * New expression (e.g. a different threshold).
   * @default unchanged
   */
  readonly expr?: string;
}

/**
 * Applies user overrides to the built-in alerts and appends the user's own. Overriding an alert that does
 * not exist is an error, so a renamed built-in alert cannot silently drop a user's change.
 */
export function mergeAlerts(
  scope: IConstruct,
  prop: string,
  builtIn: AlertRule[],
  overrides: AlertOverride[] | undefined,
  extra: AlertRule[] | undefined,
): AlertRule[] {
  const names = new Set(builtIn.map((a) => a.name));
  const byName = new Map<string, AlertOverride>();
  (overrides ?? []).forEach((o, i) => {
    checkRule(scope, names.has(o.name), `${prop}.alertOverrides[${i}].name`, o.name,
      `must name a built-in alert: ${[...names].join(', ')}`);
    byName.set(o.name, o);
  });
  const merged = builtIn
    .filter((a) => !byName.get(a.name)?.disabled)
    .map((a) => {
      const o = byName.get(a.name);
      return o ? { ...a, severity: o.severity ?? a.severity, for: o.for ?? a.for, expr: o.expr ?? a.expr } : a;
    });
  (extra ?? []).forEach((a, i) => {
    checkRule(scope, /^[A-Za-z_][A-Za-z0-9_]*$/.test(a.name), `${prop}.extraAlerts[${i}].name`, a.name,
      'must be a valid alert name (letters, digits and _)');
    checkRule(scope, !merged.some((m) => m.name === a.name), `${prop}.extraAlerts[${i}].name`, a.name,
      'must not repeat the name of another alert (override the built-in one instead)');
    checkRule(scope, a.expr.trim().length > 0, `${prop}.extraAlerts[${i}].expr`, a.expr, 'must be a PromQL expression');
    merged.push(a);
  });
  return merged;
}

/** Prometheus duration text for a cdk8s Duration ("90s" -> "90s", "5m", "1h"). */
export function promDuration(d: Duration): string {
  const s = d.toSeconds();
  if (s % 3600 === 0 && s > 0) return `${s / 3600}h`;
  if (s % 60 === 0 && s > 0) return `${s / 60}m`;
  return `${s}s`;
}
