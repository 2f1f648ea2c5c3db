import { IConstruct } from 'constructs';
import { warn } from './validation';

/**
 * The default image of every sidecar, tool and job this library runs next to the engines. The engines' own versions
 * are the public `*Version` classes of each construct. Keeping every pin here makes a bump one edit, and lets
 * test/versions/staleness.test.ts hold all of them against the committed record of upstream releases.
 */
export const SIDECAR_IMAGES = {
  /** Small scripted jobs (formation, setup, probes of remote APIs): curl, sh and coreutils. */
  tools: { repository: 'docker.io/curlimages/curl', tag: '8.21.0' },
  /** S3 client of every backup and restore. */
  awsCli: { repository: 'docker.io/amazon/aws-cli', tag: '2.22.35' },
  redisExporter: { repository: 'docker.io/oliver006/redis_exporter', tag: 'v1.88.0' },
  kafkaExporter: { repository: 'docker.io/danielqsj/kafka-exporter', tag: 'v1.9.0' },
  mysqldExporter: { repository: 'docker.io/prom/mysqld-exporter', tag: 'v0.18.0' },
  elasticsearchExporter: { repository: 'quay.io/prometheuscommunity/elasticsearch-exporter', tag: 'v1.11.0' },
  jsonExporter: { repository: 'quay.io/prometheuscommunity/json-exporter', tag: 'v0.8.0' },
} as const;

/** A release line that its vendor no longer supports. */
interface EndOfLife {
  readonly engine: string;
  readonly line: string;
  /** Last day of vendor support, `YYYY-MM-DD`. */
  readonly date: string;
  readonly source: string;
}

/** Vendor end-of-life dates of the lines the constructs still accept for existing data. */
export const END_OF_LIFE: readonly EndOfLife[] = [
  { engine: 'Elasticsearch', line: '7.17', date: '2026-01-15', source: 'https://www.elastic.co/support/eol' },
  { engine: 'MySQL', line: '8.0', date: '2026-04-30', source: 'https://www.mysql.com/support/eol-notice.html' },
];

/**
 * Warns at synth time when `majorMinor` of `engine` is past its end of life on the day of synthesis, naming the date.
 * The line stays selectable: existing data must be upgradable from it.
 */
export function warnIfEndOfLife(scope: IConstruct, prop: string, engine: string, majorMinor: string, now: Date = new Date()): void {
  const eol = END_OF_LIFE.find((e) => e.engine === engine && e.line === majorMinor);
  if (!eol || now.getTime() < Date.parse(`${eol.date}T23:59:59Z`)) return;
  warn(scope, prop, majorMinor, `${engine} ${eol.line} reached end of life on ${eol.date} (${eol.source}): `
    + 'no more security fixes; upgrade to a supported line');
}
