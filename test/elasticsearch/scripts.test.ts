/**
 * The Elasticsearch scripts run against a fake `curl` on PATH (no Elasticsearch can run on the test machine): the
 * fake records every request (method, path, body, credentials config) and answers from a small table. This checks
 * what the scripts send, in which order, how they react to answers, and that no password reaches a process argument.
 */
import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import { ElasticsearchCluster } from '../../src';
import { readinessScript, setupScript } from '../../src/elasticsearch/scripts';
import { containerEnv, containerOf, mountedFile, relocate } from '../harness/pod-env';

// Answers: FAKE_DIR/responses/<METHOD>_<path with / and ? replaced by _> holds "<code> <body>"; default 200 {}.
const FAKE_CURL = `#!/bin/bash
method=GET out="" fmt="" data="" cfg="" url=""
while (($#)); do
  case $1 in
    -X) method=$2; shift ;;
    -o) out=$2; shift ;;
    -w) fmt=$2; shift ;;
    -K) cfg=$2; shift ;;
    --data-binary) data=$2; shift ;;
    --resolve) echo "RESOLVE $2" >> "$FAKE_DIR/argv"; shift ;;
    --cacert|--max-time|-H) shift ;;
    https://*) url=$1 ;;
  esac
  shift
done
path=/\${url#https://*/}
key=$(printf '%s_%s' "$method" "$path" | tr '/?&=,' '_____')
echo "REQ $method $path" >> "$FAKE_DIR/log"
echo "ARGV $method $path cfg=$cfg" >> "$FAKE_DIR/argv"
if [[ -n $data ]]; then echo "BODY $(cat "\${data#@}")" >> "$FAKE_DIR/log"; fi
if [[ $cfg == - ]]; then cat > "$FAKE_DIR/last-auth"; elif [[ -n $cfg ]]; then cp "$cfg" "$FAKE_DIR/last-auth"; fi
resp="200 {}"
if [[ -f $FAKE_DIR/responses/$key ]]; then resp=$(cat "$FAKE_DIR/responses/$key"); fi
# With FAKE_DIR/accept-auth, only that credentials config is accepted (as Elasticsearch after a password change).
if [[ -f $FAKE_DIR/accept-auth ]] && ! cmp -s "$FAKE_DIR/last-auth" "$FAKE_DIR/accept-auth"; then resp='401 {"error":"security_exception"}'; fi
code=\${resp%% *}
body=\${resp#* }
if [[ $code == 000 ]]; then echo "curl: (7) Failed to connect" >&2; [[ -n $fmt ]] && printf '000'; exit 7; fi
if [[ -n $out ]]; then printf '%s' "$body" > "$out"; else printf '%s' "$body"; fi
if [[ -n $fmt ]]; then printf '%s' "\${fmt/'%{http_code}'/$code}"; fi
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'es-scripts-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'responses'));
  mkdirSync(join(dir, 'setup'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'bin', 'curl'), FAKE_CURL);
  chmodSync(join(dir, 'bin', 'curl'), 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const respond = (method: string, path: string, code: number, body = '{}') =>
  writeFileSync(join(dir, 'responses', `${method}_${path}`.replace(/[/?&=,]/g, '_')), `${code} ${body}`);
const PASSWORD = 'S3cr"et\\pw';

function run(script: string, env: Record<string, string>) {
  const r = spawnSync('bash', ['-c', script], {
    encoding: 'utf8',
    env: {
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`, TMPDIR: dir, FAKE_DIR: dir, ELASTIC_PASSWORD: PASSWORD, CA_CERT: '/ca.crt', ...env,
    },
  });
  const read = (f: string) => existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '';
  return { ...r, log: read('log'), argv: read('argv'), auth: read('last-auth') };
}

