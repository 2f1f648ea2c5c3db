/**
 * Scenario 5 (part): KafkaCluster with dedicated KRaft controllers and brokers and SCRAM-SHA-512, on the tier's Kafka
 * image (the pinned version's jars from Maven Central). A client pod produces and consumes with the user's generated
 * credentials.
 *
 * Monitoring is off: the Go module proxy refuses the pinned kafka_exporter, so its image cannot be built, and the
 * JMX agent is fetched from GitHub at pod start, which this network cannot reach.
 */
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { KafkaAuthentication, KafkaCluster, NetworkPeer } from '../../../src';
import { NodeImages } from '../lib/images';
import { assert, Scenario, ScenarioContext } from '../lib/scenario';
import { synth } from '../lib/synth';

const CLIENT = { 'app.kubernetes.io/name': 'orders-service' };

export const kafkaScram: Scenario = {
  name: 'kafka-scram',
  description: 'KafkaCluster (dedicated controllers + brokers, SCRAM): pods Ready, topics Job completes, a user produces and consumes',
  async run(ctx: ScenarioContext) {
    const kube = ctx.kube;
    const ns = 'e2e-kafka';
    const images = new NodeImages(kube);
    kube.freshNamespace(ns);
    const small = { cpu: { request: Cpu.millis(100), limit: Cpu.units(1) }, memory: { request: Size.mebibytes(768), limit: Size.mebibytes(768) } };
    const { yaml, construct: kafka } = synth(ns, (c) => new KafkaCluster(c, 'events', {
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
    }));
    ctx.note('kafka_exporter and the JMX exporter are not exercised: the pinned kafka_exporter is refused by the Go module proxy, and the JMX agent downloads from GitHub');
    await ctx.step('kubectl apply --server-side', () => kube.apply(yaml));
    const sel = Object.entries(kafka.brokerSelectorLabels).map(([k, v]) => `${k}=${v}`).join(',');
    await ctx.step(`${kafka.brokers} brokers Ready`, () => kube.waitPodsReady(ns, sel, kafka.brokers, 900_000));
    await ctx.step('topics and users Job completes', async () => {
      const job = await kube.waitFor('the setup Job', 120_000, () => (kube.json(['-n', ns, 'get', 'jobs']).items as any[])
        .map((j) => j.metadata.name as string).find((n) => n.startsWith(`${kafka.name}-setup-`)));
      await kube.waitJobComplete(ns, job, 600_000);
    });
    const user = kafka.userPasswordSecrets.orders;
    const tag = images.require('docker.io/apache/kafka');
    await ctx.step('client pod with the user credentials', async () => {
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'orders-client', namespace: ns, labels: CLIENT },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{
            name: 'cli',
            image: `docker.io/apache/kafka:${tag}`,
            imagePullPolicy: 'IfNotPresent',
            command: ['sleep', 'infinity'],
            env: [{ name: 'KAFKA_PASSWORD', valueFrom: { secretKeyRef: { name: user.secretName, key: user.key } } }],
          }],
        },
      };
      kube.apply(JSON.stringify(pod));
      await kube.waitFor('client Ready', 120_000, () => kube.podReady(kube.json(['-n', ns, 'get', 'pod', 'orders-client'])), () => kube.describePods(ns));
    });
    // The client's properties, with the password from the pod's env (never in the manifest or an argument).
    const script = (cmd: string) => `set -e
cat > /tmp/client.properties <<EOF
security.protocol=${kafka.securityProtocol}
sasl.mechanism=${kafka.saslMechanism}
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="orders" password="$KAFKA_PASSWORD";
EOF
${cmd}`;
    await ctx.step('produce 100 messages as user orders', () => {
      const r = kube.exec(ns, 'orders-client', 'cli', ['bash', '-c', script(
        `seq 1 100 | /opt/kafka/bin/kafka-console-producer.sh --bootstrap-server ${kafka.bootstrapServers} --topic orders --producer.config /tmp/client.properties`)],
      undefined, 180_000);
      assert(r.code === 0, `producer failed: ${r.stdout}\n${r.stderr}`);
    });
    await ctx.step('consume the 100 messages as user orders', () => {
      const r = kube.exec(ns, 'orders-client', 'cli', ['bash', '-c', script(
        `/opt/kafka/bin/kafka-console-consumer.sh --bootstrap-server ${kafka.bootstrapServers} --topic orders --from-beginning --max-messages 100 --timeout-ms 60000 --group e2e --consumer.config /tmp/client.properties`)],
      undefined, 180_000);
      const got = r.stdout.split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l));
      assert(got.length === 100, `consumed ${got.length} of 100 messages: ${r.stderr.slice(-2000)}`);
    });
    await ctx.step('clean up', () => kube.deleteNamespace(ns));
  },
};
