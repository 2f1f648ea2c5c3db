/**
 * Volume sizes: an emptyDir's sizeLimit must hold what its processes can write there, or the kubelet evicts the pod
 * (evictions ignore PodDisruptionBudgets). Modelled writers, per container that mounts the volume:
 * - JVM unified logging to a file (`-Xlog:<what>:file=<path>:<decorators>:filecount=N,filesize=S`) in the env
 *   (`*_OPTS`, `JDK_JAVA_OPTIONS`, `JAVA_TOOL_OPTIONS`) or args: N x S (JVM defaults: 5 files of 20M);
 * - what an image writes by default (IMAGE_DEFAULT_WRITES), unless the container's options switch it off.
 * Relative paths resolve against the image's working directory.
 */
import { parseQuantity } from './policy';

const MI = 2 ** 20;

/** Writes an image makes by default, with what turns them off. */
export interface ImageDefaultWrite {
  readonly image: RegExp;
  /** Directory written. */
  readonly path: string;
  readonly bytes: number;
  readonly what: string;
  /** True when the container's JVM options (joined) disable this writer. */
  readonly disabledBy: (opts: string) => boolean;
}

/** The official Elasticsearch image: its jvm.options logs GC to logs/gc.log, 32 files of 64m (2 GiB). */
export const IMAGE_DEFAULT_WRITES: ImageDefaultWrite[] = [
  {
    image: /(^|\/)elasticsearch\/elasticsearch(:|@|$)/,
    path: '/usr/share/elasticsearch/logs',
    bytes: 32 * 64 * MI,
    what: 'GC log of the default jvm.options (-Xlog:...:file=logs/gc.log:...:filecount=32,filesize=64m)',
    // -Xlog:disable turns off every output configured before it, jvm.options' included (ES_JAVA_OPTS come later).
    disabledBy: (opts) => /(^|\s)-Xlog:disable(\s|$)/.test(opts),
  },
];

/** Working directories of images (relative -Xlog paths). */
export const IMAGE_WORKDIRS: { image: RegExp; dir: string }[] = [
  { image: /(^|\/)elasticsearch\/elasticsearch(:|@|$)/, dir: '/usr/share/elasticsearch' },
  { image: /(^|\/)kibana\/kibana(:|@|$)/, dir: '/usr/share/kibana' },
];

function sizeOf(s: string): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(s);
  if (!m) throw new Error(`unparsable -Xlog size ${s}`);
  return Number(m[1]) * ({ '': 1, 'k': 2 ** 10, 'm': MI, 'g': 2 ** 30 } as Record<string, number>)[m[2].toLowerCase()];
}

/** The file outputs of -Xlog options in `opts`: path and the most they hold. */
export function xlogFiles(opts: string): { path: string; bytes: number }[] {
  const out: { path: string; bytes: number }[] = [];
  for (const tok of opts.split(/\s+/)) {
    const m = /^-Xlog:[^:]*:file=("?)([^:"]+)\1(?::[^:]*(?::(.*))?)?$/.exec(tok);
    if (!m) continue;
    let count = 5; let size = 20 * MI;
    for (const kv of (m[3] ?? '').split(',').filter(Boolean)) {
      const [k, v] = kv.split('=');
      if (k === 'filecount') count = Number(v);
      if (k === 'filesize') size = sizeOf(v);
    }
    // filecount=0 disables rotation: the file grows without bound.
    out.push({ path: m[2], bytes: count === 0 ? Infinity : count * size });
  }
  return out;
}

function podSpecs(objs: any[]): { at: string; spec: any }[] {
  const out: { at: string; spec: any }[] = [];
  for (const o of objs) {
    const spec = o.kind === 'Pod' ? o.spec : o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec;
    if (spec?.containers) out.push({ at: `${o.kind}/${o.metadata?.name}`, spec });
  }
  return out;
}

/** emptyDirs whose sizeLimit is below what the modelled writers of the mounting containers can put there. */
export function volumeSizeViolations(objs: any[]): string[] {
  const out: string[] = [];
  for (const { at, spec } of podSpecs(objs)) {
    for (const v of spec.volumes ?? []) {
      if (!v.emptyDir?.sizeLimit) continue;
      const limit = parseQuantity(v.emptyDir.sizeLimit);
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        for (const m of (c.volumeMounts ?? []).filter((x: any) => x.name === v.name && !x.readOnly)) {
          const mount = m.mountPath.replace(/\/+$/, '');
          const under = (p: string) => p === mount || p.startsWith(`${mount}/`);
          const image = String(c.image ?? '');
          const workdir = c.workingDir ?? IMAGE_WORKDIRS.find((w) => w.image.test(image))?.dir ?? '/';
          const opts = [
            ...(c.env ?? []).filter((e: any) => /(_OPTS|JDK_JAVA_OPTIONS|JAVA_TOOL_OPTIONS)$/.test(e.name) && typeof e.value === 'string').map((e: any) => e.value),
            ...(c.args ?? []), ...(c.command ?? []),
          ].join(' ');
          const writes: { what: string; bytes: number }[] = [];
          for (const d of IMAGE_DEFAULT_WRITES) {
            if (d.image.test(image) && under(d.path) && !d.disabledBy(opts)) writes.push({ what: d.what, bytes: d.bytes });
          }
          for (const f of xlogFiles(opts)) {
            const p = f.path.startsWith('/') ? f.path : `${workdir.replace(/\/+$/, '')}/${f.path}`;
            if (under(p)) writes.push({ what: `-Xlog file ${f.path}`, bytes: f.bytes });
          }
          const total = writes.reduce((a, w) => a + w.bytes, 0);
          if (total > limit) {
            out.push(`${at}: emptyDir ${v.name} (sizeLimit ${v.emptyDir.sizeLimit}) mounted at ${m.mountPath} in ${c.name} can receive `
              + `${total === Infinity ? 'unbounded' : `${Math.ceil(total / MI)}Mi`}: ${writes.map((w) => w.what).join('; ')}`);
          }
        }
      }
    }
  }
  return out;
}