describe('readiness.sh', () => {
  const env = () => ({ DATA_DIR: join(dir, 'data'), ES_PORT: '9200', ES_HOST: 'logs', RECOVERED_MARKER: join(dir, 'recovered') });
  const health = (initializing: number, delayed: number) => {
    // The node id, for removing its restart registration (node-lifecycle.test.ts) before the recovery gate.
    respond('GET', '/_nodes/_local?filter_path=nodes.*.name', 200, '{"nodes":{"n1":{"name":"logs-hot-0"}}}');
    respond('GET', '/_cluster/health', 200, `{"status":"yellow","initializing_shards":${initializing},"delayed_unassigned_shards":${delayed},"unassigned_shards":2}`);
  };

  test('not ready while the node does not answer 200 with credentials', () => {
    respond('GET', '/', 401, '{"error":"security_exception"}');
    const r = run(readinessScript(), env());
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('GET / answered HTTP 401');
    // Credentials go through a curl config file, escaped, never on the command line.
    expect(r.auth).toBe('user = "elastic:S3cr\\"et\\\\pw"\n');
    expect(r.argv).not.toContain('S3cr');
  });

  test('the mounted password file is tried first (rotation without restart), the environment when it is refused', () => {
    writeFileSync(join(dir, 'pw'), 'rotated');
    run(readinessScript(), { ...env(), PROBE_PASSWORD_FILE: join(dir, 'pw') });
    expect(readFileSync(join(dir, 'last-auth'), 'utf8')).toBe('user = "elastic:rotated"\n');
    // The Secret already holds the new password, Elasticsearch still the old one (the start's environment).
    health(0, 0);
    writeFileSync(join(dir, 'accept-auth'), 'user = "elastic:S3cr\\"et\\\\pw"\n');
    const r = run(readinessScript(), { ...env(), PROBE_PASSWORD_FILE: join(dir, 'pw') });
    expect(r.stdout).not.toContain('answered HTTP');
    expect(r.status).toBe(0);
    // Neither is accepted: not ready.
    writeFileSync(join(dir, 'accept-auth'), 'user = "elastic:other"\n');
    expect(run(readinessScript(), { ...env(), PROBE_PASSWORD_FILE: join(dir, 'pw') }).stdout).toContain('GET / answered HTTP 401');
  });

  test('asks the local node under the client Service name, which the certificate carries', () => {
    const r = run(readinessScript(), env());
    expect(r.log).toContain('REQ GET /');
    expect(r.argv).toContain('RESOLVE logs:9200:127.0.0.1');
  });

  test('after a start, ready only once no shard is initializing or delayed; then no longer asks', () => {
    health(2, 0);
    expect(run(readinessScript(), env()).status).toBe(1);
    health(0, 1);
    expect(run(readinessScript(), env()).status).toBe(1);
    // Permanently unassigned replicas (yellow) do not block readiness.
    health(0, 0);
    expect(run(readinessScript(), env()).status).toBe(0);
    health(5, 0);
    const again = run(readinessScript(), env());
    expect(again.status).toBe(0);
  });

  test('as docs/elasticsearch.md says: a red cluster (primaries of nodes not joined yet) does not hold the gate', () => {
    respond('GET', '/_nodes/_local?filter_path=nodes.*.name', 200, '{"nodes":{"n1":{"name":"logs-hot-0"}}}');
    respond('GET', '/_cluster/health', 200, '{"status":"red","initializing_shards":0,"unassigned_shards":12,"delayed_unassigned_shards":0,"unassigned_primary_shards":6}');
    expect(run(readinessScript(), env()).status).toBe(0);
  });

  test('records that the cluster has formed once a master is elected', () => {
    health(0, 0);
    respond('GET', '/_cluster/state/master_node?local=true', 200, '{"cluster_name":"logs"}');
    run(readinessScript(), env());
    expect(existsSync(join(dir, 'data', '.cdk8s-cluster-formed'))).toBe(false);
    respond('GET', '/_cluster/state/master_node?local=true', 200, '{"cluster_name":"logs","master_node":"abc"}');
    run(readinessScript(), env());
    expect(existsSync(join(dir, 'data', '.cdk8s-cluster-formed'))).toBe(true);
  });
});

