/**
 * Property-based test: random endpoints, states and versions either raise the library's ValidationError or give
 * schema-valid manifests in both charts in which at most one direction runs.
 */
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Credentials, CrossClusterRedisShake, DisasterRecoveryState, RedisCluster, RedisMode, RedisShakeEndpoint, RedisShakeVersion, ShardExposure,
} from '../../src';
import { ValidationError } from '../../src/core/validation';
import { expectProductionPolicy, expectValidManifests } from '../harness';

const cidrs = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(['10.0.0.0/8'], ['fd00::/8', '192.168.0.0/16'], ['10.1.0.0/16']) },
  { weight: 1, arbitrary: fc.constantFrom([], ['10.0.0.0/40']) },
);
// Mostly well-formed options of either exposure, with a bad value now and then.
const endpointOptions = fc.oneof(
  fc.record({
    exposure: fc.constantFrom(undefined, ShardExposure.NODE_PORT),
    reachableHost: fc.constantFrom('cluster.example', '192.0.2.7', 'cluster.example', '198.51.100.3', 'bad host'),
    nodePortBase: fc.constantFrom(undefined, 30000, 31379, 31000, 32700, 32767, 29999),
    peerCidrs: cidrs,
  }),
  fc.record({
    exposure: fc.constant(ShardExposure.LOAD_BALANCER),
    shardAddresses: fc.constantFrom(['a:6379', 'b:6379', 'c:6379'], ['a:6379'], ['a:6379'], ['a:6379', 'b:6379', 'c:6379', 'd:6379', 'e:6379'], ['a', 'b', 'c']),
    peerCidrs: cidrs,
  }),
);

test('random cross-cluster setups: a clear ValidationError or valid manifests with one direction at most', () => {
  let valid = 0;
  let rejected = 0;
  fc.assert(fc.property(
    fc.constantFrom(...Object.values(DisasterRecoveryState)),
    fc.constantFrom(RedisMode.CLUSTER, RedisMode.SENTINEL, RedisMode.STANDALONE),
    fc.constantFrom(RedisMode.CLUSTER, RedisMode.SENTINEL, RedisMode.STANDALONE),
    fc.constantFrom(3, 5),
    fc.boolean(),
    endpointOptions,
    endpointOptions,
    (state, sourceMode, targetMode, masters, v3, sourceOptions, targetOptions) => {
      const app = Testing.app();
      const a = new Chart(app, 'a', { namespace: 'x' });
      const b = new Chart(app, 'b', { namespace: 'x' });
      let objs: any[][];
      try {
        const ra = new RedisCluster(a, 'ra', { mode: sourceMode, masters: sourceMode === RedisMode.CLUSTER ? masters : undefined, password: Credentials.fromSecret('ra') });
        const rb = new RedisCluster(b, 'rb', { mode: targetMode, password: Credentials.fromSecret('rb') });
        new CrossClusterRedisShake(app, 'dr', {
          source: RedisShakeEndpoint.fromRedisCluster(ra, sourceOptions as any),
          target: RedisShakeEndpoint.fromRedisCluster(rb, targetOptions as any),
          state,
          version: v3 ? RedisShakeVersion.v3('registry.example/shake', '3.1.11') : undefined,
        });
        objs = [Testing.synth(a), Testing.synth(b)];
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        expect(e.message).toMatch(/^dr: invalid .+ = .+: .+/);
        rejected++;
        return;
      }
      objs.forEach(expectValidManifests);
      objs.forEach(expectProductionPolicy);
      const running = objs.flat().filter((o) => o.kind === 'Deployment' && o.spec.replicas > 0).map((o) => o.metadata.name.replace(/-\d+$/, ''));
      expect(new Set(running).size).toBeLessThanOrEqual(1);
      valid++;
    },
  ), { numRuns: 300, seed: 20261124 });
  expect(valid).toBeGreaterThan(10);
  expect(rejected).toBeGreaterThan(10);
});
