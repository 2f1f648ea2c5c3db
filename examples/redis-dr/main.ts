/**
 * Redis disaster recovery between two Kubernetes clusters, as in the reference procedure: redis-a (cluster A)
 * serves and is synced to redis-b (cluster B) by one RedisShake per shard; after a loss of cluster A, redis-b
 * serves; when A is back, the recovery group copies B's data back; then normal again.
 *
 * One chart per Kubernetes cluster. `cdk8s synth` writes dist/<state>/cluster-a.k8s.yaml and cluster-b.k8s.yaml
 * for each disaster-recovery state; apply the pair of the state you are in, cluster A's file to cluster A and
 * cluster B's file to cluster B.
 */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Credentials, CrossClusterRedisShake, DisasterRecoveryState, RedisCluster, RedisShakeEndpoint } from '../../src';

export class RedisClusterChart extends Chart {
  public readonly redis: RedisCluster;

  constructor(scope: Construct, id: string, name: string) {
    super(scope, id, { namespace: 'cache' });
    this.redis = new RedisCluster(this, name, {
      masters: 3,
      replicasPerMaster: 1,
      // The same Secret exists in both clusters (e.g. from your secrets manager), so each side's RedisShake can
      // authenticate to the other side's Redis.
      password: Credentials.fromSecret(`${name}-auth`),
    });
  }
}

/** Both clusters' charts for one disaster-recovery state. */
export function drApp(app: App, state: DisasterRecoveryState) {
  const a = new RedisClusterChart(app, 'cluster-a', 'redis-a');
  const b = new RedisClusterChart(app, 'cluster-b', 'redis-b');
  const shake = new CrossClusterRedisShake(app, 'redis-shake', {
    source: RedisShakeEndpoint.fromRedisCluster(a.redis, { reachableHost: 'cluster-a.example.internal', peerCidrs: ['10.20.0.0/16'] }),
    target: RedisShakeEndpoint.fromRedisCluster(b.redis, { reachableHost: 'cluster-b.example.internal', peerCidrs: ['10.10.0.0/16'] }),
    state,
  });
  return { a, b, shake };
}

if (require.main === module) {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  for (const state of Object.values(DisasterRecoveryState)) {
    const app = new App({ outdir: `${outdir}/${state}` });
    drApp(app, state);
    app.synth();
  }
}
