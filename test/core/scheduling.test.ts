import { Testing } from 'cdk8s';
import { AntiAffinityMode, NodeOperator, renderScheduling, SpreadMode, TaintEffect, TopologyKey } from '../../src/scheduling/scheduling';

const sel = { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'x' };

describe('renderScheduling', () => {
  const chart = Testing.chart();

  test('production default: required anti-affinity on the hostname and a soft zone spread', () => {
    const s = renderScheduling(chart, 'scheduling', undefined, sel);
    expect(s.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: sel } },
    ]);
    expect(s.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: sel } },
    ]);
    expect(s.tolerations).toBeUndefined();
  });

  test('preferred anti-affinity on a custom key with a weight', () => {
    const s = renderScheduling(chart, 'scheduling', {
      antiAffinity: { mode: AntiAffinityMode.PREFERRED, weight: 40, topologyKey: TopologyKey.custom('rack') },
      zoneSpread: { enabled: false },
    }, sel);
    expect(s.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 40, podAffinityTerm: { topologyKey: 'rack', labelSelector: { matchLabels: sel } } },
    ]);
    expect(s.topologySpreadConstraints).toBeUndefined();
  });

  test('node affinity: weighted rules are preferred, others required; tolerations and priority', () => {
    const s = renderScheduling(chart, 'scheduling', {
      antiAffinity: { mode: AntiAffinityMode.NONE },
      zoneSpread: { whenUnsatisfiable: SpreadMode.DO_NOT_SCHEDULE, maxSkew: 2 },
      nodeAffinity: [
        { key: 'disk', operator: NodeOperator.IN, values: ['ssd'] },
        { key: 'az1', operator: NodeOperator.IN, values: ['node01'], weight: 100 },
        { key: 'gen', operator: NodeOperator.GT, values: ['3'] },
        { key: 'spot', operator: NodeOperator.DOES_NOT_EXIST },
      ],
      tolerations: [{ key: 'dedicated', value: 'redis', effect: TaintEffect.NO_SCHEDULE }, { exists: true, effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 30 }],
      priorityClassName: 'data-critical',
    }, sel);
    expect(s.affinity?.podAntiAffinity).toBeUndefined();
    expect(s.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: 'disk', operator: 'In', values: ['ssd'] },
      { key: 'gen', operator: 'Gt', values: ['3'] },
      { key: 'spot', operator: 'DoesNotExist', values: undefined },
    ]);
    expect(s.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, preference: { matchExpressions: [{ key: 'az1', operator: 'In', values: ['node01'] }] } },
    ]);
    expect(s.topologySpreadConstraints?.[0]).toMatchObject({ maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule' });
    expect(s.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'redis', effect: 'NoSchedule', tolerationSeconds: undefined },
      { key: undefined, operator: 'Exists', value: undefined, effect: 'NoExecute', tolerationSeconds: 30 },
    ]);
    expect(s.priorityClassName).toBe('data-critical');
  });

  test.each([
    [{ antiAffinity: { mode: AntiAffinityMode.REQUIRED, weight: 10 } }, /scheduling.antiAffinity.weight = 10: is only allowed with mode PREFERRED/],
    [{ antiAffinity: { mode: AntiAffinityMode.PREFERRED, weight: 101 } }, /scheduling.antiAffinity.weight = 101: must be an integer from 1 to 100/],
    [{ antiAffinity: { mode: AntiAffinityMode.PREFERRED, weight: 0 } }, /weight = 0: must be an integer from 1 to 100/],
    [{ nodeAffinity: [{ key: 'a', operator: NodeOperator.IN }] }, /nodeAffinity\[0\].values = \[\]: must list at least one value for operator In/],
    [{ nodeAffinity: [{ key: 'a', operator: NodeOperator.EXISTS, values: ['x'] }] }, /nodeAffinity\[0\].values = \["x"\]: must be empty for operator Exists/],
    [{ nodeAffinity: [{ key: 'a', operator: NodeOperator.LT, values: ['x'] }] }, /must be exactly one integer for operator Lt/],
    [{ nodeAffinity: [{ key: 'a', operator: NodeOperator.IN, values: ['x'], weight: 0 }] }, /nodeAffinity\[0\].weight = 0: must be an integer from 1 to 100/],
    [{ nodeAffinity: [{ key: '', operator: NodeOperator.EXISTS }] }, /nodeAffinity\[0\].key = "": must be a non-empty node label key/],
    [{ zoneSpread: { maxSkew: 0 } }, /zoneSpread.maxSkew = 0: must be an integer >= 1/],
    [{ tolerations: [{ exists: true, value: 'v' }] }, /tolerations\[0\].value = "v": must be empty when exists is true/],
    [{ tolerations: [{ value: 'v' }] }, /tolerations\[0\].key = undefined: is required unless exists is true/],
    [{ tolerations: [{ key: 'k', effect: TaintEffect.NO_SCHEDULE, tolerationSeconds: 5 }] }, /tolerationSeconds = 5: is only allowed with effect NO_EXECUTE/],
  ])('rejects %j', (props, message) => {
    expect(() => renderScheduling(chart, 'scheduling', props as any, sel)).toThrow(message);
  });
});
