import { Chart, Testing } from 'cdk8s';
import { policyViolations } from './policy';
import { rolloutViolations } from './rollouts';
import { ElasticsearchCluster } from '../../src';

const kibana = (strategy?: unknown) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'logs-kibana' },
  spec: { replicas: 1, ...(strategy ? { strategy } : {}), template: { spec: { containers: [{ name: 'kibana', image: 'docker.elastic.co/kibana/kibana:8.19.15' }] } } },
});

describe('rolloutViolations (self-test)', () => {
  test('a Kibana Deployment with the default or a RollingUpdate strategy is flagged', () => {
    expect(rolloutViolations([kibana()])).toEqual([expect.stringContaining('Deployment/logs-kibana: container kibana')]);
    expect(rolloutViolations([kibana({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } })])).toHaveLength(1);
  });
  test('the production policy, run by the tests of every construct, includes the check', () => {
    expect(policyViolations([kibana()])).toEqual(expect.arrayContaining([expect.stringContaining('Deployment/logs-kibana: container kibana')]));
  });
  test('Recreate passes; other images are not concerned', () => {
    expect(rolloutViolations([kibana({ type: 'Recreate' })])).toEqual([]);
    const other = kibana();
    other.spec.template.spec.containers[0].image = 'quay.io/prometheuscommunity/elasticsearch-exporter:v1.9.0';
    expect(rolloutViolations([other])).toEqual([]);
  });
  test('the ElasticsearchCluster Kibana passes (review E2)', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'obs' });
    new ElasticsearchCluster(chart, 'logs', { kibana: {} });
    expect(rolloutViolations(Testing.synth(chart))).toEqual([]);
  });
});
