/**
 * Validation of custom resources against the upstream CRDs in crds/ (a committed copy of ../shared/crds: the same
 * files the bindings in src/imports are generated from). The CRD schemas are made strict the way the API server
 * prunes: an object with declared properties and no `x-kubernetes-preserve-unknown-fields` admits no other field.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';

export const CRD_DIR = join(__dirname, '..', '..', 'crds');

let validators: Map<string, ValidateFunction> | undefined;

/** Rewrites a CRD structural schema into strict JSON schema. */
function strict(schema: any): any {
  if (!schema || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map(strict);
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as any).map(([p, s]) => [p, strict(s)]));
    } else if (['items', 'additionalProperties', 'not'].includes(k) && typeof v === 'object') {
      out[k] = strict(v);
    } else if (['allOf', 'anyOf', 'oneOf'].includes(k)) {
      out[k] = (v as any[]).map(strict);
    } else if (!k.startsWith('x-kubernetes-')) {
      out[k] = v;
    }
  }
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [...(out.anyOf ?? []), { type: 'integer' }, { type: 'string' }];
  }
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !preserve) out.additionalProperties = false;
  // A metadata schema in a CRD is only `type: object`; the strict Kubernetes walker checks metadata.
  return out;
}

function load(): Map<string, ValidateFunction> {
  if (validators) return validators;
  // CRD patterns are Go regular expressions; Go's inline `(?i)` becomes the JavaScript `i` flag.
  const regExp: any = (pattern: string, flags: string) => pattern.includes('(?i)')
    ? new RegExp(pattern.split('(?i)').join(''), `${flags}i`)
    : new RegExp(pattern, flags);
  regExp.code = 'new RegExp';
  const ajv = new Ajv({ strict: false, allErrors: true, code: { regExp } });
  addFormats(ajv);
  validators = new Map();
  for (const file of readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(join(CRD_DIR, file), 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions) {
        const schema = strict(v.schema.openAPIV3Schema);
        validators.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
  return validators;
}

/** True when a CRD for apiVersion/kind is in crds/. */
export function hasCrd(apiVersion: string, kind: string): boolean {
  return load().has(`${apiVersion}/${kind}`);
}

/** Schema errors of a custom resource (empty when valid). */
export function crdErrors(obj: any): string[] {
  const validate = load().get(`${obj.apiVersion}/${obj.kind}`);
  if (!validate) return [`no CRD for ${obj.apiVersion} ${obj.kind} in ${CRD_DIR}`];
  if (validate(obj)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as any).additionalProperty})` : '';
    return `${e.instancePath || '/'} ${e.message}${extra}`;
  });
}
