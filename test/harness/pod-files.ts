/**
 * What each container reads from the files it mounts, checked under the rules of the processes and of the kubelet, so
 * that a manifest cannot ship a pod that crashes on its own config or cannot open its own certificate:
 *
 * - placeholders: every `${NAME}` in a config file whose process substitutes the environment is defined in the env of
 *   every container that reads the file (init containers, and containers it is copied to through an emptyDir, too);
 * - permissions: every mounted Secret, ConfigMap, projected or downward API file is readable by the container's uid and
 *   groups;
 * - private keys: only containers declared to serve TLS mount private keys or keystores;
 * - image users: `runAsNonRoot` without `runAsUser` only on an image whose USER the kubelet can verify.
 */
import { parse } from 'yaml';

// ---------------------------------------------------------------------------------------------------------------------
// Data: which config files substitute the environment, the default users of the library's images, and the containers
// that may hold private keys. A new construct that adds a file, an image or a TLS server adds a row here.

/** How a process resolves `${...}` in a config file. */
interface Substitution {
  /** The file name the process reads (the mounted name: items[].path, the key, or the subPath). */
  readonly file: string;
  /** Also resolves `${name}` from another setting of the same file. */
  readonly settingsResolve: boolean;
  /** How a placeholder says it has a fallback: `${NAME:default}` (Elastic), or shell-style `${NAME:-x}` (envsubst). */
  readonly syntax: 'elastic' | 'envsubst';
  /** Why the file is here: the upstream code that substitutes, and what happens on an unset variable. */
  readonly reason: string;
}

export const SUBSTITUTED_CONFIG_FILES: readonly Substitution[] = [
  {
    file: 'elasticsearch.yml',
    settingsResolve: true,
    syntax: 'elastic',
    reason: 'every Elasticsearch CLI (the node, elasticsearch-keystore, -node, -plugin) loads it through '
      + 'InternalSettingsPreparer.prepareEnvironment -> Settings.Builder.replacePropertyPlaceholders: an environment '
      + 'variable first, then another setting, `${NAME:default}` falls back; anything else throws "Could not resolve '
      + 'placeholder" (elastic/elasticsearch PropertyPlaceholder; elastic/cloud-on-k8s #3038, #5558)',
  },
  {
    file: 'kibana.yml',
    settingsResolve: false,
    syntax: 'elastic',
    reason: '@kbn/config replaceEnvVarRefs substitutes `${NAME}` and `${NAME:default}` from process.env and throws '
      + '"Unknown environment variable referenced in config" otherwise (elastic/kibana packages/kbn-config)',
  },
  {
    file: 'shake.toml',
    settingsResolve: false,
    syntax: 'envsubst',
    reason: 'RedisShake v4 reads its config through a8m/envsubst.ReadFile (internal/config/config.go, since v4.2.0): an '
      + 'unset variable becomes an empty string, so the sync runs with an empty password and fails to authenticate',
  },
];

/** The user an image runs as when the pod does not set one (its Dockerfile USER and /etc/passwd, /etc/group). */
interface ImageUser {
  /** Repository without registry and tag; matches `<registry>/<repository>` too. */
  readonly repository: string;
  /** The Dockerfile USER as written: the kubelet verifies runAsNonRoot only for a numeric one. */
  readonly user: string;
  readonly uid: number;
  /** The group of the USER line (its primary group when the line names none). */
  readonly gid: number;
  /** The uid's primary group in /etc/passwd when it differs from `gid`: what a runAsUser without runAsGroup gets. */
  readonly passwdGid?: number;
  /** Supplementary groups of that user in the image's /etc/group (merged in by the runtime). */
  readonly groups: readonly number[];
  readonly source: string;
}

