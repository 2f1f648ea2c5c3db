import { Chart, Size, Testing } from 'cdk8s';
import { ContainerResources, Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { expectValidManifests } from './index';
import { expectProductionPolicy } from './policy';
import { ValidationError } from '../../src/core/validation';

/** Leaves a prop out three times in four, so that enough cases get past validation to test the manifests. */
export const optional = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });

/** Random container resources, each bound optional, in millicores and mebibytes up to the given maxima. */
export function resourcesArb(maxMillis: number, minMi: number, maxMi: number): fc.Arbitrary<ContainerResources> {
  const cpu = fc.integer({ min: 1, max: maxMillis }).map(Cpu.millis);
  const mem = fc.integer({ min: minMi, max: maxMi }).map((m) => Size.mebibytes(m));
  return fc.record({
    cpu: optional(fc.record({ request: optional(cpu), limit: optional(cpu) })),
    memory: optional(fc.record({ request: optional(mem), limit: optional(mem) })),
  });
}

/**
 * The property every construct must hold: for random props, building it either raises the library's
 * ValidationError (with a message naming the construct path, the prop, the value and what is allowed) or
 * synthesizes manifests that pass the schema harness and the production policy. Never a TypeError, never an
 * invalid object. Both outcomes must occur often enough for the property to prove something.
 */
export function expectValidOrRejected<P>(
  propsArb: fc.Arbitrary<P>,
  build: (chart: Chart, props: P) => void,
  o: { readonly numRuns: number; readonly seed: number; readonly path: RegExp; readonly minEach?: number },
): void {
  let valid = 0;
  let rejected = 0;
  fc.assert(fc.property(propsArb, (props) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'prop' });
    let objs: any[];
    try {
      build(chart, props);
      objs = Testing.synth(chart);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      if (!o.path.test(e.message) || !/: invalid .+ = .+: .+/.test(e.message) || e.prop === '') {
        throw new Error(`unclear validation message: ${e.message}`);
      }
      rejected++;
      return;
    }
    expectValidManifests(objs);
    expectProductionPolicy(objs);
    valid++;
  }), { numRuns: o.numRuns, seed: o.seed });
  const min = o.minEach ?? 20;
  if (valid <= min || rejected <= min) {
    throw new Error(`the generator exercised too few cases: ${valid} valid, ${rejected} rejected (each must exceed ${min})`);
  }
}
