/**
 * Property-based test: random props either raise the library's ValidationError (naming the construct path, the prop,
 * the value and what is allowed) or produce manifests that pass the schema harness and the production policy.
 * Never a TypeError, never an invalid object.
 */
import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AntiAffinityMode, Credentials, KafkaAuthentication, KafkaCluster, KafkaClusterProps, KafkaExternalAccessType, CertificateIssuerKind, KafkaTopology,
  KafkaVersion,
} from '../../src';
import { expectValidOrRejected, optional, resourcesArb } from '../harness/properties';

const propsArb: fc.Arbitrary<KafkaClusterProps> = fc.record({
  name: optional(fc.constantFrom('events', 'a', 'x'.repeat(40), 'x'.repeat(41), 'Bad_Name')),
  version: optional(fc.constantFrom(KafkaVersion.V4_4, KafkaVersion.V4_3, KafkaVersion.V4_1, KafkaVersion.V3_9, KafkaVersion.ofTag('4.0.0'), KafkaVersion.ofTag('3.8.1'), KafkaVersion.ofTag('latest'))),
  topology: optional(fc.constantFrom(KafkaTopology.DEDICATED_CONTROLLERS, KafkaTopology.COMBINED)),
  brokers: optional(fc.integer({ min: -1, max: 8 })),
  controllers: optional(fc.integer({ min: 0, max: 6 })),
  defaultReplicationFactor: optional(fc.integer({ min: 0, max: 5 })),
  minInsyncReplicas: optional(fc.integer({ min: 0, max: 4 })),
  numPartitions: optional(fc.integer({ min: 0, max: 64 })),
  retention: optional(fc.integer({ min: 0, max: 1000 }).map((h) => Duration.hours(h))),
  messageMaxBytes: optional(fc.integer({ min: 0, max: 64 }).map((m) => Size.mebibytes(m))),
  heapPercent: optional(fc.integer({ min: 10, max: 90 })),
  brokerResources: optional(resourcesArb(4000, 64, 8192)),
  config: optional(fc.dictionary(fc.constantFrom('num.io.threads', 'log.segment.bytes', 'node.id', 'Bad Key', 'listeners'), fc.constantFrom('8', '536870912', 'x'))),
  authentication: optional(fc.constantFrom(KafkaAuthentication.NONE, KafkaAuthentication.SCRAM_SHA_512)),
  users: optional(fc.array(fc.record({
    name: fc.constantFrom('app', 'reports', 'admin', 'bad name'),
    password: optional(fc.constant(Credentials.fromSecret('app-kafka', 'pw'))),
  }), { maxLength: 2 })),
  tls: optional(fc.oneof(
    fc.constant({ issuerName: 'ca', issuerKind: CertificateIssuerKind.CLUSTER_ISSUER }), fc.constant({ secretName: 'certs' }), fc.constant({ issuerKind: CertificateIssuerKind.ISSUER }),
  )),
  external: optional(fc.record({
    type: fc.constantFrom(KafkaExternalAccessType.NODE_PORT, KafkaExternalAccessType.LOAD_BALANCER),
    advertisedHosts: fc.constantFrom(['k.example.com'], ['a.example.com', 'b.example.com', 'c.example.com'], ['not a host']),
    ports: optional(fc.constantFrom([31000, 31001, 31002], [31000, 31000, 31001], [9094, 9095, 9096])),
  })),
  rackAwareness: optional(fc.constant({})),
  topics: optional(fc.array(fc.record({
    name: fc.constantFrom('orders', 'payments', 'bad topic', '__internal'),
    partitions: optional(fc.integer({ min: 0, max: 24 })),
    replicationFactor: optional(fc.integer({ min: 0, max: 5 })),
    config: optional(fc.dictionary(fc.constantFrom('retention.ms', 'cleanup.policy', 'min.insync.replicas'), fc.constantFrom('1000', 'compact', '2', 'a b'))),
  }), { maxLength: 3 })),
  ui: optional(fc.record({ readOnly: optional(fc.boolean()) })),
  scheduling: optional(fc.record({
    antiAffinity: optional(fc.record({
      mode: optional(fc.constantFrom(AntiAffinityMode.REQUIRED, AntiAffinityMode.PREFERRED, AntiAffinityMode.NONE)),
    })),
  })),
  monitoring: optional(fc.record({ enabled: optional(fc.boolean()) })),
}, { requiredKeys: [] });

test('random props: a clear ValidationError or valid manifests', () => {
  expectValidOrRejected(propsArb, (chart, props) => new KafkaCluster(chart, 'events', props), { numRuns: 250, seed: 20261125, path: /^test\/events: / });
});
