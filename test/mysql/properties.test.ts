/**
 * Property-based test: random MysqlCluster props either raise the library's ValidationError (naming the construct
 * path, the prop, the value and what is allowed) or produce manifests that pass the schema harness and the
 * production policy. Never a TypeError, never an invalid object.
 */
import { Cron, Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AntiAffinityMode, BinlogFormat, Credentials, MysqlBackupMethod, MysqlCluster, MysqlClusterProps, MysqlTopology, MysqlVersion,
} from '../../src';
import { expectValidOrRejected, optional, resourcesArb } from '../harness/properties';

const s3 = { endpoint: 'http://minio.minio.svc:9000', bucket: 'mysql-backups', credentialsSecret: 's3-creds' };

const propsArb: fc.Arbitrary<MysqlClusterProps> = fc.record({
  name: optional(fc.constantFrom('orders', 'a', 'x'.repeat(40), 'x'.repeat(41), 'Bad_Name', '-x', 'ok-1')),
  topology: optional(fc.constantFrom(MysqlTopology.STANDALONE, MysqlTopology.REPLICATION, MysqlTopology.GROUP_REPLICATION)),
  version: optional(fc.constantFrom(MysqlVersion.V8_4, MysqlVersion.V8_0, MysqlVersion.ofTag('8.4.2'), MysqlVersion.ofTag('8.0.20'), MysqlVersion.ofTag('5.7.44'), MysqlVersion.ofTag('latest'))),
  instances: optional(fc.integer({ min: -1, max: 12 })),
  semiSync: optional(fc.boolean()),
  semiSyncTimeout: optional(fc.integer({ min: 0, max: 5000 }).map((ms) => Duration.millis(ms))),
  serverIdOffset: optional(fc.integer({ min: -1, max: 5000 })),
  resources: optional(resourcesArb(4000, 64, 16384)),
  bufferPoolPercent: optional(fc.integer({ min: 0, max: 100 })),
  maxConnections: optional(fc.integer({ min: 0, max: 200_000 })),
  slowQueryLog: optional(fc.boolean()),
  longQueryTime: optional(fc.integer({ min: 0, max: 4_000_000 }).map((ms) => Duration.millis(ms))),
  binlogFormat: optional(fc.constantFrom(BinlogFormat.ROW, BinlogFormat.MIXED, BinlogFormat.STATEMENT)),
  binlogExpiry: optional(fc.integer({ min: 0, max: 100 }).map((h) => Duration.hours(h * 24))),
  config: optional(fc.dictionary(
    fc.constantFrom('innodb_io_capacity', 'server-id', 'Bad Key', 'loose_group_replication_x', 'table_open_cache', 'datadir'),
    fc.constantFrom('2000', 'ON', 'a\nb'),
  )),
  rootPassword: optional(fc.oneof(fc.constant(Credentials.fromSecret('db-root', 'pw')), fc.integer({ min: 4, max: 100 }).map((length) => Credentials.generate({ length })))),
  databases: optional(fc.array(fc.constantFrom('orders', 'reports', 'mysql', '1bad', 'orders'), { maxLength: 3 })),
  users: optional(fc.array(fc.record({
    name: fc.constantFrom('app', 'analyst', 'repl', 'Bad-Name', 'app'),
    databases: optional(fc.array(fc.constantFrom('orders', 'reports', 'billing'), { maxLength: 2 })),
    readOnly: optional(fc.boolean()),
  }, { requiredKeys: ['name'] }), { maxLength: 3 })),
  storage: optional(fc.record({ size: optional(fc.integer({ min: 1, max: 100_000 }).map((m) => Size.mebibytes(m))) })),
  scheduling: optional(fc.record({
    antiAffinity: optional(fc.record({
      mode: optional(fc.constantFrom(AntiAffinityMode.REQUIRED, AntiAffinityMode.PREFERRED, AntiAffinityMode.NONE)),
      weight: optional(fc.integer({ min: -5, max: 120 })),
    })),
  })),
  replicationLagThreshold: optional(fc.integer({ min: 0, max: 7200 }).map((sec) => Duration.seconds(sec))),
  slowQueriesAlertPerSecond: optional(fc.double({ min: -1, max: 100, noNaN: true })),
  backup: optional(fc.record({
    target: fc.record({
      endpoint: fc.constantFrom(s3.endpoint, 'not a url'),
      bucket: fc.constantFrom('mysql-backups', 'B'),
      credentialsSecret: fc.constant('s3-creds'),
    }),
    schedule: optional(fc.constantFrom(Cron.schedule({ minute: '0', hour: '3' }), Cron.schedule({ minute: '0', hour: '25' }))),
    retentionDays: optional(fc.integer({ min: -1, max: 4000 })),
  })),
  backupMethod: optional(fc.constantFrom(MysqlBackupMethod.LOGICAL, MysqlBackupMethod.PHYSICAL)),
  restore: optional(fc.record({ source: fc.constant(s3), backupId: fc.constantFrom('latest', '20261124T013000Z', 'yesterday') })),
}, { requiredKeys: [] });

test('random props: a clear ValidationError or valid manifests', () => {
  // Credentials are bound under a child scope per Secret (test/db/Root).
  expectValidOrRejected(propsArb, (chart, props) => new MysqlCluster(chart, 'db', props), { numRuns: 600, seed: 20261125, path: /^test\/db(\/[A-Za-z]+)?: / });
});
