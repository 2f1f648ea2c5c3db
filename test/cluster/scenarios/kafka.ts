/**
 * Scenario 5 (part): KafkaCluster with dedicated KRaft controllers and brokers and SCRAM-SHA-512, on the tier's Kafka
 * images (each version's jars from Maven Central). A client pod produces and consumes with the user's generated
 * credentials; a second scenario upgrades a running cluster from the 4.1 line to the default line.
 *
 * Monitoring is off: the Go module proxy refuses the pinned kafka_exporter, so its image cannot be built, and the
 * JMX agent is fetched from GitHub at pod start, which this network cannot reach.
 */
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { watchRoll } from './upgrade';
import { KafkaAuthentication, KafkaCluster, KafkaClusterProps, KafkaVersion, NetworkPeer } from '../../../src';
import { NodeImages } from '../lib/images';
import { Kube } from '../lib/kube';
import { awsCli, ensureBucket, ensureS3, latestBackupId, runBackupNow, S3_ENDPOINT, S3_NAMESPACE, s3CredentialsSecret } from '../lib/s3';
import { assert, Scenario, ScenarioContext } from '../lib/scenario';
import { synth } from '../lib/synth';

const CLIENT = { 'app.kubernetes.io/name': 'orders-service' };
const KAFKA_IMAGE = 'docker.io/apache/kafka';

function clusterProps(images: NodeImages, version?: KafkaVersion): KafkaClusterProps {
  const small = { cpu: { request: Cpu.millis(100), limit: Cpu.units(1) }, memory: { request: Size.mebibytes(768), limit: Size.mebibytes(768) } };
  return {
    version,
    authentication: KafkaAuthentication.SCRAM_SHA_512,
    users: [{ name: 'orders' }],
    topics: [{ name: 'orders', partitions: 3 }],
    monitoring: { enabled: false },
    toolsImage: { tag: images.require('docker.io/curlimages/curl') },
    brokerResources: small,
    controllerResources: small,
    brokerStorage: { size: Size.gibibytes(1) },
    controllerStorage: { size: Size.gibibytes(1) },
    networkPolicy: { allowedClients: [NetworkPeer.pods(CLIENT)] },
  };
}

/** The Kafka image tag the construct's broker StatefulSet runs. */
function tagOf(kafka: KafkaCluster): string {
  const image = kafka.brokerStatefulSet.toJson().spec.template.spec.containers.find((c: any) => c.name === 'kafka').image as string;
  return image.slice(image.lastIndexOf(':') + 1);
}

/** Brokers Ready and the setup Job (topics, users) of this apply complete. */
async function clusterUp(ctx: ScenarioContext, ns: string, kafka: KafkaCluster, what = ''): Promise<void> {
  const kube = ctx.kube;
  const sel = Object.entries(kafka.brokerSelectorLabels).map(([k, v]) => `${k}=${v}`).join(',');
  await ctx.step(`${what}${kafka.brokers} brokers Ready`, () => kube.waitPodsReady(ns, sel, kafka.brokers, 900_000));
  // The setup Job exists once the construct was synthesized (synth() did that); its name follows its content.
  assert(kafka.setupJob !== undefined, 'the construct has no setup Job');
  const job = kafka.setupJob!.toJson().metadata.name as string;
  await ctx.step(`${what}topics and users Job ${job} completes`, () => kube.waitJobComplete(ns, job, 600_000));
}

/** A client pod of the given Kafka image, with the user's password (and the admin's) in its env. */
async function clientPod(ctx: ScenarioContext, ns: string, kafka: KafkaCluster, tag: string, podName = 'orders-client'): Promise<void> {
  const kube = ctx.kube;
  await ctx.step(`client pod ${podName} (${KAFKA_IMAGE}:${tag}) with the credentials of ${kafka.name}`, async () => {
    kube.run(['-n', ns, 'delete', 'pod', podName, '--ignore-not-found', '--wait=true'], undefined, 120_000);
    const user = kafka.userPasswordSecrets.orders;
    const admin = kafka.adminPasswordSecret!;
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: podName, namespace: ns, labels: CLIENT },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{
          name: 'cli',
          image: `${KAFKA_IMAGE}:${tag}`,
          imagePullPolicy: 'IfNotPresent',
          command: ['sleep', 'infinity'],
          env: [
            { name: 'KAFKA_PASSWORD', valueFrom: { secretKeyRef: { name: user.secretName, key: user.key } } },
            { name: 'ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: admin.secretName, key: admin.key } } },
          ],
        }],
      },
    };
    kube.apply(JSON.stringify(pod));
    await kube.waitFor('client Ready', 120_000, () => kube.podReady(kube.json(['-n', ns, 'get', 'pod', podName])), () => kube.describePods(ns));
  });
}

