import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AlertOverride, AlertRule, mergeAlerts, promDuration } from './alerts';
import { DashboardPanel, DashboardSpec, renderDashboard } from './dashboard';
import { checkRule } from '../core/validation';
import { GrafanaDashboard } from '../imports/grafana.integreatly.org';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr, ServiceMonitor } from '../imports/monitoring.coreos.com';

/** How the Grafana dashboard is delivered. */
export enum DashboardDelivery {
  /** A ConfigMap labelled for the Grafana sidecar (kube-prometheus-stack, grafana Helm chart). */
  CONFIG_MAP = 'configmap',
  /** A grafana-operator `GrafanaDashboard` (grafana.integreatly.org/v1beta1). */
  GRAFANA_OPERATOR = 'grafana-operator',
  /** No dashboard. */
  NONE = 'none',
}

/** Metrics, alerts and dashboards of one cluster (Prometheus Operator and Grafana). */
export interface MonitoringProps {
  /**
   * Create the exporter, ServiceMonitor, PrometheusRule and dashboard.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Scrape interval.
   * @default Duration.seconds(30)
   */
  readonly scrapeInterval?: Duration;
  /**
   * Extra labels on the ServiceMonitor and PrometheusRule, to match your Prometheus's
   * `serviceMonitorSelector` / `ruleSelector` (kube-prometheus-stack: `release: <helm release>`).
   * @default none
   */
  readonly selectorLabels?: { [key: string]: string };
  /**
   * Dashboard delivery.
   * @default DashboardDelivery.CONFIG_MAP
   */
  readonly dashboard?: DashboardDelivery;
  /**
   * Labels of the dashboard ConfigMap that the Grafana sidecar watches.
   * @default { grafana_dashboard: '1' }
   */
  readonly dashboardConfigMapLabels?: { [key: string]: string };
  /**
   * grafana-operator: labels of the Grafana instances that should load the dashboard.
   * @default { dashboards: 'grafana' }
   */
  readonly grafanaInstanceSelector?: { [key: string]: string };
  /**
   * grafana-operator: folder title.
   * @default 'Middleware'
   */
  readonly dashboardFolder?: string;
  /**
   * Changes to built-in alerts (severity, `for`, expression, or disable).
   * @default none
   */
  readonly alertOverrides?: AlertOverride[];
  /**
   * Your own alerts, added to the same PrometheusRule.
   * @default none
   */
  readonly extraAlerts?: AlertRule[];
  /**
   * Your own panels, added as a last dashboard row.
   * @default none
   */
  readonly extraPanels?: DashboardPanel[];
  /**
   * Base URL of runbooks; each alert links to `<base>#<alertname-lowercase>`.
   * @default the library's runbooks on GitHub
   */
  readonly runbookBaseUrl?: string;
}

/** The monitoring objects of one cluster, for escape hatches. */
export interface MonitoringObjects {
  readonly serviceMonitor: ApiObject;
  readonly prometheusRule: ApiObject;
  /** The dashboard ConfigMap or GrafanaDashboard (absent with DashboardDelivery.NONE). */
  readonly dashboard?: ApiObject;
  /** The alerts as rendered (after overrides), for tests and docs. */
  readonly alerts: AlertRule[];
  /** The dashboard JSON as rendered. */
  readonly dashboardJson: Record<string, unknown>;
}

export interface MonitoringOptions {
  /** Base name of the objects. */
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  /** Labels of the Service that exposes the metrics port. */
  readonly serviceSelector: Record<string, string>;
  readonly metricsPortName: string;
  /** Built-in alerts. */
  readonly alerts: AlertRule[];
  /** Rule group name, e.g. `redis.cache`. */
  readonly ruleGroup: string;
  readonly dashboard: DashboardSpec;
  /** Relabelings that copy pod labels (e.g. role) onto the series. */
  readonly podTargetLabels?: string[];
  /** HTTP path of the scrape (e.g. `/probe` for a probing exporter). @default /metrics */
  readonly metricsPath?: string;
  /** Query parameters of the scrape (e.g. module and target of a probing exporter). */
  readonly metricsParams?: Record<string, string[]>;
}

