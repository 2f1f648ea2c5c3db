#!/usr/bin/env node
/*
 * A fake `curl` that answers as a small Elasticsearch cluster whose state lives in files under $FAKE_ES:
 *   nodes/<host>/{id,name,uuid,master,attrs.json,down}  one node per host name (master: the elected master's id) (`_local` is the node reached through
 *                                                        --resolve ...:127.0.0.1); uuid "_na_" before it joined a cluster
 *   shutdown/<node id>.json                              node shutdown records (cluster-wide metadata)
 *   requests                                             one line per request: METHOD host path [body]
 * It checks what Elasticsearch checks: the credentials config against $FAKE_ES_PASSWORD (401 otherwise), and the node
 * shutdown API's body rules (PutShutdownNodeAction.Request: type and reason required, allocation_delay only for restart,
 * target_node_name only and always for replace, grace_period only for sigterm, no unknown field; 404 on DELETE of a
 * node without a record; 503 without an elected master).
 */
const fs = require('fs');
const path = require('path');

const root = process.env.FAKE_ES;
const args = process.argv.slice(2);
let method = 'GET'; let out = ''; let fmt = ''; let data; let cfg = ''; let url = ''; let resolved = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '-X') method = args[++i];
  else if (a === '-o') out = args[++i];
  else if (a === '-w') fmt = args[++i];
  else if (a === '-K') cfg = args[++i];
  else if (a === '--data-binary' || a === '-d') { const d = args[++i]; data = d.startsWith('@') ? fs.readFileSync(d.slice(1), 'utf8') : d; }
  else if (a === '--resolve') { resolved = /:127\.0\.0\.1$/.test(args[++i]); }
  else if (['--cacert', '--max-time', '--connect-timeout', '-H'].includes(a)) i++;
  else if (/^https:\/\//.test(a)) url = a;
}
const m = /^https:\/\/([^:/]+)(?::\d+)?(\/.*)?$/.exec(url);
if (!m) { process.stderr.write(`fake curl: bad url ${url}\n`); process.exit(3); }
const host = resolved ? '_local' : m[1];
const fullPath = m[2] || '/';
const [p, query = ''] = fullPath.split('?');
fs.appendFileSync(path.join(root, 'requests'), `${method} ${host} ${fullPath}${data !== undefined ? ` ${data}` : ''}\n`);

const nodeDir = path.join(root, 'nodes', host);
const read = (f, d) => (fs.existsSync(path.join(nodeDir, f)) ? fs.readFileSync(path.join(nodeDir, f), 'utf8').trim() : d);
function finish(code, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (out) fs.writeFileSync(out, text); else process.stdout.write(text);
  if (fmt) process.stdout.write(fmt.replace('%{http_code}', String(code)));
  process.exit(0);
}
if (!fs.existsSync(nodeDir) || fs.existsSync(path.join(nodeDir, 'down'))) {
  process.stderr.write(`curl: (7) Failed to connect to ${host}\n`);
  if (fmt) process.stdout.write('000');
  process.exit(7);
}
// A node whose security index is unavailable (a survivor that lost its master quorum) cannot authenticate anyone.
if (fs.existsSync(path.join(nodeDir, 'security-unavailable'))) {
  finish(401, { error: { type: 'security_exception', reason: 'unable to authenticate user [elastic] for REST request [/]' }, status: 401 });
}
const auth = cfg ? fs.readFileSync(cfg, 'utf8') : '';
if (auth !== `user = "elastic:${process.env.FAKE_ES_PASSWORD}"\n`) finish(401, { error: { type: 'security_exception' }, status: 401 });

const id = read('id', 'node-id');
const name = read('name', host);
const shutdownDir = path.join(root, 'shutdown');
const err = (code, type, reason) => finish(code, { error: { type, reason }, status: code });

