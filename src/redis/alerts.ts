import { Duration } from 'cdk8s';
import { AlertRule, AlertSeverity } from '../monitoring/alerts';

export interface RedisAlertOptions {
  /** PromQL label matchers selecting this instance's exporters, e.g. `job="cache-metrics",namespace="shop"`. */
  readonly selector: string;
  readonly mode: string;
  readonly masters: number;
  readonly replicasPerMaster: number;
  /** Number of Redis pods. */
  readonly pods: number;
  readonly instance: string;
  readonly aof: boolean;
  readonly rdb: boolean;
}

/**
 * Built-in alerts for one Redis instance (redis_exporter metrics). Thresholds come in pairs keyed by
 * severity where a slow drift deserves a warning before it becomes an outage.
 */
export function redisAlerts(o: RedisAlertOptions): AlertRule[] {
  const s = o.selector;
  const who = `Redis ${o.instance} pod {{ $labels.pod }}`;
  const alerts: AlertRule[] = [
    {
      name: 'RedisDown',
      expr: `redis_up{${s}} == 0`,
      for: Duration.minutes(1),
      severity: AlertSeverity.CRITICAL,
      summary: `${who} is down`,
      description: 'The exporter cannot reach Redis in its pod. Check the pod status, its redis container logs, and the volume (a full disk stops AOF writes).',
    },
    {
      name: 'RedisExporterScrapeFailing',
      expr: `up{${s}} == 0`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `Prometheus cannot scrape the exporter of ${who}`,
      description: 'The metrics endpoint does not answer: the pod is gone, the exporter crashed, or a NetworkPolicy blocks the monitoring namespace.',
    },
    {
      name: 'RedisInstancesMissing',
      expr: `count(redis_up{${s}} == 1) < ${o.pods} or absent(redis_up{${s}} == 1)`,
      for: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: `Redis ${o.instance} has fewer than ${o.pods} healthy pods`,
      description: 'Some Redis pods are not running or not scraped. Pending pods usually mean required anti-affinity found no free node: check `kubectl describe pod`.',
    },
    {
      name: 'RedisMemoryNearLimit',
      expr: `redis_memory_used_bytes{${s}} / (redis_memory_max_bytes{${s}} > 0) > 0.85`,
      for: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: `${who} uses {{ $value | humanizePercentage }} of maxmemory`,
      description: 'Memory is close to maxmemory. Raise the memory limit (maxmemory follows it), add shards, or review key TTLs before writes are rejected or keys are evicted.',
    },
    {
      name: 'RedisMemoryFull',
      expr: `redis_memory_used_bytes{${s}} / (redis_memory_max_bytes{${s}} > 0) > 0.95`,
      for: Duration.minutes(2),
      severity: AlertSeverity.CRITICAL,
      summary: `${who} is at {{ $value | humanizePercentage }} of maxmemory`,
      description: 'With the noeviction policy writes now fail with OOM errors; with an LRU/LFU policy keys are being evicted. Scale memory or shards now.',
    },
    {
      name: 'RedisRejectedConnections',
      expr: `increase(redis_rejected_connections_total{${s}}[5m]) > 0`,
      severity: AlertSeverity.WARNING,
      summary: `${who} rejected {{ $value }} connections in 5 minutes`,
      description: 'Redis refused clients because maxclients was reached. Look for connection leaks in clients or raise maxclients through config.',
    },
    {
      name: 'RedisTooManyConnections',
      expr: `redis_connected_clients{${s}} / (redis_config_maxclients{${s}} > 0) > 0.8`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `${who} uses {{ $value | humanizePercentage }} of maxclients`,
      description: 'Connections approach maxclients; new clients will soon be rejected.',
    },
    {
      name: 'RedisKeysEvicted',
      expr: `increase(redis_evicted_keys_total{${s}}[5m]) > 0`,
      severity: AlertSeverity.WARNING,
      summary: `${who} evicted {{ $value }} keys in 5 minutes`,
      description: 'Redis is evicting keys to stay under maxmemory. Expected for a cache; for a data store it means data loss: add memory.',
    },
  ];
  if (o.mode === 'cluster') {
    alerts.push(
      {
        name: 'RedisClusterStateNotOk',
        expr: `redis_cluster_state{${s}} == 0`,
        for: Duration.minutes(1),
        severity: AlertSeverity.CRITICAL,
        summary: `${who} reports cluster_state fail`,
        description: 'The node considers the cluster down: a shard lost its master and no replica took over, or the node is partitioned. Run `redis-cli cluster info` and `cluster nodes` in a pod.',
      },
      {
        name: 'RedisClusterSlotsNotCovered',
        expr: `redis_cluster_slots_ok{${s}} < 16384`,
        for: Duration.minutes(2),
        severity: AlertSeverity.CRITICAL,
        summary: `${who} sees only {{ $value }} of 16384 slots ok`,
        description: 'Some hash slots are unassigned or served by failed nodes, so keys in them are unavailable. If the cluster was never formed, check the cluster-init Job.',
      },
      {
        name: 'RedisClusterMastersMissing',
        expr: `count(redis_instance_info{${s},role="master"}) < ${o.masters}`,
        for: Duration.minutes(5),
        severity: AlertSeverity.CRITICAL,
        summary: `Redis ${o.instance} has fewer than ${o.masters} masters`,
        description: 'A shard has no reachable master. If its replica did not take over (majority of masters lost), follow the manual failover runbook.',
      },
    );
  }
  if (o.mode === 'sentinel') {
    alerts.push({
      name: 'RedisNotExactlyOneMaster',
      expr: `count(redis_instance_info{${s},role="master"}) != 1`,
      for: Duration.minutes(2),
      severity: AlertSeverity.CRITICAL,
      summary: `Redis ${o.instance} has {{ $value }} masters`,
      description: 'Sentinel mode must have exactly one master. Zero means writes fail; more than one is a split brain: check `SENTINEL masters` on each sentinel.',
    });
  }
  if (o.replicasPerMaster > 0) {
    alerts.push(
      {
        name: 'RedisMasterWithoutReplica',
        expr: `redis_connected_slaves{${s}} < ${o.replicasPerMaster} and on (namespace, pod) redis_instance_info{${s},role="master"}`,
        for: Duration.minutes(10),
        severity: AlertSeverity.WARNING,
        summary: `Master ${who} has {{ $value }} of ${o.replicasPerMaster} replicas`,
        description: 'A master lacks replicas, so the next failure of its pod loses data or availability. Check the follower pods and their replication logs.',
      },
      {
        name: 'RedisReplicationBroken',
        expr: `redis_master_link_up{${s}} == 0`,
        for: Duration.minutes(2),
        severity: AlertSeverity.CRITICAL,
        summary: `Replica ${who} lost its link to the master`,
        description: 'The replica cannot sync from its master (network, auth, or a full resync that keeps failing because of client-output-buffer limits).',
      },
    );
  }
  if (o.rdb) {
    alerts.push({
      name: 'RedisRdbSaveFailing',
      expr: `redis_rdb_last_bgsave_status{${s}} == 0`,
      for: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: `${who} failed its last RDB snapshot`,
      description: 'BGSAVE failed: usually a full volume or a fork failing under memory pressure. Redis may stop accepting writes (stop-writes-on-bgsave-error).',
    });
  }
  if (o.aof) {
    alerts.push({
      name: 'RedisAofWriteFailing',
      expr: `redis_aof_last_write_status{${s}} == 0 or redis_aof_last_bgrewrite_status{${s}} == 0`,
      for: Duration.minutes(2),
      severity: AlertSeverity.CRITICAL,
      summary: `${who} cannot write or rewrite its append-only file`,
      description: 'AOF writes or rewrites fail, usually because the volume is full. Writes are refused until it recovers; expand the PVC.',
    });
  }
  return alerts;
}
