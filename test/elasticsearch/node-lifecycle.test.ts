/**
 * The node pod's own scripts (entrypoint, preStop, readiness), each run with the env, command and mounts of the
 * synthesized StatefulSet (test/harness/pod-env.ts), against a fake curl that answers as a small cluster and refuses
 * what Elasticsearch refuses (fake-es-curl.js).
 */
import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import { ElasticsearchCluster } from '../../src';
import { containerEnv, containerOf, mountedFile, relocate } from '../harness/pod-env';

const PASSWORD = 'pw-from-secret';
const objs = (() => {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'obs' });
  new ElasticsearchCluster(chart, 'logs', {});
  return Testing.synth(chart) as any[];
})();
const sts = (name: string) => objs.find((o) => o.kind === 'StatefulSet' && o.metadata.name === name);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'es-node-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'curl'), `#!/bin/bash\nexec node ${join(__dirname, 'fake-es-curl.js')} "$@"\n`);
  chmodSync(join(dir, 'bin', 'curl'), 0o755);
  // The image's elasticsearch binary: prints its arguments.
  mkdirSync(join(dir, 'usr/share/elasticsearch/bin'), { recursive: true });
  writeFileSync(join(dir, 'usr/share/elasticsearch/bin/elasticsearch'), '#!/bin/bash\necho "ES ARGS: $*"\n');
  chmodSync(join(dir, 'usr/share/elasticsearch/bin/elasticsearch'), 0o755);
  for (const d of ['usr/share/elasticsearch/data', 'tmp', 'mnt/elastic-password', 'nodes']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'mnt/elastic-password/password'), PASSWORD);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A node of the fake cluster, reachable as `host` (`_local`: the pod itself, through --resolve to 127.0.0.1). */
interface FakeNode {
  id?: string; name?: string; uuid?: string; master?: string; attrs?: Record<string, string>; down?: boolean; securityUnavailable?: boolean;
}
function node(host: string, s: FakeNode) {
  const d = join(dir, 'nodes', host);
  mkdirSync(d, { recursive: true });
  if (s.id) writeFileSync(join(d, 'id'), s.id);
  if (s.name) writeFileSync(join(d, 'name'), s.name);
  if (s.uuid) writeFileSync(join(d, 'uuid'), s.uuid);
  if (s.master) writeFileSync(join(d, 'master'), s.master);
  if (s.attrs) writeFileSync(join(d, 'attrs.json'), JSON.stringify(s.attrs));
  if (s.down) writeFileSync(join(d, 'down'), '');
  if (s.securityUnavailable) writeFileSync(join(d, 'security-unavailable'), '');
}

/**
 * Runs `command` of a container of `stsName`'s pod `podName` with that container's env from the manifest
 * (the elastic Secret's sample value is PASSWORD); paths under its mounts live in the test directory.
 */
