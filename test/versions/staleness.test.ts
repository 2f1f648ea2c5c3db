import { readFileSync } from 'fs';
import { join } from 'path';
import { compareVersions, Pin, staleness, UpstreamRecord } from './staleness';
import { ElasticsearchVersion, KafkaVersion, MysqlVersion, RedisShakeVersion, RedisVersion } from '../../src';
import { SIDECAR_IMAGES } from '../../src/core/versions';
import { JMX_EXPORTER_VERSION } from '../../src/kafka/jmx';

const record: UpstreamRecord = JSON.parse(readFileSync(join(__dirname, 'upstream-releases.json'), 'utf8'));

/** Repository path without the registry host: `docker.io/library/redis` -> `library/redis`. */
const repoPath = (r: string) => r.replace(/^[^/]+\.[^/]+\//, '');

const defaults: Pin[] = [
  ...[RedisVersion.V7_2, RedisVersion.V6_2].map((v) => ({ component: 'library/redis', version: v.imageTag, where: 'RedisVersion' })),
  ...[MysqlVersion.V8_4, MysqlVersion.V8_0].map((v) => ({ component: 'library/mysql', version: v.imageTag, where: 'MysqlVersion' })),
  ...[KafkaVersion.V4_4, KafkaVersion.V4_3, KafkaVersion.V4_1, KafkaVersion.V3_9].map((v) => ({ component: 'apache/kafka', version: v.imageTag, where: 'KafkaVersion' })),
  ...[ElasticsearchVersion.V8_19, ElasticsearchVersion.V7_17].flatMap((v) => [
    { component: 'elasticsearch/elasticsearch', version: v.imageTag, where: 'ElasticsearchVersion' },
    { component: 'kibana/kibana', version: v.imageTag, where: 'ElasticsearchVersion (Kibana)' },
  ]),
  { component: 'tair-opensource/redisshake', version: RedisShakeVersion.V4.tag, where: 'RedisShakeVersion.V4' },
  { component: 'io.prometheus.jmx:jmx_prometheus_javaagent', version: JMX_EXPORTER_VERSION, where: 'src/kafka/jmx.ts' },
  ...Object.entries(SIDECAR_IMAGES).map(([key, img]) => ({
    component: repoPath(img.repository), version: img.tag, where: `SIDECAR_IMAGES.${key}`,
  })),
];

describe('default pins against the record of upstream releases', () => {
  test('no default is behind a recorded security release, and every default is in the record', () => {
    const { errors, notes } = staleness(defaults, record);
    for (const n of notes) process.stderr.write(`note: ${n}\n`);
    expect(errors).toEqual([]);
  });

  test('the record names a source for every component and a date', () => {
    expect(record.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const c of record.components) {
      expect(c.source.length).toBeGreaterThan(10);
      for (const l of c.lines) {
        if (l.security) expect(compareVersions(l.security, l.newest)).toBeLessThanOrEqual(0);
      }
    }
  });

  test('self-test: a default behind a security release, or missing from the record, fails', () => {
    const r: UpstreamRecord = {
      checked: '2026-12-01',
      components: [{
        component: 'library/redis',
        source: 'docker-library/official-images library/redis',
        lines: [
          { line: '7.2', newest: '7.2.16', security: '7.2.16', why: 'stream RESTORE use-after-free' },
          { line: '6.2', newest: '6.2.24' },
        ],
      }],
    };
    expect(staleness([{ component: 'library/redis', version: '7.2.12', where: 'x' }], r).errors[0])
      .toContain('7.2.12 is behind the security release 7.2.16');
    expect(staleness([{ component: 'library/redis', version: '7.2.16-bookworm', where: 'x' }], r).errors).toEqual([]);
    expect(staleness([{ component: 'library/redis', version: '6.2.21', where: 'x' }], r)).toEqual({ errors: [], notes: [expect.stringContaining('behind 6.2.24')] });
    expect(staleness([{ component: 'library/redis', version: '8.2.1', where: 'x' }], r).errors[0]).toContain('no line of the record covers it');
    expect(staleness([{ component: 'apache/kafka', version: '4.1.2', where: 'x' }], r).errors[0]).toContain('not in the record');
  });

  test('the cluster tier builds the exporter versions the manifests run', () => {
    const env = readFileSync(join(__dirname, '../cluster/build/versions.env'), 'utf8');
    const pinned = (k: string) => new RegExp(`^${k}=(\\S+)$`, 'm').exec(env)?.[1];
    expect(pinned('REDIS_EXPORTER_VERSION')).toBe(SIDECAR_IMAGES.redisExporter.tag);
    expect(pinned('KAFKA_EXPORTER_VERSION')).toBe(SIDECAR_IMAGES.kafkaExporter.tag);
    expect(pinned('MYSQLD_EXPORTER_VERSION')).toBe(SIDECAR_IMAGES.mysqldExporter.tag);
    expect(pinned('ELASTICSEARCH_EXPORTER_VERSION')).toBe(SIDECAR_IMAGES.elasticsearchExporter.tag);
    expect(pinned('JSON_EXPORTER_VERSION')).toBe(SIDECAR_IMAGES.jsonExporter.tag);
  });
});
