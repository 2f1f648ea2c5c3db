import { Chart, Testing } from 'cdk8s';
import { policyViolations } from './policy';
import { volumeSizeViolations, xlogFiles } from './volume-sizes';
import { ElasticsearchCluster } from '../../src';

const pod = (image: string, env: { name: string; value: string }[], sizeLimit = '1Gi') => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'x' },
  spec: {
    template: {
      spec: {
        containers: [{ name: 'c', image, env, volumeMounts: [{ name: 'logs', mountPath: '/usr/share/elasticsearch/logs' }] }],
        volumes: [{ name: 'logs', emptyDir: { sizeLimit } }],
      },
    },
  },
});
const ES = 'docker.elastic.co/elasticsearch/elasticsearch:8.19.15';

describe('volumeSizeViolations (self-test)', () => {
  test('the Elasticsearch image\'s default GC log (32 x 64m) overflows a 1Gi logs emptyDir', () => {
    expect(volumeSizeViolations([pod(ES, [{ name: 'ES_JAVA_OPTS', value: '-Xms1g -Xmx1g' }])]))
      .toEqual([expect.stringContaining('emptyDir logs (sizeLimit 1Gi) mounted at /usr/share/elasticsearch/logs in c can receive 2048Mi')]);
  });
  test('-Xlog:disable switches the default off; an explicit file output is counted against the limit', () => {
    expect(volumeSizeViolations([pod(ES, [{ name: 'ES_JAVA_OPTS', value: '-Xlog:disable -Xlog:gc*:file=logs/gc.log:utctime:filecount=4,filesize=64m' }])])).toEqual([]);
    expect(volumeSizeViolations([pod(ES, [{ name: 'ES_JAVA_OPTS', value: '-Xlog:disable -Xlog:gc*:file=logs/gc.log:utctime:filecount=20,filesize=64m' }])]))
      .toEqual([expect.stringContaining('1280Mi: -Xlog file logs/gc.log')]);
    expect(volumeSizeViolations([pod(ES, [{ name: 'ES_JAVA_OPTS', value: '-Xlog:disable -Xlog:gc:file=/usr/share/elasticsearch/logs/gc.log::filecount=0' }])]))
      .toEqual([expect.stringContaining('unbounded')]);
  });
  test('-Xlog parsing: JVM defaults of 5 files of 20M', () => {
    expect(xlogFiles('-Xlog:gc:file=/tmp/gc.log')).toEqual([{ path: '/tmp/gc.log', bytes: 100 * 2 ** 20 }]);
    expect(xlogFiles('-Xlog:all=warning:stderr:utctime,level,tags')).toEqual([]);
  });
  test('the production policy, run by the tests of every construct, includes the check', () => {
    expect(policyViolations([pod(ES, [{ name: 'ES_JAVA_OPTS', value: '-Xms1g -Xmx1g' }])])).toEqual(expect.arrayContaining([expect.stringContaining('emptyDir logs')]));
  });
  test('ElasticsearchCluster pods pass (review E4)', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'obs' });
    new ElasticsearchCluster(chart, 'logs', { kibana: {} });
    expect(volumeSizeViolations(Testing.synth(chart))).toEqual([]);
  });
});