/** Runs `cmd` in the client pod with client properties for `user` (password from the pod's env, never an argument). */
function client(kube: Kube, ns: string, kafka: KafkaCluster, user: 'orders' | 'admin', cmd: string, podName = 'orders-client') {
  const password = user === 'admin' ? '$ADMIN_PASSWORD' : '$KAFKA_PASSWORD';
  const script = [
    'set -e',
    'cat > /tmp/client.properties <<PROPS',
    `security.protocol=${kafka.securityProtocol}`,
    `sasl.mechanism=${kafka.saslMechanism}`,
    `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${user}" password="${password}";`,
    'PROPS',
    cmd,
  ].join('\n');
  return kube.exec(ns, podName, 'cli', ['bash', '-c', script], undefined, 180_000);
}

function produce(ctx: ScenarioContext, ns: string, kafka: KafkaCluster, from: number, to: number) {
  return ctx.step(`produce messages ${from}..${to} as user orders`, () => {
    const r = client(ctx.kube, ns, kafka, 'orders',
      `seq ${from} ${to} | /opt/kafka/bin/kafka-console-producer.sh --bootstrap-server ${kafka.bootstrapServers} --topic orders --producer.config /tmp/client.properties`);
    assert(r.code === 0, `producer failed: ${r.stdout}\n${r.stderr}`);
  });
}

/** Reads the topic from the beginning with a new group: every message 1..n, each once. */
function consumeAll(ctx: ScenarioContext, ns: string, kafka: KafkaCluster, n: number, group: string) {
  return ctx.step(`consume messages 1..${n} as user orders (group ${group})`, () => {
    const r = client(ctx.kube, ns, kafka, 'orders',
      `/opt/kafka/bin/kafka-console-consumer.sh --bootstrap-server ${kafka.bootstrapServers} --topic orders --from-beginning --max-messages ${n} --timeout-ms 60000 --group ${group} --consumer.config /tmp/client.properties`);
    const got = r.stdout.split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l)).map(Number).sort((a, b) => a - b);
    const want = Array.from({ length: n }, (_, i) => i + 1);
    assert(JSON.stringify(got) === JSON.stringify(want), `consumed ${got.length} of ${n} messages (${JSON.stringify(got.slice(0, 20))}...): ${r.stderr.slice(-2000)}`);
  });
}

/** The finalized metadata.version of the cluster, e.g. `4.1-IV1`, read as the admin user. */
function metadataVersion(kube: Kube, ns: string, kafka: KafkaCluster): string {
  const r = client(kube, ns, kafka, 'admin',
    `/opt/kafka/bin/kafka-features.sh --bootstrap-server ${kafka.bootstrapServers} --command-config /tmp/client.properties describe`);
  assert(r.code === 0, `kafka-features.sh describe failed: ${r.stdout}\n${r.stderr}`);
  const m = /Feature:\s*metadata\.version\b.*?FinalizedVersionLevel:\s*(\S+)/.exec(r.stdout);
  assert(m !== null, `no metadata.version in kafka-features.sh describe:\n${r.stdout}`);
  return m![1];
}

export const kafkaScram: Scenario = {
  name: 'kafka-scram',
  description: 'KafkaCluster (dedicated controllers + brokers, SCRAM) on the default version: pods Ready, topics Job completes, a user produces and consumes',
  async run(ctx: ScenarioContext) {
    const kube = ctx.kube;
    const ns = 'e2e-kafka';
    const images = new NodeImages(kube);
    kube.freshNamespace(ns);
    const { yaml, construct: kafka } = synth(ns, (c) => new KafkaCluster(c, 'events', clusterProps(images)));
    const tag = tagOf(kafka);
    assert(images.has(`${KAFKA_IMAGE}:${tag}`), `the default Kafka image ${KAFKA_IMAGE}:${tag} is not on the nodes (test/cluster/images builds it)`);
    ctx.note(`Kafka ${tag}, the library's default`);
    ctx.note('kafka_exporter and the JMX exporter are not exercised: the pinned kafka_exporter is refused by the Go module proxy, and the JMX agent downloads from GitHub');
    await ctx.step('kubectl apply --server-side', () => kube.apply(yaml));
    await clusterUp(ctx, ns, kafka);
    await clientPod(ctx, ns, kafka, tag);
    await produce(ctx, ns, kafka, 1, 100);
    await consumeAll(ctx, ns, kafka, 100, 'e2e');
    await ctx.step('clean up', () => kube.deleteNamespace(ns));
  },
};

/**
 * The upgrade path docs/kafka.md gives: change `version` on a running cluster and apply. The StatefulSets roll one pod
 * at a time, the data stays, the metadata version stays at the old line until the operator finalizes it with
 * kafka-features.sh, and the cluster serves after that.
 */