if (method === 'GET' && p === '/') {
  // Pretty-printed, as the main endpoint answers by default.
  finish(200, `{\n  "name" : "${name}",\n  "cluster_name" : "logs",\n  "cluster_uuid" : "${read('uuid', '_na_')}"\n}\n`);
}
if (method === 'GET' && p === '/_nodes/_local') {
  const attrs = JSON.parse(read('attrs.json', '{}'));
  if (query === 'filter_path=nodes.*.name') finish(200, { nodes: { [id]: { name } } });
  if (query === 'filter_path=nodes.*.attributes.cdk8s_formed') {
    finish(200, attrs.cdk8s_formed === undefined ? {} : { nodes: { [id]: { attributes: { cdk8s_formed: attrs.cdk8s_formed } } } });
  }
  err(400, 'illegal_argument_exception', `fake: unmodelled query ${query}`);
}
if (method === 'GET' && p === '/_cluster/state/master_node') {
  finish(200, read('master', '') ? { cluster_name: 'logs', master_node: read('master', '') } : { cluster_name: 'logs' });
}
if (method === 'GET' && p === '/_cluster/health') {
  finish(200, '{"cluster_name":"logs","status":"green","initializing_shards":0,"unassigned_shards":0,"delayed_unassigned_shards":0,"number_of_pending_tasks":0}');
}
const sd = /^\/_nodes\/([^/]+)\/shutdown$/.exec(p);
if (sd) {
  const rec = path.join(shutdownDir, `${sd[1]}.json`);
  // Master-node actions: without an elected master they time out (503 after master_timeout).
  if (!read('master', '')) err(503, 'master_not_discovered_exception', null);
  if (method === 'DELETE') {
    // 8.x and 7.17: 404 ResourceNotFoundException; early builds of the API threw IllegalArgumentException (400).
    if (!fs.existsSync(rec)) {
      if (process.env.FAKE_ES_EARLY_SHUTDOWN_API) err(400, 'illegal_argument_exception', `node [${sd[1]}] is not currently shutting down`);
      err(404, 'resource_not_found_exception', `node [${sd[1]}] is not currently shutting down`);
    }
    fs.rmSync(rec);
    finish(200, { acknowledged: true });
  }
  if (method === 'PUT') {
    let b;
    try { b = JSON.parse(data ?? ''); } catch (e) { err(400, 'x_content_parse_exception', 'request body is required'); }
    const known = ['type', 'reason', 'allocation_delay', 'target_node_name', 'grace_period'];
    const unknown = Object.keys(b).find((k) => !known.includes(k));
    if (unknown) err(400, 'x_content_parse_exception', `[put_node_shutdown_request] unknown field [${unknown}]`);
    const type = String(b.type ?? '').toLowerCase();
    if (!['restart', 'remove', 'replace', 'sigterm'].includes(type)) err(400, 'action_request_validation_exception', 'Validation Failed: 1: type is required and must be restart, remove, replace or sigterm;');
    if (typeof b.reason !== 'string' || b.reason.trim() === '') err(400, 'action_request_validation_exception', 'Validation Failed: 1: reason is required;');
    if (b.allocation_delay !== undefined && type !== 'restart') err(400, 'action_request_validation_exception', `Validation Failed: 1: [allocation_delay] is only allowed for RESTART type shutdown requests, but was [${type}];`);
    if (b.allocation_delay !== undefined && !/^\d+(nanos|micros|ms|s|m|h|d)$/.test(b.allocation_delay)) err(400, 'illegal_argument_exception', `failed to parse setting [allocation_delay] with value [${b.allocation_delay}] as a time value`);
    if ((b.target_node_name !== undefined) !== (type === 'replace')) err(400, 'action_request_validation_exception', 'Validation Failed: 1: target_node_name is required for and only allowed for REPLACE;');
    if (b.grace_period !== undefined && type !== 'sigterm') err(400, 'action_request_validation_exception', 'Validation Failed: 1: grace_period is only allowed for SIGTERM;');
    fs.mkdirSync(shutdownDir, { recursive: true });
    fs.writeFileSync(rec, JSON.stringify(b));
    finish(200, { acknowledged: true });
  }
}
err(400, 'illegal_argument_exception', `fake: unmodelled request ${method} ${fullPath}`);
