/**
 * The generated scripts run against fake Kafka tools (bash scripts that record their arguments and print the output
 * format of the real tools), so the parsing and the commands they issue are checked without a Kafka.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  jmxAgentDownloadScript, kafkaBackupScript, kafkaEntrypointScript, kafkaRestoreScript, kafkaSetupScript, rackLookupScript,
} from '../../src/kafka/scripts';

// As the real kafka-topics.sh prints it: every config whose source is not DEFAULT, the broker's static settings
// (server.properties: min.insync.replicas, unclean.leader.election.enable) included.
const DESCRIBE_ALL = [
  'Topic: orders\tTopicId: q1\tPartitionCount: 3\tReplicationFactor: 3\tConfigs: min.insync.replicas=2,cleanup.policy=compact,delete,retention.ms=86400000,unclean.leader.election.enable=false',
  '\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3',
  'Topic: audit\tTopicId: q2\tPartitionCount: 1\tReplicationFactor: 2\tConfigs: ',
  '\tTopic: audit\tPartition: 0\tLeader: 2\tReplicas: 2,3\tIsr: 2,3',
].join('\n');
// kafka-configs.sh --describe --entity-type topics: only the topic-level (dynamic) configs, with their synonyms.
const TOPIC_CONFIGS = [
  'Dynamic configs for topic orders are:',
  '  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}',
  '  retention.ms=86400000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=86400000, STATIC_BROKER_CONFIG:log.retention.ms=604800000, DEFAULT_CONFIG:log.retention.hours=168}',
  'Dynamic configs for topic audit are:',
].join('\n');
const ACLS = [
  'Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)`: ',
  ' \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)',
  ' \t(principal=User:bob, host=10.0.0.1, operation=DESCRIBE_CONFIGS, permissionType=DENY)',
  '',
  'Current ACLs for resource `ResourcePattern(resourceType=GROUP, name=billing-, patternType=PREFIXED)`: ',
  ' \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)',
].join('\n');
const GROUPS = [
  '',
  'GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG   CONSUMER-ID  HOST  CLIENT-ID',
  'billing         orders          0          42              50              8     -            -     -',
  'billing         orders          1          -               10              -     -            -     -',
  '',
  "Consumer group 'idle' has no active members.",
  '',
  'GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG   CONSUMER-ID  HOST  CLIENT-ID',
  'idle            audit           0          7               7               0     -            -     -',
].join('\n');

/** A fake bin/ directory; `existing` maps topic -> partition count for `--describe --topic`. */
function fakeKafka(dir: string, existing: Record<string, number> = {}): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(dir, 'describe-all.txt'), DESCRIBE_ALL);
  writeFileSync(join(dir, 'acls.txt'), ACLS);
  writeFileSync(join(dir, 'topic-configs.data'), TOPIC_CONFIGS);
  writeFileSync(join(dir, 'groups.data'), GROUPS);
  const existingCases = Object.entries(existing)
    .map(([t, n]) => `    ${t}) printf 'Topic: ${t}\\tTopicId: x\\tPartitionCount: ${n}\\tReplicationFactor: 3\\tConfigs: \\n' ;;`).join('\n');
  const tool = (name: string, body: string) => {
    const file = join(bin, name);
    writeFileSync(file, `#!/bin/bash
echo "${name} $*" >> "${dir}/calls.log"
args=("$@")
for ((i = 0; i < \${#args[@]}; i++)); do
  if [ "\${args[$i]}" = "--add-config-file" ]; then cat "\${args[$((i + 1))]}" >> "${dir}/config-files.log"; fi
  if [ "\${args[$i]}" = "--from-file" ]; then cat "\${args[$((i + 1))]}" >> "${dir}/offset-files.log"; fi
done
${body}
`);
    chmodSync(file, 0o755);
  };
  tool('kafka-topics.sh', `
case "$*" in
  *--list*) exit 0 ;;
  *"--describe --exclude-internal"*) cat "${dir}/describe-all.txt" ;;
  *--describe*)
    topic=""; for ((i = 0; i < \${#args[@]}; i++)); do [ "\${args[$i]}" = "--topic" ] && topic="\${args[$((i + 1))]}"; done
    case "$topic" in
${existingCases}
    *) echo "Error: topic $topic does not exist" >&2; exit 1 ;;
    esac ;;
esac`);
  tool('kafka-configs.sh', `case "$*" in *"--describe --entity-type topics"*) cat "${dir}/topic-configs.data" ;; esac`);
  tool('kafka-acls.sh', `case "$*" in *--list*) cat "${dir}/acls.txt" ;; esac`);
  tool('kafka-consumer-groups.sh', `[ -f "${dir}/groups.fail" ] && { echo "Error: Timed out waiting for a node assignment." >&2; exit 1; }
case "$*" in *--describe*) cat "${dir}/groups.data" ;; esac`);
  tool('kafka-storage.sh', '');
  tool('kafka-server-start.sh', `cp "$1" "${dir}/server.properties.seen"; env | grep -E '^(KAFKA_[A-Z0-9_]+|EXTRA_ARGS)=' | sort > "${dir}/env.seen"`);
  return bin;
}