export const kafkaUpgrade: Scenario = {
  name: 'kafka-upgrade',
  description: 'a running KafkaCluster on 4.1 takes the default version: one pod per StatefulSet at a time, messages kept, metadata finalized, serves',
  async run(ctx: ScenarioContext) {
    const kube = ctx.kube;
    const ns = 'e2e-kafka-upgrade';
    const images = new NodeImages(kube);
    const from = KafkaVersion.V4_1;
    assert(images.has(`${KAFKA_IMAGE}:${from.imageTag}`), `no ${KAFKA_IMAGE}:${from.imageTag} on the nodes (the kafka-previous image of test/cluster/images)`);
    kube.freshNamespace(ns);
    const first = synth(ns, (c) => new KafkaCluster(c, 'events', clusterProps(images, from)));
    await ctx.step(`first apply: Kafka ${from.imageTag}`, () => kube.apply(first.yaml));
    await clusterUp(ctx, ns, first.construct, `${from.imageTag}: `);
    await clientPod(ctx, ns, first.construct, from.imageTag);
    await produce(ctx, ns, first.construct, 1, 100);
    const before = await ctx.step(`metadata.version is of the ${from.majorMinor} line`, () => {
      const v = metadataVersion(kube, ns, first.construct);
      assert(v.startsWith(`${from.majorMinor}-`), `metadata.version ${v} before the upgrade`);
      return v;
    });

    const second = synth(ns, (c) => new KafkaCluster(c, 'events', clusterProps(images)));
    const kafka = second.construct;
    const to = kafka.versionMajorMinor;
    const tag = tagOf(kafka);
    assert(tag !== from.imageTag && images.has(`${KAFKA_IMAGE}:${tag}`), `no ${KAFKA_IMAGE}:${tag} on the nodes, or it is the version upgraded from`);
    await ctx.step(`second apply: the default version (${tag}) accepted over the live objects`, () => kube.apply(second.yaml));
    const sets = [kafka.controllerStatefulSet!.name, kafka.brokerStatefulSet.name];
    const roll = await ctx.step('controllers and brokers roll one pod per StatefulSet at a time and end Ready', async () => {
      const r = await watchRoll(kube, ns, sets, 1_200_000, undefined, 'kafka');
      assert(r.maxDownPerStatefulSet <= 1, `${r.maxDownPerStatefulSet} pods of one StatefulSet were down at the same time`);
      return r;
    });
    ctx.note(`kafka ${from.imageTag} -> ${tag}: roll ${roll.seconds.toFixed(0)}s, at most ${roll.maxDownPerStatefulSet} pod per StatefulSet down`);
    await ctx.step(`every Kafka pod runs ${tag}`, () => {
      for (const p of kube.pods(ns).filter((x) => sets.some((s) => x.metadata.name.startsWith(`${s}-`)))) {
        const running = (p.status.containerStatuses as any[]).filter((c) => c.name === 'kafka').map((c) => c.image as string);
        assert(running.length === 1 && running[0].endsWith(`:${tag}`), `${p.metadata.name} runs ${running.join(',')}`);
      }
    });
    await clusterUp(ctx, ns, kafka, `${tag}: `);
    // Clients upgrade after the brokers; only the new tools know the new release version.
    await clientPod(ctx, ns, kafka, tag);
    await consumeAll(ctx, ns, kafka, 100, 'after-roll');
    await ctx.step(`metadata.version is still ${before} until finalized`, () => {
      const v = metadataVersion(kube, ns, kafka);
      assert(v === before, `metadata.version ${v} after the roll (was ${before})`);
    });
    await ctx.step(`finalize: kafka-features.sh upgrade --release-version ${to}`, () => {
      const r = client(kube, ns, kafka, 'admin',
        `/opt/kafka/bin/kafka-features.sh --bootstrap-server ${kafka.bootstrapServers} --command-config /tmp/client.properties upgrade --release-version ${to}`);
      assert(r.code === 0, `kafka-features.sh upgrade failed: ${r.stdout}\n${r.stderr}`);
      const v = metadataVersion(kube, ns, kafka);
      assert(v.startsWith(`${to}-`), `metadata.version ${v} after finalizing ${to}`);
      ctx.note(`metadata.version ${before} -> ${v}`);
    });
    await produce(ctx, ns, kafka, 101, 200);
    await consumeAll(ctx, ns, kafka, 200, 'after-finalize');
    await ctx.step('clean up', () => kube.deleteNamespace(ns));
  },
};

/**
 * Metadata backup to a real S3 server (MinIO) and restore into a new cluster. The backup keeps only the topics' own
 * configs (kafka-configs.sh --describe lists them), not the broker settings kafka-topics.sh --describe also prints,
 * and it records the committed offsets; the restored cluster has the topic with exactly its own configs, so its
 * broker settings (min.insync.replicas here) keep applying.
 */
