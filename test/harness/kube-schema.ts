/**
 * Kubernetes API schema validation for synthesized objects.
 *
 * Two checks, because neither alone is enough:
 * - kubernetes-models validates types, required fields, enums and formats, but accepts unknown fields;
 * - a strict walker rejects every field the Kubernetes API does not define. Its field tree is read from the
 *   generated k8s bindings of cdk8s-plus-28 (one `toJson_<Type>` function per API type, listing the JSON
 *   keys of that type and the type of each nested object), i.e. the Kubernetes 1.28 API.
 */
import { readFileSync } from 'fs';

interface FieldType {
  /** Nested object type, or undefined for a leaf (scalar, string map, quantity, int-or-string). */
  readonly type?: string;
  /** The field is a map whose values are of `type`. */
  readonly map?: boolean;
}
type TypeTable = Map<string, Map<string, FieldType>>;

let table: TypeTable | undefined;

function typeTable(): TypeTable {
  if (table) return table;
  const file = require.resolve('cdk8s-plus-28/lib/imports/k8s.js');
  const src = readFileSync(file, 'utf8');
  table = new Map();
  const fn = /^function toJson_(\w+)\(obj\) \{\n([\s\S]*?)\n\}\n/gm;
  for (const m of src.matchAll(fn)) {
    const fields = new Map<string, FieldType>();
    const body = m[2];
    const result = /const result = \{\n([\s\S]*?)\n\s*\};/.exec(body);
    if (!result) continue;
    for (const line of result[1].split('\n')) {
      const f = /^\s*'([^']+)': (.*),$/.exec(line);
      if (!f) continue;
      const child = /toJson_(\w+)\(/.exec(f[2]);
      fields.set(f[1], child ? { type: child[1], map: f[2].includes('Object.entries') } : {});
    }
    table.set(m[1], fields);
  }
  if (table.size < 300) throw new Error(`could not read the Kubernetes types from ${file} (found ${table.size})`);
  return table;
}

/** Paths of fields the Kubernetes API does not define, e.g. `spec.template.spec.containers[0].foo`. */
export function unknownFields(obj: any, kind: string): string[] {
  const types = typeTable();
  const root = `Kube${kind}Props`;
  if (!types.has(root)) throw new Error(`no Kubernetes type for kind ${kind}`);
  const out: string[] = [];
  const visit = (value: any, type: string, path: string) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, type, `${path}[${i}]`));
      return;
    }
    if (typeof value !== 'object') {
      out.push(`${path}: expected an object of type ${type}, got ${JSON.stringify(value)}`);
      return;
    }
    const fields = types.get(type)!;
    for (const [key, v] of Object.entries(value)) {
      const p = path ? `${path}.${key}` : key;
      const f = fields.get(key);
      if (!f) {
        out.push(`${p}: unknown field of ${type.replace(/^Kube(\w+)Props$/, '$1')}`);
        continue;
      }
      if (!f.type) continue;
      if (f.map) {
        if (v && typeof v === 'object') for (const [k, mv] of Object.entries(v)) visit(mv, f.type, `${p}.${k}`);
      } else {
        visit(v, f.type, p);
      }
    }
  };
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  visit(rest, root, '');
  return out;
}

/** kubernetes-models validation errors of one object (empty when valid). */
export function modelErrors(obj: any): string[] {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const modulePath = group ? `kubernetes-models/${group}/${version}/${obj.kind}` : `kubernetes-models/${version}/${obj.kind}`;
  let Model: any;
  try {
    // The model module is picked at run time from apiVersion and kind.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Model = require(modulePath)[obj.kind];
  } catch {
    return [`${obj.apiVersion} ${obj.kind} is not a Kubernetes API type`];
  }
  try {
    new Model(obj).validate();
    return [];
  } catch (e: any) {
    return [String(e.message ?? e)];
  }
}

/** True when kubernetes-models knows the apiVersion/kind (a built-in Kubernetes type). */
export function isBuiltInKind(apiVersion: string, kind: string): boolean {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const modulePath = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  try {
    require.resolve(modulePath);
    return true;
  } catch {
    return false;
  }
}
