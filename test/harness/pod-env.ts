/**
 * The environment a container of a synthesized pod spec gets from the kubelet, so that script tests run with the
 * manifest's env instead of a hand-written one: literal values, `fieldRef` filled in from a sample pod, `secretKeyRef`
 * and `configMapKeyRef` from sample data (or `sample-<name>-<key>`), `$(VAR)` references expanded as the kubelet does.
 * Paths under the container's mounts can be moved into a test directory with `relocate`.
 */

/** The sample pod and Secret/ConfigMap values that fill in `valueFrom`. */
export interface PodSample {
  /** metadata.name */
  readonly podName: string;
  /** status.podIP */
  readonly podIp?: string;
  /** metadata.namespace */
  readonly namespace?: string;
  /** `<secret or configmap name>/<key>` -> value */
  readonly values?: Record<string, string>;
}

/** A container (init or regular) of a pod template spec, by name; throws when absent. */
export function containerOf(podSpec: any, name: string): any {
  const c = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])].find((x: any) => x.name === name);
  if (!c) throw new Error(`no container ${name} in the pod spec`);
  return c;
}

/** The container's environment as the kubelet builds it. Unknown fieldRef paths and envFrom throw. */
export function containerEnv(container: any, sample: PodSample): Record<string, string> {
  if (container.envFrom?.length) throw new Error(`${container.name}: envFrom is not modelled`);
  const fields: Record<string, string | undefined> = {
    'metadata.name': sample.podName, 'status.podIP': sample.podIp ?? '10.0.0.10', 'metadata.namespace': sample.namespace ?? 'default',
  };
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    let v: string;
    if (e.valueFrom?.fieldRef) {
      const f = fields[e.valueFrom.fieldRef.fieldPath];
      if (f === undefined) throw new Error(`${container.name}: fieldRef ${e.valueFrom.fieldRef.fieldPath} is not modelled`);
      v = f;
    } else if (e.valueFrom?.secretKeyRef || e.valueFrom?.configMapKeyRef) {
      const ref = e.valueFrom.secretKeyRef ?? e.valueFrom.configMapKeyRef;
      v = sample.values?.[`${ref.name}/${ref.key}`] ?? `sample-${ref.name}-${ref.key}`;
    } else if (e.valueFrom) {
      throw new Error(`${container.name}: env ${e.name} valueFrom ${Object.keys(e.valueFrom)} is not modelled`);
    } else {
      // The kubelet expands $(NAME) of variables defined earlier in the list; $$ escapes.
      v = String(e.value ?? '').replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n) => m === '$$' ? '$' : (n in env ? env[n] : m));
    }
    env[e.name] = v;
  }
  return env;
}

/** Every env value that is a path under one of the container's mounts, moved under `root` (same relative path). */
export function relocate(env: Record<string, string>, container: any, root: string): Record<string, string> {
  const mounts: string[] = (container.volumeMounts ?? []).map((m: any) => m.mountPath.replace(/\/+$/, ''));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    out[k] = mounts.some((m) => v === m || v.startsWith(`${m}/`)) ? `${root}${v}` : v;
  }
  return out;
}

/** The ConfigMap file a container runs (`bash /mnt/scripts/x.sh` from a ConfigMap volume), by mount path. */
export function mountedFile(objs: any[], podSpec: any, container: any, path: string): string {
  const m = (container.volumeMounts ?? []).filter((x: any) => path.startsWith(`${x.mountPath.replace(/\/+$/, '')}/`))
    .sort((a: any, b: any) => b.mountPath.length - a.mountPath.length)[0];
  if (!m) throw new Error(`${container.name}: ${path} is under no mount`);
  const vol = podSpec.volumes.find((v: any) => v.name === m.name);
  if (!vol?.configMap) throw new Error(`${container.name}: ${path} is not in a ConfigMap volume`);
  const rel = path.slice(m.mountPath.replace(/\/+$/, '').length + 1);
  const key = (vol.configMap.items ?? []).find((i: any) => i.path === rel)?.key ?? rel;
  const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === vol.configMap.name);
  if (!cm || cm.data?.[key] === undefined) throw new Error(`${container.name}: ConfigMap ${vol.configMap.name} has no key ${key}`);
  return cm.data[key];
}
