import { DashboardRow, DashboardSpec, PanelKind } from '../monitoring/dashboard';

export interface MysqlDashboardOptions {
  readonly uid: string;
  readonly title: string;
  readonly job: string;
  readonly namespace?: string;
  readonly topology: string;
}

const SEL = 'namespace="$namespace",job="$job"';
const REPL = `${SEL},channel_name!~"group_replication_.*"`;

/** The MySQL dashboard: overview, throughput, connections, InnoDB, replication or group members. */
export function mysqlDashboard(o: MysqlDashboardOptions): DashboardSpec {
  const rate = (m: string, extra = '') => `rate(${m}{${SEL}${extra}}[$__rate_interval])`;
  const rows: DashboardRow[] = [
    {
      title: 'Overview',
      panels: [
        { title: 'Servers up', kind: PanelKind.STAT, queries: [{ expr: `count(mysql_up{${SEL}} == 1)` }] },
        { title: 'Writable servers', kind: PanelKind.STAT, queries: [{ expr: `count(mysql_global_variables_read_only{${SEL}} == 0)` }] },
        { title: 'QPS', kind: PanelKind.STAT, unit: 'ops', queries: [{ expr: `sum(${rate('mysql_global_status_queries')})` }] },
        { title: 'Connections', kind: PanelKind.STAT, queries: [{ expr: `sum(mysql_global_status_threads_connected{${SEL}})` }] },
        { title: 'Lowest uptime', kind: PanelKind.STAT, unit: 's', queries: [{ expr: `min(mysql_global_status_uptime{${SEL}})` }] },
        { title: 'Slow queries/s', kind: PanelKind.STAT, unit: 'ops', queries: [{ expr: `sum(${rate('mysql_global_status_slow_queries')})` }] },
      ],
    },
    {
      title: 'Throughput',
      panels: [
        { title: 'Queries per second (QPS)', unit: 'ops', queries: [{ expr: `sum by (pod) (${rate('mysql_global_status_queries')})`, legend: '{{pod}}' }] },
        {
          title: 'Transactions per second (TPS)',
          unit: 'ops',
          queries: [{ expr: `sum by (pod) (${rate('mysql_global_status_commands_total', ',command=~"commit|rollback"')})`, legend: '{{pod}}' }],
        },
        { title: 'Top commands', unit: 'ops', queries: [{ expr: `topk(10, sum by (command) (${rate('mysql_global_status_commands_total')}))`, legend: '{{command}}' }] },
        { title: 'InnoDB row operations', unit: 'ops', queries: [{ expr: `sum by (operation) (${rate('mysql_global_status_innodb_row_ops_total')})`, legend: '{{operation}}' }] },
        { title: 'Slow queries per second', unit: 'ops', queries: [{ expr: `sum by (pod) (${rate('mysql_global_status_slow_queries')})`, legend: '{{pod}}' }] },
        {
          title: 'Network',
          unit: 'Bps',
          queries: [
            { expr: `sum by (pod) (${rate('mysql_global_status_bytes_received')})`, legend: '{{pod}} in' },
            { expr: `sum by (pod) (${rate('mysql_global_status_bytes_sent')})`, legend: '{{pod}} out' },
          ],
        },
      ],
    },
    {
      title: 'Connections',
      panels: [
        {
          title: 'Connected threads',
          queries: [
            { expr: `mysql_global_status_threads_connected{${SEL}}`, legend: '{{pod}}' },
            { expr: `max(mysql_global_variables_max_connections{${SEL}})`, legend: 'max_connections' },
          ],
        },
        { title: 'Running threads', queries: [{ expr: `mysql_global_status_threads_running{${SEL}}`, legend: '{{pod}}' }] },
        { title: 'Aborted connects per second', unit: 'ops', queries: [{ expr: `sum by (pod) (${rate('mysql_global_status_aborted_connects')})`, legend: '{{pod}}' }] },
      ],
    },
    {
      title: 'InnoDB buffer pool',
      panels: [
        { title: 'Buffer pool pages', queries: [{ expr: `sum by (state) (mysql_global_status_buffer_pool_pages{${SEL}})`, legend: '{{state}}' }] },
        {
          title: 'Buffer pool hit ratio',
          unit: 'percentunit',
          queries: [{
            expr: `1 - sum by (pod) (${rate('mysql_global_status_innodb_buffer_pool_reads')}) / (sum by (pod) (${rate('mysql_global_status_innodb_buffer_pool_read_requests')}) > 0)`,
            legend: '{{pod}}',
          }],
        },
        { title: 'Buffer pool size', unit: 'bytes', queries: [{ expr: `mysql_global_variables_innodb_buffer_pool_size{${SEL}}`, legend: '{{pod}}' }] },
      ],
    },
  ];
  if (o.topology === 'replication') {
    rows.push({
      title: 'Replication',
      panels: [
        {
          title: 'Replication delay',
          unit: 's',
          queries: [{ expr: `mysql_slave_status_seconds_behind_source{${REPL}} or mysql_slave_status_seconds_behind_master{${REPL}}`, legend: '{{pod}}' }],
        },
        {
          title: 'Replication threads running (IO + SQL)',
          queries: [{
            expr: `(mysql_slave_status_replica_io_running{${REPL}} or mysql_slave_status_slave_io_running{${REPL}}) + on (pod) (mysql_slave_status_replica_sql_running{${REPL}} or mysql_slave_status_slave_sql_running{${REPL}})`,
            legend: '{{pod}}',
          }],
        },
      ],
    });
  }
  if (o.topology === 'group-replication') {
    rows.push({
      title: 'Group replication',
      panels: [
        {
          title: 'Members by state',
          queries: [{ expr: `count by (member_state) (max by (member_host, member_state) (mysql_perf_schema_replication_group_member_info{${SEL}}))`, legend: '{{member_state}}' }],
        },
        {
          title: 'Members by role',
          queries: [{ expr: `count by (member_role) (max by (member_host, member_role) (mysql_perf_schema_replication_group_member_info{${SEL},member_state="ONLINE"}))`, legend: '{{member_role}}' }],
        },
      ],
    });
  }
  return {
    uid: o.uid,
    title: o.title,
    tags: ['mysql', 'cdk8s-middleware'],
    variableMetric: 'mysql_up',
    defaultJob: o.job,
    defaultNamespace: o.namespace,
    rows,
  };
}
