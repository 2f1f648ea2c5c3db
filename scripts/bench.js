#!/usr/bin/env node
// Synthesis benchmark (`npm run bench`): platforms of 1, 10 and 100 mixed middleware clusters, each measured in a
// fresh Node process. Prints wall time of the whole process, peak RSS, object count and YAML bytes, and the time
// cdk8s synthesis takes against serializing the same objects to YAML directly. A benchmark, not a test: it
// reports, it never fails on a slow machine. Runs the compiled library (lib/), so `npx projen compile` first.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const SIZES = [1, 10, 100];

function child(count, plainOnly) {
  const start = process.hrtime.bigint();
  const { App, Chart, Cron, Duration } = require('cdk8s');
  const yaml = require('yaml');
  const lib = require(path.join(__dirname, '..', 'lib'));
  const loaded = process.hrtime.bigint();

  const app = new App({ outdir: path.join(require('os').tmpdir(), 'cdk8s-middleware-bench') });
  const backup = {
    target: { endpoint: 'http://minio.minio.svc:9000', bucket: 'backups', credentialsSecret: 's3' },
    schedule: Cron.schedule({ minute: '0', hour: '2' }),
    retentionDays: 7,
  };
  // The mix cycles through every construct of the library, in its common shapes. Each entry adds one cluster
  // (the disaster-recovery pair adds two Redis clusters and RedisShake, in two charts) and returns its chart count.
  const chart = (i) => new Chart(app, `c-${i}`, { namespace: `team-${i}` });
  const MIX = [
    (i) => { new lib.RedisCluster(chart(i), `redis-${i}`, { backup }); return 1; },
    (i) => { new lib.RedisCluster(chart(i), `redis-${i}`, { mode: lib.RedisMode.SENTINEL }); return 1; },
    (i) => { new lib.MysqlCluster(chart(i), `mysql-${i}`, { databases: ['app'], users: [{ name: 'app', databases: ['app'] }], backup }); return 1; },
    (i) => {
      new lib.MysqlCluster(chart(i), `mysql-${i}`, { topology: lib.MysqlTopology.GROUP_REPLICATION, backup, backupMethod: lib.MysqlBackupMethod.PHYSICAL });
      return 1;
    },
    (i) => { new lib.RedisCluster(chart(i), `redis-${i}`, { mode: lib.RedisMode.STANDALONE }); return 1; },
    (i) => { new lib.KafkaCluster(chart(i), `kafka-${i}`, { topics: [{ name: 'orders', partitions: 12 }], backup }); return 1; },
    (i) => {
      new lib.ElasticsearchCluster(chart(i), `es-${i}`, {
        cold: { replicas: 2 },
        ilmPolicies: [{ name: 'logs', hot: { rollover: { maxAge: Duration.days(1) } }, cold: { minAge: Duration.days(7) }, delete: { minAge: Duration.days(30) } }],
      });
      return 1;
    },
    (i) => {
      const a = new Chart(app, `dr-a-${i}`, { namespace: `team-${i}` });
      const b = new Chart(app, `dr-b-${i}`, { namespace: `team-${i}` });
      const ra = new lib.RedisCluster(a, `ra-${i}`, { password: lib.Credentials.fromSecret(`ra-${i}-auth`) });
      const rb = new lib.RedisCluster(b, `rb-${i}`, { password: lib.Credentials.fromSecret(`rb-${i}-auth`) });
      new lib.CrossClusterRedisShake(app, `dr-${i}`, {
        source: lib.RedisShakeEndpoint.fromRedisCluster(ra, { reachableHost: 'a.example', peerCidrs: ['10.1.0.0/16'] }),
        target: lib.RedisShakeEndpoint.fromRedisCluster(rb, { reachableHost: 'b.example', peerCidrs: ['10.2.0.0/16'] }),
      });
      return 2;
    },
  ];
  let charts = 0;
  for (let i = 0; i < count; i++) charts += MIX[i % MIX.length](i);
  const built = process.hrtime.bigint();
  const ms = (a, b) => Number(b - a) / 1e6;
  if (plainOnly) {
    // Baseline, in its own process: the same objects as plain JSON, serialized to YAML without cdk8s.
    const objects = app.charts.flatMap((c) => c.toJson());
    const plainStart = process.hrtime.bigint();
    const plain = objects.map((o) => yaml.stringify(o)).join('---\n');
    const plainEnd = process.hrtime.bigint();
    process.stdout.write(JSON.stringify({ plainMs: ms(plainStart, plainEnd), plainYamlBytes: Buffer.byteLength(plain) }));
    return;
  }
  const out = app.synthYaml();
  const synthesized = process.hrtime.bigint();
  const objects = out.split(/^---$/m).filter((d) => d.trim()).length;

  process.stdout.write(JSON.stringify({
    clusters: count,
    charts,
    objects,
    yamlBytes: Buffer.byteLength(out),
    loadMs: ms(start, loaded),
    constructMs: ms(loaded, built),
    synthMs: ms(built, synthesized),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }));
}

function parent() {
  const rows = [];
  for (const count of SIZES) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [__filename, '--child', String(count)], { encoding: 'utf8' });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) {
      process.stderr.write(r.stderr);
      process.exit(r.status ?? 1);
    }
    const baseline = spawnSync(process.execPath, [__filename, '--plain', String(count)], { encoding: 'utf8' });
    if (baseline.status !== 0) {
      process.stderr.write(baseline.stderr);
      process.exit(baseline.status ?? 1);
    }
    rows.push({ ...JSON.parse(r.stdout), ...JSON.parse(baseline.stdout), wallMs });
  }
  const fmt = (n, d = 0) => n.toFixed(d);
  const lines = [
    '| clusters | charts | objects | YAML bytes | process wall (ms) | peak RSS (MB) | construct (ms) | synth (ms) | plain YAML (ms) | synth / plain | construct+synth per cluster (ms) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.clusters} | ${r.charts} | ${r.objects} | ${r.yamlBytes} | ${fmt(r.wallMs)} | ${fmt(r.maxRssMb)} | ${fmt(r.constructMs)} | `
      + `${fmt(r.synthMs)} | ${fmt(r.plainMs)} | ${fmt(r.synthMs / r.plainMs, 2)} | ${fmt((r.constructMs + r.synthMs) / r.clusters, 2)} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const big = rows[rows.length - 1];
  process.stdout.write(`\n100 clusters: ${fmt(big.wallMs)} ms wall (target < 2000), ${fmt(big.maxRssMb)} MB peak (target < 400), `
    + `synth ${fmt(big.synthMs / big.plainMs, 2)}x plain serialization (target <= 3)\n`);
}

if (process.argv[2] === '--child') child(Number(process.argv[3]), false);
else if (process.argv[2] === '--plain') child(Number(process.argv[3]), true);
else parent();
