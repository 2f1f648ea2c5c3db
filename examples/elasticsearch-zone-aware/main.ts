/**
 * A search cluster spread over three availability zones: 3 dedicated masters (one per zone), 3 hot, 3 warm and 3 cold
 * nodes, one StatefulSet per tier and zone pinned to its zone. Every node carries `node.attr.zone`, and shard
 * allocation awareness keeps a primary and its replica in different zones; with forced awareness, losing a zone does
 * not overload the two others with re-created copies (the cluster stays yellow until the zone is back).
 *
 * Data moves hot -> warm after 2 days (force-merged, shrunk to one shard) -> cold after 14 days -> deleted after 90.
 *
 * Prerequisites: cert-manager, the Prometheus Operator, nodes labelled topology.kubernetes.io/zone=eu-1a|eu-1b|eu-1c,
 * `vm.max_map_count >= 262144` on the nodes.
 */
import { App, Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ElasticsearchCluster, ElasticsearchWorkload } from '../../src';

export class ZoneAwareSearchChart extends Chart {
  public readonly elasticsearch: ElasticsearchCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'search', ...props });
    this.elasticsearch = new ElasticsearchCluster(this, 'catalog', {
      zoneAwareness: { zones: ['eu-1a', 'eu-1b', 'eu-1c'], force: true },
      // 12 nodes: the reference allows at most CPU x 5 nodes, so the data nodes get 4 CPUs.
      hot: { replicas: 3, resources: { cpu: { request: Cpu.units(2), limit: Cpu.units(4) } }, storage: { size: Size.gibibytes(100) } },
      // General workload: at most memory x 30 of disk per node, so the bigger disks get more memory.
      warm: { replicas: 3, resources: { memory: { limit: Size.gibibytes(12) } }, storage: { size: Size.gibibytes(300) } },
      cold: { replicas: 3, resources: { memory: { limit: Size.gibibytes(12) } }, storage: { size: Size.gibibytes(300) } },
      ilmPolicies: [{
        name: 'catalog-events',
        hot: { rollover: { maxPrimaryShardSize: Size.gibibytes(20), maxAge: Duration.days(1) } },
        warm: { minAge: Duration.days(2), shrinkToShards: 1, forceMergeSegments: 1 },
        cold: { minAge: Duration.days(14) },
        delete: { minAge: Duration.days(90) },
      }],
      indexTemplates: [{ name: 'catalog-events', indexPatterns: ['catalog-events-*'], ilmPolicy: 'catalog-events', shards: 3, replicas: 1 }],
      capacity: { sourceData: Size.gibibytes(150), replicas: 1, workload: ElasticsearchWorkload.GENERAL },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new ZoneAwareSearchChart(app, 'elasticsearch-zone-aware');
  app.synth();
}
