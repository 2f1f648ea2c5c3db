import { Testing } from 'cdk8s';
import { ElasticsearchCluster, ElasticsearchVersion, MysqlCluster, MysqlVersion } from '../../src';
import { WARNING_METADATA } from '../../src/core/validation';
import { END_OF_LIFE, warnIfEndOfLife } from '../../src/core/versions';

const warningsOf = (c: any): string[] => c.node.metadata.filter((m: any) => m.type === WARNING_METADATA).map((m: any) => m.data);

describe('end-of-life lines', () => {
  test('MySQL 8.0 and Elasticsearch 7.17 stay selectable, with a synth-time warning that names the date', () => {
    const mysql = new MysqlCluster(Testing.chart(), 'db', { version: MysqlVersion.V8_0 });
    expect(warningsOf(mysql)).toEqual([expect.stringMatching(/version = "8.0": MySQL 8.0 reached end of life on 2026-04-30/)]);
    const es = new ElasticsearchCluster(Testing.chart(), 'logs', { version: ElasticsearchVersion.V7_17 });
    expect(warningsOf(es)).toEqual(expect.arrayContaining([expect.stringMatching(/Elasticsearch 7.17 reached end of life on 2026-01-15/)]));
  });

  test('the default lines do not warn', () => {
    expect(warningsOf(new MysqlCluster(Testing.chart(), 'db'))).toEqual([]);
    expect(warningsOf(new ElasticsearchCluster(Testing.chart(), 'logs')).filter((w) => w.includes('end of life'))).toEqual([]);
  });

  test('a line warns only from the day after its end of life', () => {
    const chart = Testing.chart();
    const eol = END_OF_LIFE.find((e) => e.engine === 'MySQL')!;
    const before = new MysqlCluster(chart, 'a');
    warnIfEndOfLife(before, 'version', 'MySQL', '8.0', new Date(`${eol.date}T12:00:00Z`));
    expect(warningsOf(before).filter((w) => w.includes('end of life'))).toEqual([]);
    const after = new MysqlCluster(chart, 'b');
    warnIfEndOfLife(after, 'version', 'MySQL', '8.0', new Date(Date.parse(`${eol.date}T00:00:00Z`) + 86400000));
    expect(warningsOf(after)).toEqual([expect.stringContaining('reached end of life')]);
  });
});