export const IMAGE_USERS: readonly ImageUser[] = [
  {
    repository: 'elasticsearch/elasticsearch',
    user: '1000:0',
    uid: 1000,
    gid: 0,
    passwdGid: 1000,
    groups: [1000, 0],
    source: 'elastic/elasticsearch distribution/docker/src/docker/dockerfiles/default/Dockerfile: '
      + 'adduser --uid 1000 --gid 1000 elasticsearch, adduser elasticsearch root, USER 1000:0',
  },
  {
    repository: 'kibana/kibana',
    user: '1000',
    uid: 1000,
    gid: 1000,
    groups: [0],
    source: 'elastic/kibana src/dev/build/tasks/os_packages/docker_generator/templates/base/Dockerfile: '
      + 'useradd --uid 1000 --gid 1000 -G 0 kibana, USER 1000',
  },
  {
    repository: 'apache/kafka',
    user: 'appuser',
    uid: 1000,
    gid: 1000,
    groups: [],
    source: 'apache/kafka docker/jvm/Dockerfile: adduser -D appuser on Alpine (first uid 1000), USER appuser',
  },
  {
    repository: 'library/redis',
    user: '',
    uid: 0,
    gid: 0,
    groups: [],
    source: 'docker-library/redis Dockerfile: no USER (root); docker-entrypoint.sh drops to redis 999 via gosu only when started as root',
  },
  {
    repository: 'library/mysql',
    user: '',
    uid: 0,
    gid: 0,
    groups: [],
    source: 'docker-library/mysql 8.4/Dockerfile.oracle: no USER (root); docker-entrypoint.sh drops to mysql 999 via gosu only when started as root',
  },
  {
    repository: 'curlimages/curl',
    user: 'curl_user',
    uid: 100,
    gid: 101,
    groups: [],
    source: 'curl/curl-container create_base_image.sh: addgroup -S curl_group, adduser -S curl_user (Alpine system ids 100/101), '
      + 'create_appliance_image.sh: buildah config --user curl_user',
  },
  {
    repository: 'oliver006/redis_exporter',
    user: '59000:59000',
    uid: 59000,
    gid: 59000,
    groups: [],
    source: 'oliver006/redis_exporter v1.88.0 Dockerfile: USER 59000:59000',
  },
  {
    repository: 'danielqsj/kafka-exporter',
    user: 'nobody',
    uid: 65534,
    gid: 65534,
    groups: [],
    source: 'danielqsj/kafka_exporter v1.9.0 Dockerfile: FROM quay.io/prometheus/busybox, USER nobody (busybox 65534:65534)',
  },
  {
    repository: 'prom/mysqld-exporter',
    user: 'nobody',
    uid: 65534,
    gid: 65534,
    groups: [],
    source: 'prometheus/mysqld_exporter v0.18.0 Dockerfile: FROM quay.io/prometheus/busybox, USER nobody',
  },
  {
    repository: 'prometheuscommunity/elasticsearch-exporter',
    user: 'nobody',
    uid: 65534,
    gid: 65534,
    groups: [],
    source: 'prometheus-community/elasticsearch_exporter v1.11.0 Dockerfile: FROM quay.io/prometheus/busybox, USER nobody',
  },
  {
    repository: 'prometheuscommunity/json-exporter',
    user: 'nobody',
    uid: 65534,
    gid: 65534,
    groups: [],
    source: 'prometheus-community/json_exporter Dockerfile: FROM quay.io/prometheus/busybox, USER nobody',
  },
  {
    repository: 'amazon/aws-cli',
    user: '',
    uid: 0,
    gid: 0,
    groups: [],
    source: 'aws/aws-cli docker/Dockerfile: FROM amazonlinux:2, no USER (root)',
  },
  {
    repository: 'kafbat/kafka-ui',
    user: 'kafkaui',
    uid: 100,
    gid: 101,
    groups: [],
    source: 'kafbat/kafka-ui v1.5.0 api/Dockerfile: addgroup -S kafkaui, adduser -S kafkaui on Alpine (system ids 100/101), USER kafkaui',
  },
  {
    repository: 'tair-opensource/redisshake',
    user: '',
    uid: 0,
    gid: 0,
    groups: [],
    source: 'tair-opensource/RedisShake Dockerfile: FROM alpine, no USER (root)',
  },
];