function runPod(stsName: string, podName: string, containerName: string, command: string[], override: Record<string, string> = {}) {
  const spec = sts(stsName).spec.template.spec;
  const c = containerOf(spec, containerName);
  const env = relocate(containerEnv(c, { podName, podIp: '10.1.2.3', namespace: 'obs', values: { 'logs-elastic/password': PASSWORD } }), c, dir);
  // The command: bash <script from the scripts ConfigMap>, after tini.
  const i = command.indexOf('bash');
  expect(i).toBeGreaterThanOrEqual(0);
  const script = mountedFile(objs, spec, c, command[i + 1]);
  const r = spawnSync('bash', ['-c', script], {
    encoding: 'utf8',
    env: { ...env, ES_HOME: join(dir, 'usr/share/elasticsearch'), ...override, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, FAKE_ES: dir, FAKE_ES_PASSWORD: PASSWORD, TMPDIR: join(dir, 'tmp') },
    timeout: 60_000,
    // stdin not a socket: bash would take itself for an rsh session and read ~/.bashrc.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const requests = existsSync(join(dir, 'requests')) ? readFileSync(join(dir, 'requests'), 'utf8') : '';
  return { ...r, requests };
}
const mainCommand = (stsName: string) => containerOf(sts(stsName).spec.template.spec, 'elasticsearch').command as string[];
const preStop = (stsName: string) => containerOf(sts(stsName).spec.template.spec, 'elasticsearch').lifecycle?.preStop?.exec?.command as string[];
const readiness = (stsName: string) => containerOf(sts(stsName).spec.template.spec, 'elasticsearch').readinessProbe.exec.command as string[];
const formedMarker = () => join(dir, 'usr/share/elasticsearch/data/.cdk8s-cluster-formed');

describe('bootstrapping: a master with an empty volume never bootstraps a second cluster (review E9)', () => {
  // Short peer wait in tests only; the manifest's value is checked below.
  const fast = { PEER_WAIT_SECONDS: '3' };

  test('the manifest gives masters a peer wait long enough for a peer JVM to answer', () => {
    const env = containerEnv(containerOf(sts('logs-master').spec.template.spec, 'elasticsearch'), { podName: 'logs-master-0' });
    expect(Number(env.PEER_WAIT_SECONDS)).toBeGreaterThanOrEqual(60);
    expect(env.NODES_SERVICE).toBe('logs-nodes');
  });

  test('first formation: no peer answers (they wait too), so the node bootstraps with every master', () => {
    const r = runPod('logs-master', 'logs-master-1', 'elasticsearch', mainCommand('logs-master'), fast);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ES ARGS: -Ecluster.initial_master_nodes=logs-master-0,logs-master-1,logs-master-2');
    // It asked the other masters under their node DNS names (in the HTTP certificate), not itself.
    expect(r.requests).toContain('GET logs-master-0.logs-nodes /');
    expect(r.requests).not.toContain('logs-master-1.logs-nodes');
  });

  test('replaced master while the cluster runs: a peer reports the cluster UUID, so no cluster.initial_master_nodes', () => {
    node('logs-master-0.logs-nodes', { id: 'm0', name: 'logs-master-0', uuid: 'Xk3-cluster-uuid', master: 'm0' });
    node('logs-master-2.logs-nodes', { down: true });
    const r = runPod('logs-master', 'logs-master-1', 'elasticsearch', mainCommand('logs-master'), fast);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ES ARGS:');
    expect(r.stdout).not.toContain('initial_master_nodes=');
    expect(r.stdout).toContain('logs-master-0 belongs to cluster Xk3-cluster-uuid');
  });

  test('quorum lost (two master volumes gone): the survivor has no master but has been part of the cluster, so no bootstrap', () => {
    // The survivor restarted: without an elected master its local state has no UUID yet, but it started with the
    // attribute that its marker sets.
    node('logs-master-2.logs-nodes', { id: 'm2', name: 'logs-master-2', uuid: '_na_', attrs: { cdk8s_formed: 'true' } });
    const r = runPod('logs-master', 'logs-master-0', 'elasticsearch', mainCommand('logs-master'), fast);
    expect(r.stdout).not.toContain('initial_master_nodes=');
    expect(r.stdout).toContain('logs-master-2 has been part of the formed cluster');
  });

  test('quorum lost, the survivor never restarted: it runs but cannot authenticate (no .security), so no bootstrap', () => {
    node('logs-master-2.logs-nodes', { id: 'm2', name: 'logs-master-2', uuid: 'Xk3-cluster-uuid', securityUnavailable: true });
    const r = runPod('logs-master', 'logs-master-0', 'elasticsearch', mainCommand('logs-master'), fast);
    expect(r.stdout).not.toContain('initial_master_nodes=');
    expect(r.stdout).toContain('logs-master-2 runs Elasticsearch with security state (HTTP 401)');
  });

  test('a peer that answers but has never joined a cluster does not stop first formation', () => {
    node('logs-master-0.logs-nodes', { id: 'm0', name: 'logs-master-0', uuid: '_na_' });
    node('logs-master-2.logs-nodes', { id: 'm2', name: 'logs-master-2', uuid: '_na_' });
    const r = runPod('logs-master', 'logs-master-1', 'elasticsearch', mainCommand('logs-master'), fast);
    expect(r.stdout).toContain('-Ecluster.initial_master_nodes=');
  });

  test('a node that has been part of the formed cluster starts without the setting and publishes that as an attribute', () => {
    writeFileSync(formedMarker(), '');
    const r = runPod('logs-master', 'logs-master-1', 'elasticsearch', mainCommand('logs-master'), fast);
    expect(r.stdout).not.toContain('initial_master_nodes=');
    expect(r.stdout).toContain('-Enode.attr.cdk8s_formed=true');
    expect(r.requests).toBe('');
  });

  test('data nodes never bootstrap and never ask', () => {
    const r = runPod('logs-hot', 'logs-hot-0', 'elasticsearch', mainCommand('logs-hot'), fast);
    expect(r.stdout).not.toContain('initial_master_nodes');
    expect(r.requests).toBe('');
  });
});

describe('a restart registers with the node shutdown API, and the registration is removed once the node is back (review E5)', () => {
  test('preStop registers type restart with an allocation delay, under the node id (not the name)', () => {
    const cmd = preStop('logs-hot');
    expect(cmd).toBeDefined();
    node('_local', { id: 'Hq7nodeId', name: 'logs-hot-0', uuid: 'u1', master: 'm0' });
    const r = runPod('logs-hot', 'logs-hot-0', 'elasticsearch', cmd);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rec = JSON.parse(readFileSync(join(dir, 'shutdown', 'Hq7nodeId.json'), 'utf8'));
    expect(rec.type).toBe('restart');
    expect(rec.allocation_delay).toBe('10m');
    expect(rec.reason).toContain('logs-hot-0');
    expect(r.stdout).toContain('registered restart of node Hq7nodeId');
  });

  test('the delay outlasts what a restart takes: the grace period plus the init containers and the startup probe budget', () => {
    const spec = sts('logs-hot').spec.template.spec;
    const env = containerEnv(containerOf(spec, 'elasticsearch'), { podName: 'logs-hot-0' });
    expect(env.SHUTDOWN_ALLOCATION_DELAY).toBe('10m');
    // preStop runs inside the termination grace period: its requests are bounded well below it.
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(60);
  });

  test('preStop never blocks or fails the stop: an unreachable node or a refused registration only logs', () => {
    node('_local', { down: true });
    const r = runPod('logs-hot', 'logs-hot-0', 'elasticsearch', preStop('logs-hot'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('not registered');
    expect(existsSync(join(dir, 'shutdown'))).toBe(false);
  });

  test('after the restart the readiness probe deletes the record once the node has joined, then gates on recovery', () => {
    node('_local', { id: 'Hq7nodeId', name: 'logs-hot-0', uuid: 'u1', master: 'm0' });
    expect(runPod('logs-hot', 'logs-hot-0', 'elasticsearch', preStop('logs-hot')).status).toBe(0);
    expect(existsSync(join(dir, 'shutdown', 'Hq7nodeId.json'))).toBe(true);
    const r = runPod('logs-hot', 'logs-hot-0', 'elasticsearch', readiness('logs-hot'));
    expect(r.stdout).toContain('removed the restart registration of node Hq7nodeId');
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'shutdown', 'Hq7nodeId.json'))).toBe(false);
    expect(r.requests).toContain('DELETE _local /_nodes/Hq7nodeId/shutdown');
  });

  test('no record (first start, or the node was not registered): the 404 does not make the node unready', () => {
    node('_local', { id: 'Hq7nodeId', name: 'logs-hot-0', uuid: 'u1', master: 'm0' });
    const r = runPod('logs-hot', 'logs-hot-0', 'elasticsearch', readiness('logs-hot'));
    expect(r.status).toBe(0);
    expect(r.requests).toContain('DELETE _local /_nodes/Hq7nodeId/shutdown');
    rmSync(join(dir, 'tmp', '.cdk8s-recovered'), { force: true });
    expect(runPod('logs-hot', 'logs-hot-0', 'elasticsearch', readiness('logs-hot'), { FAKE_ES_EARLY_SHUTDOWN_API: '1' }).status).toBe(0);
  });

  test('without an elected master the record cannot be removed yet: not ready, asked again', () => {
    node('_local', { id: 'Hq7nodeId', name: 'logs-hot-0', uuid: '_na_' });
    const r = runPod('logs-hot', 'logs-hot-0', 'elasticsearch', readiness('logs-hot'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('could not be removed yet: HTTP 503');
  });
});

describe('the fake refuses what the node shutdown API refuses', () => {
  const put = (body: unknown) => {
    node('_local', { id: 'n1', master: 'm0' });
    writeFileSync(join(dir, 'cfg'), `user = "elastic:${PASSWORD}"\n`);
    writeFileSync(join(dir, 'body'), JSON.stringify(body));
    return spawnSync(join(dir, 'bin', 'curl'), ['-K', join(dir, 'cfg'), '--resolve', 'logs:9200:127.0.0.1', '-X', 'PUT', '--data-binary', `@${join(dir, 'body')}`,
      '-w', '%{http_code}', 'https://logs:9200/_nodes/n1/shutdown'], { encoding: 'utf8', env: { ...process.env, FAKE_ES: dir, FAKE_ES_PASSWORD: PASSWORD } }).stdout;
  };
  test.each([
    ['allocation_delay with type remove', { type: 'remove', reason: 'x', allocation_delay: '10m' }, 'only allowed for RESTART'],
    ['no reason', { type: 'restart' }, 'reason is required'],
    ['unknown field', { type: 'restart', reason: 'x', delay: '10m' }, 'unknown field [delay]'],
    ['bad time value', { type: 'restart', reason: 'x', allocation_delay: '10 minutes' }, 'as a time value'],
  ])('%s', (_n, body, message) => {
    const out = put(body);
    expect(out).toContain(message);
    expect(out.endsWith('400')).toBe(true);
  });
});