function run(script: string, env: Record<string, string>): { status: number; out: string } {
  const r = spawnSync('bash', ['-c', script], { env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const read = (f: string) => readFileSync(f, 'utf8');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kafka-scripts-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const toolEnv = (bin: string, extra: Record<string, string> = {}) => ({
  KAFKA_BIN: bin,
  BOOTSTRAP: 'events:9092',
  SECURITY_PROTOCOL: 'SASL_SSL',
  SCRAM: 'true',
  ADMIN_USER: 'admin',
  ADMIN_PASSWORD: 's3cret',
  TLS: 'true',
  TLS_DIR: '/etc/kafka/tls',
  CLIENT_CONF: join(dir, 'client.properties'),
  TMPDIR: dir,
  ...extra,
});

test('backup: topics with list-valued configs, ACLs and committed offsets in re-playable files; the client config logs in', () => {
  const bin = fakeKafka(dir);
  const out = join(dir, 'out');
  mkdirSync(out);
  const r = run(kafkaBackupScript(), toolEnv(bin, { OUT_DIR: out }));
  expect(r.out).toContain('2 topics');
  expect(r.status).toBe(0);
  // Only the topics' own configs: the broker's min.insync.replicas and unclean.leader.election.enable stay broker settings.
  expect(read(join(out, 'topics.txt'))).toBe('orders|3|3|cleanup.policy=compact,delete;retention.ms=86400000\naudit|1|2|\n');
  expect(read(join(out, 'acls.txt'))).toBe([
    'TOPIC|orders|LITERAL|User:alice|*|READ|ALLOW',
    'TOPIC|orders|LITERAL|User:bob|10.0.0.1|DESCRIBE_CONFIGS|DENY',
    'GROUP|billing-|PREFIXED|User:alice|*|READ|ALLOW',
  ].join('\n') + '\n');
  // The partition without a committed offset is skipped.
  expect(read(join(out, 'offsets.csv'))).toBe('billing,orders,0,42\nidle,audit,0,7\n');
  const client = read(join(dir, 'client.properties'));
  expect(client).toContain('security.protocol=SASL_SSL');
  expect(client).toContain('sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="s3cret";');
  expect(client).toContain('ssl.truststore.location=/etc/kafka/tls/ca.crt');
});

test('backup: a failed offset dump fails the backup instead of saving no offsets', () => {
  const bin = fakeKafka(dir);
  const out = join(dir, 'out');
  mkdirSync(out);
  writeFileSync(join(dir, 'groups.fail'), '');
  const r = run(kafkaBackupScript(), toolEnv(bin, { OUT_DIR: out }));
  expect(r.status).not.toBe(0);
  expect(r.out).toContain('dumping consumer group offsets failed: Error: Timed out waiting for a node assignment.');
});

test('setup: a topic whose name, read as a regular expression, also matches another topic is still found', () => {
  const bin = fakeKafka(dir);
  // kafka-topics.sh --describe --topic takes a regular expression: "a.b" also lists "axb".
  writeFileSync(join(bin, 'kafka-topics.sh'), `#!/bin/bash
echo "kafka-topics.sh $*" >> "${dir}/calls.log"
case "$*" in
  *"--describe --topic a.b"*) printf 'Topic: axb\\tTopicId: x\\tPartitionCount: 12\\tReplicationFactor: 3\\tConfigs: \\nTopic: a.b\\tTopicId: y\\tPartitionCount: 2\\tReplicationFactor: 3\\tConfigs: \\n' ;;
esac
`);
  const r = run(kafkaSetupScript(), toolEnv(bin, { TOPICS: 'a.b|4|3|' }));
  expect(r.out).not.toContain('integer expression expected');
  expect(r.status).toBe(0);
  const calls = read(join(dir, 'calls.log'));
  expect(calls).toContain('--alter --topic a.b --partitions 4');
  expect(calls).not.toContain('--create');
});

test('restore: creates the topics with their configs, replays ACLs with the tool\'s operation names, resets offsets per group', () => {
  const bin = fakeKafka(dir);
  const restore = join(dir, 'restore');
  mkdirSync(restore);
  writeFileSync(join(restore, 'topics.txt'), 'orders|3|3|min.insync.replicas=2;cleanup.policy=compact,delete\naudit|1|2|\n');
  writeFileSync(join(restore, 'acls.txt'), 'TOPIC|orders|LITERAL|User:bob|10.0.0.1|DESCRIBE_CONFIGS|DENY\nGROUP|billing-|PREFIXED|User:alice|*|READ|ALLOW\n');
  writeFileSync(join(restore, 'offsets.csv'), 'billing,orders,0,42\nbilling,orders,1,7\nidle,audit,0,7\n');
  const r = run(kafkaRestoreScript(), toolEnv(bin, { RESTORE_DIR: restore, RESTORE_OFFSETS: 'true' }));
  expect(r.status).toBe(0);
  const calls = read(join(dir, 'calls.log'));
  expect(calls).toContain('--create --if-not-exists --topic orders --partitions 3 --replication-factor 3 --config min.insync.replicas=2 --config cleanup.policy=compact,delete');
  expect(calls).toContain('--create --if-not-exists --topic audit --partitions 1 --replication-factor 2\n');
  expect(calls).toContain('--add --force --deny-principal User:bob --deny-host 10.0.0.1 --operation DescribeConfigs --resource-pattern-type LITERAL --topic orders');
  expect(calls).toContain('--add --force --allow-principal User:alice --allow-host * --operation Read --resource-pattern-type PREFIXED --group billing-');
  expect(calls).toMatch(/--reset-offsets --group billing --from-file \S+ --execute/);
  expect(read(join(dir, 'offset-files.log'))).toBe('orders,0,42\norders,1,7\naudit,0,7\n');
});

test('restore: consumer group offsets are left alone unless asked for (raw offsets do not fit mirrored partitions)', () => {
  const bin = fakeKafka(dir);
  const restore = join(dir, 'restore');
  mkdirSync(restore);
  writeFileSync(join(restore, 'topics.txt'), 'orders|3|3|\n');
  writeFileSync(join(restore, 'acls.txt'), '');
  writeFileSync(join(restore, 'offsets.csv'), 'billing,orders,0,42\n');
  const r = run(kafkaRestoreScript(), toolEnv(bin, { RESTORE_DIR: restore, RESTORE_OFFSETS: 'false' }));
  expect(r.status).toBe(0);
  expect(r.out).toContain('consumer group offsets not restored (restoreConsumerOffsets is off): 1 in the backup');
  expect(read(join(dir, 'calls.log'))).not.toContain('--reset-offsets');
});

test('setup: users through a config file, topics created or grown, never shrunk, list values bracketed', () => {
  const bin = fakeKafka(dir, { orders: 3, audit: 8 });
  const r = run(kafkaSetupScript(), toolEnv(bin, {
    USERS: 'orders-service analytics',
    USER_PASSWORD_0: 'pw0',
    USER_PASSWORD_1: 'pw1',
    TOPICS: 'orders|6|3|cleanup.policy=compact,delete;retention.ms=1000\naudit|4|3|\nnew-topic|2|3|',
  }));
  expect(r.status).toBe(0);
  const calls = read(join(dir, 'calls.log'));
  expect(calls).toContain('--alter --entity-type users --entity-name orders-service --add-config-file');
  expect(read(join(dir, 'config-files.log'))).toBe('SCRAM-SHA-512=password=pw0\nSCRAM-SHA-512=password=pw1\n');
  // No password on any command line.
  expect(calls).not.toMatch(/pw0|pw1|s3cret/);
  expect(calls).toContain('--alter --topic orders --partitions 6');
  expect(calls).toContain('--alter --entity-type topics --entity-name orders --add-config cleanup.policy=[compact,delete]');
  expect(calls).toContain('--alter --entity-type topics --entity-name orders --add-config retention.ms=1000');
  expect(calls).not.toContain('--alter --topic audit');
  expect(r.out).toContain('topic audit has 8 partitions, more than the 4 declared: partitions are never decreased');
  expect(calls).toContain('--create --if-not-exists --topic new-topic --partitions 2 --replication-factor 3');
});

test('setup refuses a user password that would break the SCRAM config syntax', () => {
  const bin = fakeKafka(dir);
  const r = run(kafkaSetupScript(), toolEnv(bin, { USERS: 'app', USER_PASSWORD_0: 'a]b', TOPICS: '' }));
  expect(r.status).not.toBe(0);
  expect(r.out).toContain("the password of app must not contain ']'");
});

describe('entrypoint', () => {
  const entryEnv = (bin: string, extra: Record<string, string>) => {
    writeFileSync(join(dir, 'base.properties'), 'process.roles=broker\n');
    writeFileSync(join(dir, 'rack'), 'eu-west-1b');
    return {
      KAFKA_BIN: bin,
      POD_NAMESPACE: 'shop',
      HEADLESS: 'events-brokers',
      BASE_CONF: join(dir, 'base.properties'),
      RUN_CONF: join(dir, 'server.properties'),
      CLUSTER_ID: 'AbCdEfGhIjKlMnOpQrStUv',
      DATA_DIR: join(dir, 'data'),
      INTERNAL_PORT: '9092',
      CONTROLLER_PORT: '9093',
      EXTERNAL_PORT: '9094',
      SCRAM: 'false',
      TLS: 'false',
      TLS_DIR: dir,
      KEYSTORE: join(dir, 'run/keystore.pem'),
      EXTERNAL_HOSTS: '',
      EXTERNAL_PORTS: '',
      RACK_FILE: '',
      SERVER_HEAP_OPTS: '-Xms2048m -Xmx2048m',
      SERVER_LOG4J_OPTS: '-Dlog4j2.configurationFile=/etc/kafka-config/log4j2.yaml',
      JMX_AGENT_JAR: join(dir, 'agent.jar'),
      JMX_AGENT_OPTS: `-javaagent:${join(dir, 'agent.jar')}=9404:/etc/kafka-config/jmx-exporter.yaml`,
      ...extra,
    };
  };

  test('a broker: node id from the ordinal, per-pod advertised listeners, rack, SASL login, keystore, formatted once', () => {
    const bin = fakeKafka(dir);
    writeFileSync(join(dir, 'tls.key'), 'KEY\n');
    writeFileSync(join(dir, 'tls.crt'), 'CRT\n');
    const env = entryEnv(bin, {
      POD_NAME: 'events-broker-2',
      NODE_ID_OFFSET: '0',
      ROLE: 'broker',
      SCRAM: 'true',
      ADMIN_USER: 'admin',
      ADMIN_PASSWORD: 'pw',
      TLS: 'true',
      EXTERNAL_HOSTS: 'a.example.com b.example.com c.example.com',
      EXTERNAL_PORTS: '31090 31091 31092',
      RACK_FILE: join(dir, 'rack'),
    });
    const r = run(kafkaEntrypointScript(), env);
    expect(r.status).toBe(0);
    const conf = read(join(dir, 'server.properties.seen')).split('\n');
    expect(conf).toEqual(expect.arrayContaining([
      'process.roles=broker',
      'node.id=2',
      'listeners=INTERNAL://:9092,EXTERNAL://:9094',
      'advertised.listeners=INTERNAL://events-broker-2.events-brokers.shop.svc:9092,EXTERNAL://c.example.com:31092',
      'broker.rack=eu-west-1b',
      'listener.name.internal.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="pw";',
      'listener.name.external.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="pw";',
    ]));
    expect(read(join(dir, 'run/keystore.pem'))).toBe('KEY\nCRT\n');
    // The server alone gets the heap, the stdout logging and (the jar being absent here) no agent, with a warning.
    expect(read(join(dir, 'env.seen')).split('\n')).toEqual(expect.arrayContaining([
      'EXTRA_ARGS=-name kafkaServer', 'KAFKA_HEAP_OPTS=-Xms2048m -Xmx2048m', 'KAFKA_LOG4J_OPTS=-Dlog4j2.configurationFile=/etc/kafka-config/log4j2.yaml',
    ]));
    expect(read(join(dir, 'env.seen'))).not.toContain('KAFKA_OPTS=');
    expect(r.out).toContain('WARNING: no JMX exporter agent');
    const calls = read(join(dir, 'calls.log'));
    expect(calls).toContain('kafka-storage.sh format --config');
    expect(calls).toContain('--cluster-id AbCdEfGhIjKlMnOpQrStUv --ignore-formatted --add-scram SCRAM-SHA-512=[name=admin,password=pw]');
    // A formatted volume is not formatted again.
    writeFileSync(join(dir, 'data/meta.properties'), 'cluster.id=AbCdEfGhIjKlMnOpQrStUv\n');
    writeFileSync(join(dir, 'calls.log'), '');
    expect(run(kafkaEntrypointScript(), env).status).toBe(0);
    expect(read(join(dir, 'calls.log'))).not.toContain('kafka-storage.sh');
  });

  test('a controller: node id from its offset, only the controller listener, no rack, no advertised listeners', () => {
    const bin = fakeKafka(dir);
    writeFileSync(join(dir, 'agent.jar'), 'jar');
    const r = run(kafkaEntrypointScript(), entryEnv(bin, { POD_NAME: 'events-controller-1', NODE_ID_OFFSET: '1000', ROLE: 'controller', RACK_FILE: join(dir, 'rack') }));
    expect(r.status).toBe(0);
    const conf = read(join(dir, 'server.properties.seen'));
    expect(conf).toContain('node.id=1001\nlisteners=CONTROLLER://:9093\n');
    expect(read(join(dir, 'env.seen'))).toContain(`KAFKA_OPTS= -javaagent:${join(dir, 'agent.jar')}=9404:`);
    expect(conf).not.toMatch(/advertised|broker\.rack|jaas/);
  });

  test('a combined node listens as broker and controller and advertises only the broker listener', () => {
    const bin = fakeKafka(dir);
    const r = run(kafkaEntrypointScript(), entryEnv(bin, { POD_NAME: 'events-broker-0', NODE_ID_OFFSET: '0', ROLE: 'combined' }));
    expect(r.status).toBe(0);
    const conf = read(join(dir, 'server.properties.seen'));
    expect(conf).toContain('listeners=INTERNAL://:9092,CONTROLLER://:9093\nadvertised.listeners=INTERNAL://events-broker-0.events-brokers.shop.svc:9092\n');
  });

  test('a broker without an external address refuses to start', () => {
    const bin = fakeKafka(dir);
    const r = run(kafkaEntrypointScript(), entryEnv(bin, {
      POD_NAME: 'events-broker-3', NODE_ID_OFFSET: '0', ROLE: 'broker', EXTERNAL_HOSTS: 'a b c', EXTERNAL_PORTS: '1 2 3',
    }));
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('no external address for broker 3');
  });

  test.each([['a,b'], ['a]b'], ['a"b']])('an admin password %s that would break the SCRAM or JAAS syntax stops the node before formatting', (pw) => {
    const bin = fakeKafka(dir);
    const r = run(kafkaEntrypointScript(), entryEnv(bin, { POD_NAME: 'events-broker-0', NODE_ID_OFFSET: '0', ROLE: 'broker', SCRAM: 'true', ADMIN_USER: 'admin', ADMIN_PASSWORD: pw }));
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('the admin password must not contain quotes, backslashes, commas or brackets');
    expect(r.out).not.toContain('format');
  });
});

describe('JMX agent download', () => {
  const fakeCurl = (body: string) => {
    const bin = join(dir, 'curl-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'curl'), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, 'curl'), 0o755);
    return bin;
  };
  // sha256 of the 4 bytes "jar\n".
  const sha = createHash('sha256').update('jar\n').digest('hex');
  const env = (bin: string, jarSha = sha) => ({ PATH: `${bin}:${process.env.PATH}`, JAR_URL: 'https://example.com/a.jar', JAR_SHA256: jarSha, JAR_PATH: join(dir, 'agent.jar') });
  const sh = (script: string, e: Record<string, string>) => spawnSync('sh', ['-c', script], { env: e, encoding: 'utf8' });

  test('a verified jar is installed', () => {
    const r = sh(jmxAgentDownloadScript(), env(fakeCurl('while [ "$1" != "-o" ]; do shift; done; echo jar > "$2"')));
    expect(r.status).toBe(0);
    expect(read(join(dir, 'agent.jar'))).toBe('jar\n');
  });

  test('a jar with another checksum is refused and removed', () => {
    const r = sh(jmxAgentDownloadScript(), env(fakeCurl('while [ "$1" != "-o" ]; do shift; done; echo evil > "$2"')));
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('checksum mismatch');
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout).not.toContain('agent.jar');
  });

  test('an unreachable URL lets Kafka start without metrics', () => {
    const r = sh(jmxAgentDownloadScript(), env(fakeCurl('exit 6')));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('starting without broker metrics');
  });
});

describe('rack lookup', () => {
  // The API server pretty-prints JSON for curl; the label key contains dots and a slash.
  const node = JSON.stringify({
    kind: 'Node',
    metadata: {
      name: 'node-a',
      labels: { 'kubernetes.io/hostname': 'node-a', 'topology.kubernetes.io/region': 'eu-west-1', 'topology.kubernetes.io/zone': 'eu-west-1b' },
      annotations: { 'topologyXkubernetesXio/zone': 'decoy' },
    },
  }, null, 2);
  const setup = (json: string) => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(dir, 'node.json'), json);
    writeFileSync(join(bin, 'curl'), `#!/bin/sh\necho "$*" > "${dir}/curl-args"\ncat "${dir}/node.json"\n`);
    chmodSync(join(bin, 'curl'), 0o755);
    writeFileSync(join(dir, 'token'), 'tkn');
    return {
      PATH: `${bin}:${process.env.PATH}`,
      NODE_NAME: 'node-a',
      RACK_LABEL: 'topology.kubernetes.io/zone',
      RACK_LABEL_REGEX: 'topology\\.kubernetes\\.io/zone',
      SA_DIR: dir,
      RACK_FILE: join(dir, 'rack'),
    };
  };

  test('writes the zone of its node, asking the API for that node only', () => {
    const r = spawnSync('sh', ['-c', rackLookupScript()], { env: setup(node), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(read(join(dir, 'rack'))).toBe('eu-west-1b');
    expect(read(join(dir, 'curl-args'))).toContain('https://kubernetes.default.svc/api/v1/nodes/node-a');
  });

  test('a node without the label stops the broker with a message', () => {
    const r = spawnSync('sh', ['-c', rackLookupScript()], { env: setup(JSON.stringify({ metadata: { labels: {} } })), encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('node node-a has no label topology.kubernetes.io/zone');
  });
});