export const kafkaBackupRestore: Scenario = {
  name: 'kafka-backup-restore',
  description: 'KafkaCluster metadata backup to S3 (topic-level configs only, committed offsets) and restore into a new cluster',
  async run(ctx: ScenarioContext) {
    const kube = ctx.kube;
    const ns = 'e2e-kafka-backup';
    const bucket = 'kafka-backups';
    const images = new NodeImages(kube);
    kube.freshNamespace(ns);
    await ctx.step('S3 server (MinIO) and bucket', async () => { await ensureS3(kube, images); await ensureBucket(kube, images, bucket); });
    const target = { endpoint: S3_ENDPOINT, bucket, credentialsSecret: s3CredentialsSecret(kube, ns) };
    const s3ClientImage = { tag: images.require('docker.io/amazon/aws-cli') };
    const topics = [{ name: 'orders', partitions: 3, config: { 'retention.ms': '86400000' } }];
    const { yaml, construct: kafka } = synth(ns, (c) => new KafkaCluster(c, 'events', {
      ...clusterProps(images), topics, backup: { target, s3ClientImage },
    }));
    const tag = tagOf(kafka);
    await ctx.step('kubectl apply --server-side', () => kube.apply(yaml));
    await clusterUp(ctx, ns, kafka);
    await clientPod(ctx, ns, kafka, tag);
    await produce(ctx, ns, kafka, 1, 100);
    await consumeAll(ctx, ns, kafka, 100, 'billing');
    const cronJob = kafka.backupCronJob!.name;
    await ctx.step(`backup Job from CronJob ${cronJob} completes`, () => runBackupNow(kube, ns, cronJob));
    const backupId = await ctx.step('the backup is in the bucket', () => latestBackupId(kube, images, bucket, kafka.name));
    const file = (f: string) => awsCli(kube, images, S3_NAMESPACE, ['s3', 'cp', `s3://${bucket}/${kafka.name}/${backupId}/${f}`, '-']);
    await ctx.step('topics.txt holds the topic with its own config only (no broker settings)', async () => {
      const line = (await file('topics.txt')).split('\n').find((l) => l.startsWith('orders|'));
      assert(line === 'orders|3|3|retention.ms=86400000', `topics.txt line for orders: ${line}`);
    });
    await ctx.step('offsets.csv holds the committed offsets of group billing (they add up to the 100 messages read)', async () => {
      // The console producer's sticky partitioner may put every message on one partition: only the sum is fixed.
      const rows = (await file('offsets.csv')).split('\n').filter((l) => l.startsWith('billing,orders,'));
      const total = rows.reduce((sum, l) => sum + Number(l.split(',')[3]), 0);
      assert(rows.length >= 1 && total === 100, `offsets.csv rows for billing: ${JSON.stringify(rows)}`);
    });

    const second = synth(ns, (c) => new KafkaCluster(c, 'restored', {
      ...clusterProps(images), topics: [], restore: { source: { ...target, prefix: kafka.name }, backupId, s3ClientImage },
    }));
    const restored = second.construct;
    await ctx.step('a new cluster with restore', () => kube.apply(second.yaml));
    const sel = Object.entries(restored.brokerSelectorLabels).map(([k, v]) => `${k}=${v}`).join(',');
    await ctx.step(`${restored.brokers} brokers of ${restored.name} Ready`, () => kube.waitPodsReady(ns, sel, restored.brokers, 900_000));
    const restoreJob = restored.restoreJob!.toJson().metadata.name as string;
    await ctx.step(`restore Job ${restoreJob} completes`, () => kube.waitJobComplete(ns, restoreJob, 900_000));
    await clientPod(ctx, ns, restored, tag, 'restored-client');
    await ctx.step('the restored topic has its own config and inherits the broker settings', () => {
      const r = client(kube, ns, restored, 'admin',
        `/opt/kafka/bin/kafka-configs.sh --bootstrap-server ${restored.bootstrapServers} --command-config /tmp/client.properties --describe --entity-type topics --entity-name orders`,
        'restored-client');
      assert(r.code === 0, `kafka-configs.sh --describe failed: ${r.stdout}\n${r.stderr}`);
      const own = r.stdout.split('\n').filter((l) => /^\s+[a-z0-9._-]+=/.test(l)).map((l) => l.trim().split(' ')[0]);
      assert(JSON.stringify(own) === JSON.stringify(['retention.ms=86400000']), `topic-level configs of the restored topic: ${JSON.stringify(own)}\n${r.stdout}`);
      const d = client(kube, ns, restored, 'admin',
        `/opt/kafka/bin/kafka-topics.sh --bootstrap-server ${restored.bootstrapServers} --command-config /tmp/client.properties --describe --topic orders`,
        'restored-client');
      assert(/PartitionCount: 3\b/.test(d.stdout), `restored topic: ${d.stdout}`);
    });
    await ctx.step('clean up', () => kube.deleteNamespace(ns));
  },
};