describe('setup.sh', () => {
  const env = (extra: Record<string, string> = {}) => ({
    ES_URL: 'https://logs:9200', SETUP_DIR: join(dir, 'setup'), WAIT_TIMEOUT_SECONDS: '60', ...extra,
  });
  const file = (name: string, body: unknown) => writeFileSync(join(dir, 'setup', name), JSON.stringify(body));

  test('applies users, repository, ILM, templates, rollover index and SLM in order; passwords only in files', () => {
    file('exporter-role.json', { cluster: ['monitor'] });
    file('repository.json', { type: 's3' });
    file('ilm.logs.json', { policy: {} });
    file('template.app.json', { index_patterns: ['app-*'] });
    file('slm.json', { schedule: '0 30 1 * * ?' });
    respond('GET', '/_alias/audit', 404);
    respond('GET', '/_alias/existing', 200, '{"existing-000001":{}}');
    const r = run(setupScript(), env({
      KIBANA_SYSTEM_PASSWORD: 'kib"pw',
      EXPORTER_USER: 'cdk8s-metrics-exporter',
      EXPORTER_PASSWORD: 'exp-pw',
      SNAPSHOT_REPOSITORY: 'backups',
      SLM_POLICY: 'logs-daily',
      ROLLOVER_ALIASES: 'audit existing',
    }));
    expect(r.status).toBe(0);
    const reqs = r.log.split('\n').filter((l) => l.startsWith('REQ')).map((l) => l.slice(4));
    expect(reqs).toEqual([
      'GET /_cluster/health?wait_for_status=yellow&timeout=30s',
      'POST /_security/user/kibana_system/_password',
      'PUT /_security/role/cdk8s_metrics_exporter',
      'PUT /_security/user/cdk8s-metrics-exporter',
      'PUT /_snapshot/backups',
      'PUT /_ilm/policy/logs',
      'PUT /_index_template/app',
      'GET /_alias/audit',
      'PUT /audit-000001',
      'GET /_alias/existing',
      'PUT /_slm/policy/logs-daily',
    ]);
    expect(r.log).toContain('BODY {"password":"kib\\"pw"}');
    expect(r.log).toContain('BODY {"password":"exp-pw","roles":["cdk8s_metrics_exporter"]}');
    expect(r.log).toContain('BODY {"aliases":{"audit":{"is_write_index":true}}}');
    expect(r.argv).not.toMatch(/kib"pw|exp-pw|S3cr/);
  });

  test('waits for the cluster, and fails (so the Job retries) on an error answer', () => {
    file('ilm.logs.json', { policy: {} });
    respond('PUT', '/_ilm/policy/logs', 400, '{"error":"bad policy"}');
    const r = run(setupScript(), env());
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('PUT /_ilm/policy/logs: HTTP 400 {"error":"bad policy"}');
  });

  test('gives up after the wait timeout when the cluster never answers', () => {
    respond('GET', '/_cluster/health?wait_for_status=yellow&timeout=30s', 0);
    const r = run(setupScript(), env({ WAIT_TIMEOUT_SECONDS: '-1' }));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('did not reach yellow');
  });

  test('restore: the latest successful snapshot into an empty cluster; never into a cluster with data', () => {
    file('restore-repository.json', { type: 's3' });
    file('restore.json', { indices: '*,-.*' });
    respond('GET', '/_cat/indices?h=index&expand_wildcards=open', 200, '.kibana_1\n');
    respond('GET', '/_data_stream', 200, '{"data_streams":[{"name":"ilm-history-7"}]}');
    respond('GET', '/_cat/snapshots/restore-source?h=id,status&s=end_epoch', 200, 'snap-1 SUCCESS\nsnap-2 SUCCESS\nsnap-3 FAILED\n');
    const r = run(setupScript(), env({ RESTORE_SNAPSHOT: 'latest' }));
    expect(r.status).toBe(0);
    expect(r.log).toContain('REQ POST /_snapshot/restore-source/snap-2/_restore');

    rmSync(join(dir, 'log'));
    respond('GET', '/_cat/indices?h=index&expand_wildcards=open', 200, 'orders\n.kibana_1\n');
    const again = run(setupScript(), env({ RESTORE_SNAPSHOT: 'latest' }));
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('already holds 1 indices');
    expect(again.log).not.toContain('_restore');
  });

  test('restore: a name clash fails the Job loudly (a restore is all-or-nothing); no successful snapshot fails', () => {
    file('restore-repository.json', { type: 's3' });
    file('restore.json', { indices: '*,-.*' });
    respond('GET', '/_cat/indices?h=index&expand_wildcards=open', 200, '');
    respond('GET', '/_data_stream', 200, '{"data_streams":[]}');
    // Elasticsearch refuses the whole restore when one name exists (RestoreService, HTTP 500 snapshot_restore_exception).
    respond('POST', '/_snapshot/restore-source/snap-9/_restore', 500,
      '{"error":{"type":"snapshot_restore_exception","reason":"[restore-source:snap-9/x] cannot restore index [orders] because an open index with same name already exists in the cluster."},"status":500}');
    const clash = run(setupScript(), env({ RESTORE_SNAPSHOT: 'snap-9' }));
    expect(clash.status).toBe(1);
    expect(clash.stdout).toContain('nothing of snapshot snap-9 was restored');
    expect(clash.stdout).toContain('cannot restore index [orders]');
    respond('GET', '/_cat/snapshots/restore-source?h=id,status&s=end_epoch', 200, 'snap-3 FAILED\n');
    const r = run(setupScript(), env({ RESTORE_SNAPSHOT: 'latest' }));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('no successful snapshot');
  });
});

describe('setup Job with the env, files and command of the synthesized Job', () => {
  const synthJob = () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'obs' });
    new ElasticsearchCluster(chart, 'logs', {
      snapshots: { repository: { endpoint: 'http://minio:9000', bucket: 'es-new', credentialsSecret: 'minio' } },
      restore: { repository: { endpoint: 'http://minio:9000', bucket: 'es-old', prefix: 'obs/logs', credentialsSecret: 'minio' }, snapshot: 'latest' },
    });
    const objs = Testing.synth(chart) as any[];
    const job = objs.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('logs-setup-'));
    const spec = job.spec.template.spec;
    const c = containerOf(spec, 'setup');
    const env = relocate(containerEnv(c, { podName: 'logs-setup-x', values: { 'logs-elastic/password': PASSWORD } }), c, dir);
    // The setup ConfigMap's files where the Job mounts them.
    const setupVol = spec.volumes.find((v: any) => v.name === 'setup');
    const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === setupVol.configMap.name);
    mkdirSync(join(dir, 'mnt', 'setup'), { recursive: true });
    for (const [k, v] of Object.entries(cm.data)) writeFileSync(join(dir, 'mnt', 'setup', k), v as string);
    expect(c.command).toEqual(['bash', '/mnt/scripts/setup.sh']);
    return { script: mountedFile(objs, spec, c, c.command[1]), env };
  };

  test('a restore refused for a name clash fails the Job, with the answer in the log', () => {
    const { script, env } = synthJob();
    respond('GET', '/_cat/indices?h=index&expand_wildcards=open', 200, '.security-7\n');
    respond('GET', '/_data_stream', 200, '{"data_streams":[{"name":"ilm-history-7"}]}');
    respond('GET', '/_cat/snapshots/restore-source?h=id,status&s=end_epoch', 200, 'snap-1 SUCCESS\n');
    respond('POST', '/_snapshot/restore-source/snap-1/_restore', 500,
      '{"error":{"type":"snapshot_restore_exception","reason":"[restore-source:snap-1/x] cannot restore index [orders] because an open index with same name already exists in the cluster."},"status":500}');
    const r = run(script, env);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('nothing of snapshot snap-1 was restored');
    // The restore body from the manifest leaves out the history data stream every new cluster creates.
    expect(r.log).toContain('BODY {"indices":"*,-.*,-ilm-history-*"');
    expect(r.log).toContain('REQ PUT /_snapshot/backups');
    expect(r.log).toContain('REQ PUT /_snapshot/restore-source');
  });
});
