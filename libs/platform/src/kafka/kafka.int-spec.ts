import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Admin, Consumer, IHeaders, Producer } from 'kafkajs';
import { deferred, within } from '../../../../test/support/within';

interface SentMessage {
  key: string;
  headers: Record<string, string>;
  value: { id: string; licenseKey: string; sequence: number };
}

interface ReceivedMessage {
  partition: number;
  offset: string;
  key: string | undefined;
  headers: Record<string, string>;
  value: unknown;
}

function brokersFromEnv(): string[] {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (brokers.length === 0)
    throw new Error('KAFKA_BROKERS is not set: run the tests through jest (global setup)');
  return brokers;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [
      name,
      Buffer.isBuffer(value) ? value.toString('utf8') : String(value),
    ]),
  );
}

describe('Kafka on the real broker', () => {
  const suffix = randomBytes(4).toString('hex');
  const topic = `test.kafka-round-trip.${suffix}`;
  const groupId = `test-kafka-round-trip-${suffix}`;
  const partitions = 3;

  // Six keys, four messages each: several messages per key, to check per-key order. The keys are
  // chosen so that the default (murmur2) partitioner spreads them over all three partitions, which
  // is checked below so that every partition has an end offset to compare with the group's.
  const licenseKeys = [
    'lic-alpha',
    'lic-bravo',
    'lic-charlie',
    'lic-echo',
    'lic-golf',
    'lic-juliett',
  ];
  const sent: SentMessage[] = [];
  for (let sequence = 1; sequence <= 4; sequence++) {
    for (const licenseKey of licenseKeys) {
      const id = randomUUID();
      sent.push({
        key: licenseKey,
        headers: {
          'event-id': id,
          'event-type': 'LicenseActivated',
          'content-type': 'application/json',
        },
        value: { id, licenseKey, sequence },
      });
    }
  }

  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    kafka = new Kafka({
      clientId: `kafka-int-spec-${suffix}`,
      brokers: brokersFromEnv(),
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 100 },
    });
    admin = kafka.admin();
    await admin.connect();
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    expect(created).toBe(true);
  });

  afterAll(async () => {
    await Promise.allSettled([consumer?.disconnect(), producer?.disconnect()]);
    if (!admin) return;
    // The group is empty once the consumer has left; both are unique to this run.
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates the topic with three partitions', async () => {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });

    expect(metadata.topics).toHaveLength(1);
    expect(metadata.topics[0].partitions.map((partition) => partition.partitionId).sort()).toEqual([
      0, 1, 2,
    ]);
  });

  it('delivers keyed JSON messages with headers to a consumer group once each, and commits the group to the end of the topic', async () => {
    // Given messages produced with keys, headers and JSON values
    producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    const produced = await producer.send({
      topic,
      acks: -1,
      messages: sent.map((message) => ({
        key: message.key,
        headers: message.headers,
        value: JSON.stringify(message.value),
      })),
    });
    expect(new Set(produced.map((result) => result.partition))).toEqual(new Set([0, 1, 2]));

    // When a consumer group reads the topic from the beginning, committing after each message
    const received: ReceivedMessage[] = [];
    const allArrived = deferred();
    // A short fetch wait keeps disconnect (which lets the in-flight fetch finish) quick.
    consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
    consumer.on(consumer.events.CRASH, (event) => allArrived.reject(event.payload.error));
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const running = consumer;
    await running.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        await running.commitOffsets([
          { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
        ]);
        received.push({
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8'),
          headers: headersToStrings(message.headers),
          value: JSON.parse(message.value?.toString('utf8') ?? 'null'),
        });
        if (received.length >= sent.length) allArrived.resolve();
      },
    });
    await within(allArrived.promise, 30_000, `${sent.length} messages on ${topic}`);

    // Then every message arrived exactly once, as it was sent
    expect(received).toHaveLength(sent.length);
    const receivedById = new Map(
      received.map((message) => [(message.value as SentMessage['value']).id, message]),
    );
    expect(receivedById.size).toBe(sent.length);
    for (const message of sent) {
      expect(receivedById.get(message.value.id)).toMatchObject({
        key: message.key,
        headers: message.headers,
        value: message.value,
      });
    }

    // And each key stayed on one partition, in the order it was produced
    for (const licenseKey of licenseKeys) {
      const ofKey = received.filter((message) => message.key === licenseKey);
      expect(new Set(ofKey.map((message) => message.partition)).size).toBe(1);
      expect(ofKey.map((message) => (message.value as SentMessage['value']).sequence)).toEqual([
        1, 2, 3, 4,
      ]);
    }

    // And the group's committed offsets are the end offsets of every partition
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const endOffsets = await admin.fetchTopicOffsets(topic);
    const byPartition = <T extends { partition: number }>(items: T[]) =>
      [...items].sort((a, b) => a.partition - b.partition);
    expect(committed.topic).toBe(topic);
    expect(
      byPartition(committed.partitions).map(({ partition, offset }) => ({ partition, offset })),
    ).toEqual(byPartition(endOffsets).map(({ partition, high }) => ({ partition, offset: high })));
    const total = endOffsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
    expect(total).toBe(sent.length);
  });
});
