/**
 * A small builder for Grafana dashboard JSON. Dashboards are data, so a few typed structs are clearer than
 * a generic SDK here, and they keep the JSON stable for snapshot tests.
 */

/** One PromQL query of a panel. */
export interface DashboardQuery {
  /** PromQL; may use the dashboard variables `$namespace` and `$job`, and `$__rate_interval`. */
  readonly expr: string;
  /**
   * Legend template, e.g. `{{pod}}`.
   * @default the series labels
   */
  readonly legend?: string;
}

/** Panel kinds. */
export enum PanelKind {
  /** A graph over time. */
  TIMESERIES = 'timeseries',
  /** A single number. */
  STAT = 'stat',
}

/** One dashboard panel. */
export interface DashboardPanel {
  /** Title. */
  readonly title: string;
  /** Queries. */
  readonly queries: DashboardQuery[];
  /**
   * Grafana unit id (`bytes`, `percentunit`, `s`, `ops`, `short`, ...).
   * @default 'short'
   */
  readonly unit?: string;
  /**
   * Panel kind.
   * @default PanelKind.TIMESERIES
   */
  readonly kind?: PanelKind;
  /**
   * Help text shown on the panel.
   * @default none
   */
  readonly description?: string;
  /**
   * Width in grid units (of 24).
   * @default 8 for time series, 4 for stats
   */
  readonly width?: number;
}

/** A titled row of panels. */
export interface DashboardRow {
  readonly title: string;
  readonly panels: DashboardPanel[];
}

/** Everything a dashboard needs. */
export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly tags: string[];
  /** A metric every target exports, used to list `namespace` and `job` values. */
  readonly variableMetric: string;
  /** The job this dashboard opens on. */
  readonly defaultJob: string;
  readonly defaultNamespace?: string;
  readonly rows: DashboardRow[];
}

/** Renders Grafana dashboard JSON (schemaVersion 39). */
export function renderDashboard(spec: DashboardSpec): Record<string, unknown> {
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const kind = p.kind ?? PanelKind.TIMESERIES;
      const w = p.width ?? (kind === PanelKind.STAT ? 4 : 8);
      const h = kind === PanelKind.STAT ? 4 : 8;
      if (x + w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      panels.push({
        id: id++,
        type: kind,
        title: p.title,
        description: p.description,
        datasource: { type: 'prometheus', uid: '${datasource}' },
        gridPos: { h, w, x, y },
        fieldConfig: { defaults: { unit: p.unit ?? 'short' }, overrides: [] },
        options: kind === PanelKind.STAT
          ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area' }
          : { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
        targets: p.queries.map((q, i) => ({
          refId: String.fromCharCode(65 + i),
          datasource: { type: 'prometheus', uid: '${datasource}' },
          expr: q.expr,
          legendFormat: q.legend ?? '__auto',
          range: true,
        })),
      });
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  const variable = (name: string, label: string, query: string, current?: string) => ({
    name,
    label,
    type: 'query',
    datasource: { type: 'prometheus', uid: '${datasource}' },
    query: { query, refId: `${name}-var` },
    definition: query,
    refresh: 2,
    sort: 1,
    includeAll: false,
    multi: false,
    current: current ? { text: current, value: current, selected: true } : {},
  });
  return {
    uid: spec.uid,
    title: spec.title,
    tags: spec.tags,
    editable: true,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    timezone: 'browser',
    graphTooltip: 1,
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
        variable('namespace', 'Namespace', `label_values(${spec.variableMetric}, namespace)`, spec.defaultNamespace),
        variable('job', 'Cluster', `label_values(${spec.variableMetric}{namespace="$namespace"}, job)`, spec.defaultJob),
      ],
    },
    annotations: { list: [] },
    panels,
  };
}