/** Containers that terminate TLS themselves and so need the private key of the certificate they serve. */
export const PRIVATE_KEY_USERS: readonly { repository: string; container: string; reason: string }[] = [
  { repository: 'elasticsearch/elasticsearch', container: 'elasticsearch', reason: 'serves HTTPS and transport TLS (xpack.security.*.ssl.key)' },
  { repository: 'kibana/kibana', container: 'kibana', reason: 'serves HTTPS (server.ssl.key)' },
  { repository: 'apache/kafka', container: 'kafka', reason: 'the broker listeners\' key store (tls.key + tls.crt)' },
];

// Private keys and key stores by file name; trust stores hold only certificates.
const PRIVATE_KEY_FILE = /(^|[./_-])key$|\.key$|keystore|\.p12$|\.pfx$|\.jks$/i;
const PUBLIC_FILE = /truststore|(^|[./_-])ca\.crt$/i;

// ---------------------------------------------------------------------------------------------------------------------
// Pods, containers and the files their volumes hold.

interface PodContainer {
  readonly where: string;
  readonly pod: any;
  readonly c: any;
}

function podSpecOf(o: any): any | undefined {
  switch (o?.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return o.spec?.template?.spec;
    case 'CronJob':
      return o.spec?.jobTemplate?.spec?.template?.spec;
    case 'Pod':
      return o.spec;
    default:
      return undefined;
  }
}

function containersOf(objs: any[]): PodContainer[] {
  const out: PodContainer[] = [];
  for (const o of objs) {
    const pod = podSpecOf(o);
    if (!pod) continue;
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      out.push({ where: `${o.kind}/${o.metadata?.name} container ${c.name}`, pod, c });
    }
  }
  return out;
}

/** The image's repository without registry host, tag or digest (`docker.io/library/redis:7` -> `library/redis`). */
function repositoryOf(image: string): string {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const repo = colon > slash ? noDigest.slice(0, colon) : noDigest;
  const parts = repo.split('/');
  const hostless = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]) ? parts.slice(1) : parts;
  return (hostless.length === 1 ? ['library', ...hostless] : hostless).join('/');
}

function matchesRepository(image: string, repository: string): boolean {
  const repo = repositoryOf(image);
  return repo === repository || repo.endsWith(`/${repository}`);
}

function imageUser(image: string): ImageUser | undefined {
  return IMAGE_USERS.find((u) => matchesRepository(image ?? '', u.repository));
}

/** One file of a volume as the kubelet writes it. */
interface VolumeFile {
  /** Path inside the volume; `*` when the source's keys are unknown here (a Secret made elsewhere). */
  readonly path: string;
  /** The source, for messages: `Secret/x key k`. */
  readonly from: string;
  readonly mode: number;
  readonly owner: number;
  readonly group: number;
  /** Content when the source is among the objects. */
  readonly content?: string;
}

const find = (objs: any[], kind: string, name: string) => objs.find((o) => o?.kind === kind && o.metadata?.name === name);

/** Keys of a Secret: from the object, or from the cert-manager Certificate that writes it. */
function secretKeys(objs: any[], name: string): { key: string; content?: string }[] | undefined {
  const s = find(objs, 'Secret', name);
  if (s) {
    return [
      ...Object.entries(s.stringData ?? {}).map(([key, v]) => ({ key, content: String(v) })),
      ...Object.entries(s.data ?? {}).map(([key, v]) => ({ key, content: Buffer.from(String(v), 'base64').toString() })),
    ];
  }
  const cert = objs.find((o) => o?.kind === 'Certificate' && o.spec?.secretName === name);
  if (cert) {
    const keys = ['tls.crt', 'tls.key', 'ca.crt'];
    if (cert.spec.keystores?.jks?.create) keys.push('keystore.jks', 'truststore.jks');
    if (cert.spec.keystores?.pkcs12?.create) keys.push('keystore.p12', 'truststore.p12');
    return keys.map((key) => ({ key }));
  }
  return undefined;
}