export const DEFAULT_RUNBOOK_BASE = 'https://github.com/cdk8s-middleware/cdk8s-middleware/blob/main/docs/runbooks.md';

/** Creates the ServiceMonitor, PrometheusRule and dashboard of one cluster. */
export function createMonitoring(scope: Construct, props: MonitoringProps | undefined, o: MonitoringOptions): MonitoringObjects | undefined {
  if (props?.enabled === false) return undefined;
  const parent = new Construct(scope, 'Monitoring');
  const interval = props?.scrapeInterval ?? Duration.seconds(30);
  const intervalSeconds = interval.toSeconds();
  checkRule(scope, intervalSeconds >= 5 && intervalSeconds <= 600, 'monitoring.scrapeInterval', `${intervalSeconds}s`, 'must be from 5s to 10m');
  const labels = { ...o.labels, ...(props?.selectorLabels ?? {}) };

  const serviceMonitor = new ServiceMonitor(parent, 'ServiceMonitor', {
    metadata: { name: o.name, labels },
    spec: {
      selector: { matchLabels: { ...o.serviceSelector } },
      namespaceSelector: o.namespace ? { matchNames: [o.namespace] } : undefined,
      podTargetLabels: o.podTargetLabels,
      endpoints: [{
        port: o.metricsPortName,
        path: o.metricsPath,
        params: o.metricsParams,
        interval: promDuration(interval),
        // A scrape must finish before the next one starts.
        scrapeTimeout: promDuration(Duration.seconds(Math.min(10, intervalSeconds))),
        honorLabels: false,
      }],
    },
  });

  const base = props?.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE;
  const alerts = mergeAlerts(scope, 'monitoring', o.alerts, props?.alertOverrides, props?.extraAlerts);
  const prometheusRule = new PrometheusRule(parent, 'PrometheusRule', {
    metadata: { name: o.name, labels },
    spec: {
      groups: [{
        name: o.ruleGroup,
        rules: alerts.map((a) => ({
          alert: a.name,
          expr: PrometheusRuleSpecGroupsRulesExpr.fromString(a.expr),
          for: a.for ? promDuration(a.for) : undefined,
          labels: { severity: a.severity, ...(a.labels ?? {}) },
          annotations: {
            summary: a.summary,
            description: a.description,
            runbook_url: a.runbookUrl ?? `${base}#${a.name.toLowerCase()}`,
          },
        })),
      }],
    },
  });

  const spec: DashboardSpec = props?.extraPanels?.length
    ? { ...o.dashboard, rows: [...o.dashboard.rows, { title: 'Custom', panels: props.extraPanels }] }
    : o.dashboard;
  const dashboardJson = renderDashboard(spec);
  // Compact: Grafana does not need the indentation, and it would double the size of every manifest.
  const json = JSON.stringify(dashboardJson);
  let dashboard: ApiObject | undefined;
  switch (props?.dashboard ?? DashboardDelivery.CONFIG_MAP) {
    case DashboardDelivery.CONFIG_MAP:
      dashboard = new k8s.KubeConfigMap(parent, 'Dashboard', {
        metadata: { name: `${o.name}-dashboard`, labels: { ...o.labels, ...(props?.dashboardConfigMapLabels ?? { grafana_dashboard: '1' }) } },
        data: { [`${o.dashboard.uid}.json`]: json },
      });
      break;
    case DashboardDelivery.GRAFANA_OPERATOR:
      dashboard = new GrafanaDashboard(parent, 'Dashboard', {
        metadata: { name: o.name, labels: o.labels },
        spec: {
          instanceSelector: { matchLabels: { ...(props?.grafanaInstanceSelector ?? { dashboards: 'grafana' }) } },
          folder: props?.dashboardFolder ?? 'Middleware',
          resyncPeriod: '10m',
          json,
        },
      });
      break;
    default:
      dashboard = undefined;
  }
  return { serviceMonitor, prometheusRule, dashboard, alerts, dashboardJson };
}
