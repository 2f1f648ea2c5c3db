import { execFile } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer, IncomingMessage, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { bindCredentials, Credentials } from '../../src/credentials/credentials';
import { secretGeneratorScript } from '../../src/credentials/scripts';

/** A fake API server that records requests and answers GET/POST on one Secret. */
function fakeApi(getStatus: number, postStatus: number) {
  const requests: { method: string; url: string; auth?: string; body: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      res.statusCode = req.method === 'GET' ? getStatus : postStatus;
      res.end('{}');
    });
  });
  return { server, requests };
}

async function runGenerator(getStatus: number, postStatus: number) {
  const { server, requests } = fakeApi(getStatus, postStatus);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const sa = mkdtempSync(join(tmpdir(), 'sa-'));
  writeFileSync(join(sa, 'namespace'), 'shop');
  writeFileSync(join(sa, 'token'), 'tok123');
  writeFileSync(join(sa, 'ca.crt'), '');
  try {
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('sh', ['-c', secretGeneratorScript()], {
        env: {
          PATH: process.env.PATH,
          SA_DIR: sa,
          API_SERVER: `http://127.0.0.1:${port}`,
          SECRET_NAME: 'cache-auth',
          PASSWORD_LENGTH: '32',
          SECRET_LABELS_JSON: '{"app.kubernetes.io/name":"redis"}',
        },
      }, (err, stdout, stderr) => resolve({ code: err ? (err as any).code ?? 1 : 0, stdout, stderr }));
    });
    return { ...result, requests };
  } finally {
    server.close();
    rmSync(sa, { recursive: true, force: true });
  }
}

describe('in-cluster secret generator (real sh and curl against a fake API server)', () => {
  test('creates the Secret with a random password when it is missing', async () => {
    const r = await runGenerator(404, 201);
    expect(r.code).toBe(0);
    expect(r.requests.map((q) => `${q.method} ${q.url}`)).toEqual([
      'GET /api/v1/namespaces/shop/secrets/cache-auth',
      'POST /api/v1/namespaces/shop/secrets',
    ]);
    expect(r.requests[0].auth).toBe('Bearer tok123');
    const secret = JSON.parse(r.requests[1].body);
    expect(secret.metadata).toEqual({ name: 'cache-auth', labels: { 'app.kubernetes.io/name': 'redis' } });
    expect(secret.stringData.password).toMatch(/^[A-Za-z0-9]{32}$/);
    // The password is never printed.
    expect(r.stdout + r.stderr).not.toContain(secret.stringData.password);
  });
  test('leaves an existing Secret alone', async () => {
    const r = await runGenerator(200, 500);
    expect(r.code).toBe(0);
    expect(r.requests.map((q) => q.method)).toEqual(['GET']);
  });
  test('treats a concurrent create (409) as success and other errors as failure', async () => {
    expect((await runGenerator(404, 409)).code).toBe(0);
    expect((await runGenerator(403, 201)).code).not.toBe(0);
    expect((await runGenerator(404, 403)).code).not.toBe(0);
  });
});

describe('bindCredentials', () => {
  const opts = { defaultSecretName: 'cache-auth', labels: { a: 'b' }, generatorImage: 'curl:1', imagePullPolicy: 'IfNotPresent' };
  test('an existing Secret adds nothing', () => {
    const chart = Testing.chart();
    const r = bindCredentials(chart, 'password', Credentials.fromSecret('mine', 'pw'), opts);
    expect(r.ref).toEqual({ secretName: 'mine', key: 'pw' });
    expect(r.generator).toBeUndefined();
    expect(Testing.synth(chart)).toEqual([]);
  });
  test('a generated Secret adds a Job with least-privilege RBAC', () => {
    const chart = Testing.chart();
    const r = bindCredentials(chart, 'password', Credentials.generate({ length: 40 }), opts);
    expect(r.ref).toEqual({ secretName: 'cache-auth', key: 'password' });
    const objs = Testing.synth(chart);
    expect(objs.map((o) => o.kind).sort()).toEqual(['Job', 'Role', 'RoleBinding', 'ServiceAccount']);
    const role = objs.find((o) => o.kind === 'Role');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['cache-auth'] },
    ]);
    const job = objs.find((o) => o.kind === 'Job');
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: 'PASSWORD_LENGTH', value: '40' });
  });
  test('rejects short passwords', () => {
    expect(() => bindCredentials(Testing.chart(), 'password', Credentials.generate({ length: 8 }), opts)).toThrow(/password.length = 8: must be an integer from 16 to 128/);
  });
});