function configMapKeys(objs: any[], name: string): { key: string; content?: string }[] | undefined {
  const cm = find(objs, 'ConfigMap', name);
  if (!cm) return undefined;
  return [
    ...Object.entries(cm.data ?? {}).map(([key, v]) => ({ key, content: String(v) })),
    ...Object.keys(cm.binaryData ?? {}).map((key) => ({ key })),
  ];
}

/**
 * The files of one Secret or ConfigMap source: its items (each with its mode), else every key with the default mode.
 * AtomicWriter writes them root-owned (pkg/volume/util/atomic_writer.go); the mode is items[].mode, else defaultMode.
 */
function keyFiles(kind: string, name: string, items: any[] | undefined, defaultMode: number, keys: { key: string; content?: string }[] | undefined) {
  if (items && items.length > 0) {
    return items.map((i: any) => ({
      path: i.path, from: `${kind}/${name} key ${i.key}`, mode: i.mode ?? defaultMode, owner: 0, content: keys?.find((k) => k.key === i.key)?.content,
    }));
  }
  if (!keys) return [{ path: '*', from: `${kind}/${name} (keys unknown here)`, mode: defaultMode, owner: 0 }];
  return keys.map((k) => ({ path: k.key, from: `${kind}/${name} key ${k.key}`, mode: defaultMode, owner: 0, content: k.content }));
}

/**
 * The kubelet's effective runAsUser of every container, when all agree (pkg/volume/util FsUserFrom): projected service
 * account tokens are then owned by it.
 */
function fsUserOf(pod: any): number | undefined {
  let fsUser: number | undefined;
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const u = c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
    if (u === undefined || (fsUser !== undefined && fsUser !== u)) return undefined;
    fsUser = u;
  }
  return fsUser;
}

/** The files a volume holds, with the owner, group and mode the kubelet gives them; undefined for other volume types. */
function volumeFiles(objs: any[], pod: any, volume: any): VolumeFile[] | undefined {
  let files: Omit<VolumeFile, 'group'>[];
  if (volume.secret) {
    const name = volume.secret.secretName;
    files = keyFiles('Secret', name, volume.secret.items, volume.secret.defaultMode ?? 0o644, secretKeys(objs, name));
  } else if (volume.configMap) {
    const name = volume.configMap.name;
    files = keyFiles('ConfigMap', name, volume.configMap.items, volume.configMap.defaultMode ?? 0o644, configMapKeys(objs, name));
  } else if (volume.downwardAPI) {
    const mode = volume.downwardAPI.defaultMode ?? 0o644;
    files = (volume.downwardAPI.items ?? []).map((i: any) => ({ path: i.path, from: 'downwardAPI', mode: i.mode ?? mode, owner: 0 }));
  } else if (volume.projected) {
    const mode = volume.projected.defaultMode ?? 0o644;
    const fsGroup = pod.securityContext?.fsGroup;
    const fsUser = fsUserOf(pod);
    files = [];
    for (const s of volume.projected.sources ?? []) {
      if (s.secret) {files.push(...keyFiles('Secret', s.secret.name, s.secret.items, mode, secretKeys(objs, s.secret.name)));} else if (s.configMap) {files.push(...keyFiles('ConfigMap', s.configMap.name, s.configMap.items, mode, configMapKeys(objs, s.configMap.name)));} else if (s.downwardAPI) {files.push(...(s.downwardAPI.items ?? []).map((i: any) => ({ path: i.path, from: 'downwardAPI', mode: i.mode ?? mode, owner: 0 })));} else if (s.serviceAccountToken) {
        // pkg/volume/projected/projected.go: 0600 when the pod has an fsUser or fsGroup, owned by the fsUser.
        files.push({
          path: s.serviceAccountToken.path, from: 'serviceAccountToken', mode: fsUser !== undefined || fsGroup !== undefined ? 0o600 : mode, owner: fsUser ?? 0,
        });
      }
    }
  } else {
    return undefined;
  }
  // pkg/volume/volume_linux.go changeFilePermission: with an fsGroup every file of these read-only volumes is given
  // the fsGroup as group and mode |= 0440 (the policy is ignored for them: SetVolumeOwnership(..., nil)). Else root.
  const fsGroup = pod.securityContext?.fsGroup;
  return files.map((f) => (fsGroup !== undefined ? { ...f, group: fsGroup, mode: withBits(f.mode, 0o440) } : { ...f, group: 0 }));
}

