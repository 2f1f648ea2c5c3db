/** Synthesizes a chart built with the library's public API into the YAML a user would apply. */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';

export function synthYaml(namespace: string, build: (chart: Chart) => void, chartId = 'e2e'): string {
  const app = new App({ outdir: '/tmp/cdk8s-e2e-out' });
  const chart = new Chart(app, chartId, { namespace });
  build(chart);
  return app.synthYaml();
}

/** Synthesizes and also hands back the construct, for its connection facts (host, port, secret names). */
export function synth<T extends Construct>(namespace: string, build: (chart: Chart) => T): { yaml: string; construct: T } {
  let construct: T | undefined;
  const yaml = synthYaml(namespace, (chart) => { construct = build(chart); });
  return { yaml, construct: construct! };
}
