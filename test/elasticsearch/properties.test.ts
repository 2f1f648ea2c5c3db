/**
 * Property-based test: random props either raise the library's ValidationError (with a message naming the
 * construct path, the prop, the value and what is allowed) or produce manifests that pass the schema harness and
 * the production policy. Never a TypeError, never an invalid object.
 */
import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { ElasticsearchCluster, ElasticsearchClusterProps, ElasticsearchTls, ElasticsearchVersion, ElasticsearchWorkload } from '../../src';
import { expectValidOrRejected, optional } from '../harness/properties';

const tierArb = (maxReplicas: number) => fc.record({
  replicas: optional(fc.integer({ min: -1, max: maxReplicas })),
  resources: optional(fc.record({
    memory: optional(fc.record({ limit: optional(fc.integer({ min: 256, max: 70_000 }).map((m) => Size.mebibytes(m))) })),
    cpu: optional(fc.record({ request: optional(fc.integer({ min: 1, max: 4000 }).map(Cpu.millis)) })),
  })),
  heapSize: optional(fc.integer({ min: 64, max: 40_000 }).map((m) => Size.mebibytes(m))),
  storage: optional(fc.record({ size: optional(fc.integer({ min: 1, max: 2000 }).map((g) => Size.gibibytes(g))) })),
  config: optional(fc.dictionary(fc.constantFrom('thread_pool.write.queue_size', 'node.roles', 'indices.query.bool.max_clause_count', 'Bad Key'), fc.constantFrom('1000', 'x'))),
}, { requiredKeys: [] });

const day = (d: number) => Duration.days(d);

const propsArb: fc.Arbitrary<ElasticsearchClusterProps> = fc.record({
  name: optional(fc.constantFrom('logs', 'search', 'x'.repeat(40), 'Bad_Name', 'a')),
  version: optional(fc.constantFrom(ElasticsearchVersion.V8_19, ElasticsearchVersion.V7_17, ElasticsearchVersion.ofTag('8.18.3'), ElasticsearchVersion.ofTag('6.8.23'))),
  masters: optional(fc.record({ enabled: optional(fc.boolean()), replicas: optional(fc.constantFrom(1, 3, 4, 5)) }, { requiredKeys: [] })),
  hot: optional(tierArb(55)),
  warm: optional(tierArb(55)),
  cold: optional(tierArb(55)),
  coordinating: optional(tierArb(25)),
  kibana: optional(fc.constant({})),
  zoneAwareness: optional(fc.record({
    zones: fc.constantFrom(['a', 'b'], ['zone-a', 'zone-b', 'zone-c'], ['a'], ['A', 'b']),
    force: optional(fc.boolean()),
  }, { requiredKeys: ['zones'] })),
  tls: optional(fc.constantFrom(ElasticsearchTls.selfSigned(), ElasticsearchTls.fromIssuer('corp-ca'), ElasticsearchTls.fromSecrets('es-http', 'es-transport'))),
  ilmPolicies: optional(fc.array(fc.record({
    name: fc.constantFrom('logs', 'metrics', 'Bad'),
    hot: optional(fc.record({
      rollover: optional(fc.record({ maxAge: optional(fc.integer({ min: 0, max: 30 }).map(day)) }, { requiredKeys: [] })),
    }, { requiredKeys: [] })),
    warm: optional(fc.record({ minAge: fc.integer({ min: 0, max: 60 }).map(day) })),
    cold: optional(fc.record({ minAge: fc.integer({ min: 0, max: 60 }).map(day) })),
    delete: optional(fc.record({ minAge: fc.integer({ min: 0, max: 400 }).map(day) })),
  }, { requiredKeys: ['name'] }), { maxLength: 2 })),
  indexTemplates: optional(fc.array(fc.record({
    name: fc.constantFrom('app', 'audit'),
    indexPatterns: fc.constantFrom(['app-*'], ['audit-*'], []),
    ilmPolicy: optional(fc.constantFrom('logs', 'nope')),
    dataStream: optional(fc.boolean()),
    replicas: optional(fc.integer({ min: -1, max: 3 })),
  }, { requiredKeys: ['name', 'indexPatterns'] }), { maxLength: 2 })),
  snapshots: optional(fc.record({
    repository: fc.constantFrom(
      { bucket: 'es-snapshots', endpoint: 'http://minio.minio.svc:9000', credentialsSecret: 's3' },
      { bucket: 'B', credentialsSecret: 's3' },
    ),
    schedule: optional(fc.constantFrom('0 30 1 * * ?', '0 1 * * *')),
  }, { requiredKeys: ['repository'] })),
  restore: optional(fc.record({
    repository: fc.constant({ bucket: 'old', credentialsSecret: 's3' }),
    snapshot: fc.constantFrom('latest', 'snap-2026.11.01', 'Bad Snap'),
  })),
  capacity: optional(fc.record({
    sourceData: fc.integer({ min: 1, max: 5000 }).map((g) => Size.gibibytes(g)),
    replicas: optional(fc.integer({ min: -1, max: 3 })),
    workload: optional(fc.constantFrom(...Object.values(ElasticsearchWorkload))),
  }, { requiredKeys: ['sourceData'] })),
  allowMmap: optional(fc.boolean()),
}, { requiredKeys: [] });

test('random props: a clear ValidationError or valid manifests', () => {
  expectValidOrRejected(propsArb, (chart, props) => new ElasticsearchCluster(chart, 'es', props), { numRuns: 300, seed: 20261125, path: /^test\/es: /, minEach: 15 });
});