/** The files a container sees through one mount (a subPath selects one file or directory of the volume). */
function mountedFiles(files: VolumeFile[], mount: any): VolumeFile[] {
  if (!mount.subPath) return files;
  return files.filter((f) => f.path === '*' || f.path === mount.subPath || f.path.startsWith(`${mount.subPath}/`));
}

/** The name a process sees a file under. */
function seenName(f: VolumeFile, mount: any): string {
  const name = mount.subPath && f.path === mount.subPath ? mount.mountPath : f.path;
  return name.slice(name.lastIndexOf('/') + 1);
}

function eachMountedFile(objs: any[], fn: (pc: PodContainer, mount: any, volume: any, files: VolumeFile[]) => void): void {
  for (const pc of containersOf(objs)) {
    for (const mount of pc.c.volumeMounts ?? []) {
      const volume = (pc.pod.volumes ?? []).find((v: any) => v.name === mount.name);
      if (!volume) continue;
      const files = volumeFiles(objs, pc.pod, volume);
      if (files) fn(pc, mount, volume, mountedFiles(files, mount));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Identity of a container.

interface Identity {
  readonly uid?: number;
  readonly gid?: number;
  readonly groups: readonly number[];
  /** Root with CAP_DAC_OVERRIDE reads any file. */
  readonly overridesPermissions: boolean;
  readonly uidSource: string;
}

function identityOf(pod: any, c: any): Identity {
  const img = imageUser(c.image);
  const runAsUser: number | undefined = c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  const uid = runAsUser ?? img?.uid;
  const imageUid = img !== undefined && uid === img.uid;
  // The USER line's group applies only without runAsUser; with it and no runAsGroup the runtime takes the uid's group
  // from the image's /etc/passwd (known here only for the image's own user).
  const imageGid = imageUid ? (runAsUser === undefined ? img.gid : img.passwdGid ?? img.gid) : undefined;
  const gid: number | undefined = c.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup ?? imageGid;
  // The kubelet adds fsGroup and supplementalGroups to every container; the runtime merges the user's /etc/group ones.
  const groups = [
    ...(pod.securityContext?.supplementalGroups ?? []),
    ...(pod.securityContext?.fsGroup !== undefined ? [pod.securityContext.fsGroup] : []),
    ...(imageUid ? img.groups : []),
  ];
  const drop: string[] = c.securityContext?.capabilities?.drop ?? [];
  const add: string[] = c.securityContext?.capabilities?.add ?? [];
  const dacDropped = (drop.includes('ALL') || drop.includes('DAC_OVERRIDE')) && !add.includes('DAC_OVERRIDE');
  const uidSource = c.securityContext?.runAsUser !== undefined ? 'container runAsUser'
    : pod.securityContext?.runAsUser !== undefined ? 'pod runAsUser' : img ? `image ${img.repository} USER` : 'unknown image user';
  return { uid, gid, groups, overridesPermissions: uid === 0 && !dacDropped, uidSource };
}

// Permission bits are bit masks.
/* eslint-disable no-bitwise */
const hasBit = (mode: number, bit: number) => (mode & bit) !== 0;
const withBits = (mode: number, bits: number) => mode | bits;
/* eslint-enable no-bitwise */

/** Whether the identity may read the file, by the owner, then group, then other bits (the first class that applies). */
function canRead(id: Identity, f: VolumeFile): boolean {
  if (id.overridesPermissions) return true;
  if (id.uid !== undefined && id.uid === f.owner) return hasBit(f.mode, 0o400);
  if ((id.gid !== undefined && id.gid === f.group) || id.groups.includes(f.group)) return hasBit(f.mode, 0o040);
  return hasBit(f.mode, 0o004);
}

// ---------------------------------------------------------------------------------------------------------------------
// Checks.

/** Every file a container mounts is readable by its uid and groups. */
export function filePermissionViolations(objs: any[]): string[] {
  const out: string[] = [];
  eachMountedFile(objs, ({ where, pod, c }, mount, _volume, files) => {
    const id = identityOf(pod, c);
    for (const f of files) {
      if (canRead(id, f)) continue;
      const who = id.uid === undefined ? `an unknown uid (no runAsUser, image ${c.image} not in IMAGE_USERS)`
        : `uid ${id.uid} (${id.uidSource}), gid ${id.gid ?? 'unknown'}, groups [${id.groups.join(',')}]`;
      const at = f.path === '*' || (mount.subPath && f.path === mount.subPath) ? mount.mountPath : `${mount.mountPath}/${f.path}`;
      out.push(`${where}: cannot read ${at} (${f.from}, mode 0${f.mode.toString(8)}, `
        + `owner ${f.owner}, group ${f.group}) as ${who}`);
    }
  });
  return out;
}

function isDeclaredKeyUser(c: any): boolean {
  return PRIVATE_KEY_USERS.some((u) => u.container === c.name && matchesRepository(c.image ?? '', u.repository));
}

/** Only the containers in PRIVATE_KEY_USERS mount private keys or key stores; a Secret of unknown keys counts as one. */
export function privateKeyViolations(objs: any[]): string[] {
  const out: string[] = [];
  eachMountedFile(objs, ({ where, c }, mount, volume, files) => {
    if (isDeclaredKeyUser(c)) return;
    for (const f of files) {
      const fromSecret = f.from.startsWith('Secret/');
      if (f.path === '*' && fromSecret) {
        out.push(`${where}: mounts every key of ${f.from.split(' ')[0]} at ${mount.mountPath}, whose keys are not known here: list the items it needs`);
      } else if (fromSecret && PRIVATE_KEY_FILE.test(f.path) && !PUBLIC_FILE.test(f.path)) {
        out.push(`${where}: mounts the private key ${f.path} (${f.from}, volume ${volume.name}) it does not serve TLS with: mount only the CA`);
      }
    }
  });
  return out;
}

/**
 * The placeholders of a text, with nesting as Elasticsearch's PropertyPlaceholder reads them. `elastic`: `${name}`, and
 * `${name:default}` has a fallback. `envsubst`: `${NAME}`, and `${NAME-x}`, `${NAME:-x}`, `${NAME=x}`, `${NAME:=x}`,
 * `${NAME+x}`, `${NAME:+x}` never need the variable (`${NAME:?}` does).
 */
export function placeholdersIn(text: string, syntax: 'elastic' | 'envsubst' = 'elastic'): { name: string; hasDefault: boolean }[] {
  const out: { name: string; hasDefault: boolean }[] = [];
  let i = text.indexOf('${');
  while (i !== -1) {
    let depth = 0;
    let j = i + 2;
    for (; j < text.length; j++) {
      if (text.startsWith('${', j)) {
        depth++;
        j++;
      } else if (text[j] === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (j >= text.length) break;
    const inner = text.slice(i + 2, j);
    if (syntax === 'envsubst') {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(inner);
      if (m) out.push({ name: m[1], hasDefault: /^:?[-=+]/.test(m[2]) });
    } else {
      const colon = inner.indexOf(':');
      out.push({ name: colon === -1 ? inner : inner.slice(0, colon), hasDefault: colon !== -1 });
    }
    i = text.indexOf('${', j + 1);
  }
  return out;
}

/** The setting names of a YAML config, flattened to dotted keys the way Settings.loadFromPath does. */
function settingNames(content: string): Set<string> {
  const names = new Set<string>();
  const walk = (v: any, prefix: string) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, prefix ? `${prefix}.${k}` : k);
    } else if (prefix) {
      names.add(prefix);
    }
  };
  try {
    walk(parse(content), '');
  } catch {
    // Not YAML: no setting can resolve a placeholder.
  }
  return names;
}

/** The env names a container defines; undefined when an envFrom source is not among the objects (anything may be). */
function envNames(objs: any[], c: any): Set<string> | undefined {
  const names = new Set<string>((c.env ?? []).map((e: any) => e.name));
  for (const from of c.envFrom ?? []) {
    const keys = from.configMapRef ? configMapKeys(objs, from.configMapRef.name) : secretKeys(objs, from.secretRef?.name);
    if (!keys) return undefined;
    for (const k of keys) names.add(`${from.prefix ?? ''}${k.key}`);
  }
  return names;
}

/**
 * Every `${NAME}` of a file in SUBSTITUTED_CONFIG_FILES is defined in the env of each container that reads the file:
 * containers that mount it, and containers that share a writable emptyDir with one of them (the file may be copied
 * there, as an init container preparing a config directory does).
 */
export function placeholderViolations(objs: any[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  eachMountedFile(objs, (pc, mount, _volume, files) => {
    for (const f of files) {
      const sub = SUBSTITUTED_CONFIG_FILES.find((s) => s.file === seenName(f, mount));
      if (!sub || f.content === undefined) continue;
      const placeholders = placeholdersIn(f.content, sub.syntax).filter((p) => !p.hasDefault);
      if (placeholders.length === 0) continue;
      const settings = sub.settingsResolve ? settingNames(f.content) : new Set<string>();
      const writable = new Set((pc.c.volumeMounts ?? []).filter((m: any) => !m.readOnly
        && (pc.pod.volumes ?? []).some((v: any) => v.name === m.name && v.emptyDir)).map((m: any) => m.name));
      const readers = [...(pc.pod.initContainers ?? []), ...(pc.pod.containers ?? [])].filter((c: any) => c === pc.c
        || (c.volumeMounts ?? []).some((m: any) => writable.has(m.name)));
      for (const reader of readers) {
        const env = envNames(objs, reader);
        if (!env) continue;
        const where = pc.where.replace(/container .*$/, `container ${reader.name}`);
        for (const p of placeholders) {
          if (env.has(p.name) || settings.has(p.name)) continue;
          const msg = `${where}: ${sub.file} (${f.from}) uses \${${p.name}}, which is not in its env`
            + (reader === pc.c ? '' : ` (it shares a writable emptyDir with ${pc.c.name}, which mounts the file)`);
          if (!seen.has(msg)) out.push(msg);
          seen.add(msg);
        }
      }
    }
  });
  return out;
}

/** runAsNonRoot without runAsUser: the kubelet starts the container only when the image USER is a non-zero number. */
export function imageUserViolations(objs: any[]): string[] {
  const out: string[] = [];
  for (const { where, pod, c } of containersOf(objs)) {
    const nonRoot = c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    if (nonRoot !== true || (c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser) !== undefined) continue;
    // An image not in the table may have a numeric USER: only the kubelet can tell.
    const img = imageUser(c.image);
    if (!img) continue;
    if (img.uid === 0) out.push(`${where}: runAsNonRoot without runAsUser, and ${c.image} runs as root: set runAsUser`);
    else if (!/^[0-9]+(:[0-9]+)?$/.test(img.user)) out.push(`${where}: runAsNonRoot without runAsUser, and the USER of ${c.image} is the name '${img.user}', which the kubelet cannot verify: set runAsUser`);
  }
  return out;
}

/** All the checks of this file. */
export function podFileViolations(objs: any[]): string[] {
  return [...placeholderViolations(objs), ...filePermissionViolations(objs), ...privateKeyViolations(objs), ...imageUserViolations(objs)];
}
