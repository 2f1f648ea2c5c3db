/**
 * Property-based test: random props either raise the library's ValidationError (with a message naming the
 * construct path, the prop, the value and what is allowed) or produce manifests that pass the schema harness.
 * Never a TypeError, never an invalid object.
 */
import { Cron, Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AntiAffinityMode, Credentials, EvictionPolicy, RedisCluster, RedisClusterProps, RedisMode, RedisPersistence, RedisVersion,
} from '../../src';
import { expectValidOrRejected, optional, resourcesArb } from '../harness/properties';


const propsArb: fc.Arbitrary<RedisClusterProps> = fc.record({
  name: optional(fc.oneof(fc.constantFrom('cache', 'sessions', 'a', 'x'.repeat(40), 'x'.repeat(41), 'Bad_Name', '-x', 'ok-1'))),
  mode: optional(fc.constantFrom(RedisMode.CLUSTER, RedisMode.SENTINEL, RedisMode.STANDALONE)),
  version: optional(fc.constantFrom(RedisVersion.V7_2, RedisVersion.V6_2, RedisVersion.ofTag('7.4.1'), RedisVersion.ofTag('5.0.14'), RedisVersion.ofTag('latest'))),
  masters: optional(fc.integer({ min: -2, max: 110 })),
  replicasPerMaster: optional(fc.integer({ min: -1, max: 7 })),
  sentinels: optional(fc.integer({ min: 0, max: 11 })),
  resources: optional(resourcesArb(4000, 1, 8192)),
  maxmemoryPercent: optional(fc.integer({ min: 0, max: 100 })),
  evictionPolicy: optional(fc.constantFrom(...Object.values(EvictionPolicy))),
  persistence: optional(fc.constantFrom(...Object.values(RedisPersistence))),
  clientIdleTimeout: optional(fc.integer({ min: 0, max: 1000 }).map((s) => Duration.seconds(s))),
  clusterNodeTimeout: optional(fc.integer({ min: 0, max: 700_000 }).map((ms) => Duration.millis(ms))),
  config: optional(fc.dictionary(fc.constantFrom('hz', 'maxclients', 'requirepass', 'Bad Key', 'lazyfree-lazy-eviction', 'port'), fc.constantFrom('10', 'yes', '1000'))),
  password: optional(fc.oneof(
    fc.constant(Credentials.fromSecret('app-redis', 'pw')),
    fc.integer({ min: 4, max: 200 }).map((length) => Credentials.generate({ length })),
  )),
  storage: optional(fc.record({ size: optional(fc.integer({ min: 1, max: 100_000 }).map((m) => Size.mebibytes(m))) })),
  scheduling: optional(fc.record({
    antiAffinity: optional(fc.record({
      mode: optional(fc.constantFrom(AntiAffinityMode.REQUIRED, AntiAffinityMode.PREFERRED, AntiAffinityMode.NONE)),
      weight: optional(fc.integer({ min: -5, max: 120 })),
    })),
  })),
  backup: optional(fc.record({
    target: fc.record({
      endpoint: fc.constantFrom('http://minio.minio.svc:9000', 'https://s3.eu-west-1.amazonaws.com', 'not a url'),
      bucket: fc.constantFrom('redis-backups', 'B', 'ok.bucket'),
      credentialsSecret: fc.constantFrom('s3-creds', 'Bad_Secret'),
    }),
    schedule: optional(fc.constantFrom(Cron.schedule({ minute: '0', hour: '3' }), Cron.schedule({ minute: '0', hour: '25' }))),
    retentionDays: optional(fc.integer({ min: -1, max: 4000 })),
  })),
  restore: optional(fc.record({
    source: fc.constant({ endpoint: 'http://minio.minio.svc:9000', bucket: 'redis-backups', credentialsSecret: 's3-creds' }),
    backupId: fc.constantFrom('latest', '20261124T013000Z', 'yesterday'),
  })),
}, { requiredKeys: [] });

test('random props: a clear ValidationError or valid manifests', () => {
  expectValidOrRejected(propsArb, (chart, props) => new RedisCluster(chart, 'cache', props), { numRuns: 400, seed: 20261124, path: /^test\/cache: / });
});
