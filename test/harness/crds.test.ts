/**
 * crds/ is the repository's copy of the workplace's ../shared/crds, so that a clone anywhere validates against the
 * same schemas. Where ../shared/crds exists, the copy must be identical (refresh it with `npx projen import`).
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { CRD_DIR } from './crd-schema';

const SHARED = join(__dirname, '..', '..', '..', 'shared', 'crds');

test('crds/ holds every CRD the bindings in src/imports are generated from', () => {
  const files = readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml')).sort();
  expect(files).toEqual([
    'cert-manager.io_certificates.yaml',
    'cert-manager.io_issuers.yaml',
    'grafana.integreatly.org_grafanadashboards.yaml',
    'monitoring.coreos.com_podmonitors.yaml',
    'monitoring.coreos.com_prometheusrules.yaml',
    'monitoring.coreos.com_servicemonitors.yaml',
  ]);
  expect(readFileSync(join(CRD_DIR, 'SOURCES.md'), 'utf8')).toMatch(/upstream repository/);
});

(existsSync(SHARED) ? test : test.skip)('crds/ is identical to ../shared/crds', () => {
  const list = (d: string) => readdirSync(d).sort();
  expect(list(CRD_DIR)).toEqual(list(SHARED));
  for (const f of list(SHARED)) {
    expect({ file: f, same: readFileSync(join(CRD_DIR, f)).equals(readFileSync(join(SHARED, f))) }).toEqual({ file: f, same: true });
  }
});
