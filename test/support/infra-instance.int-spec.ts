import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { startInfraInstance, type InfraInstance } from './infra-instance';
import { deferred, within } from './within';

// A fixed name: a run that crashed leaves this instance behind, and the next run's
// startInfraInstance destroys it instead of adding another.
const NAME = 'infra-instance-spec';
// Where scripts/infra keeps a named instance's files (docs/local-infrastructure.md).
const INSTANCE_DIR = resolve(__dirname, '../../.local/instances', NAME);
const DATABASE = 'infra_instance_spec';
const TOPIC = 'infra-instance-spec';
const GROUP = 'infra-instance-spec-group';
// Kafka's JVM start is several seconds, more after a SIGKILL (the restarted controller first
// waits out the dead broker's 9 s session); two starts fit with room to spare on a busy machine.
const KAFKA_STEP_MS = 180_000;

interface Target {
  mongodbUri: string;
  kafkaBrokers: string;
}

function defaultServers(): Target {
  const { MONGODB_URI: mongodbUri, KAFKA_BROKERS: kafkaBrokers } = process.env;
  if (!mongodbUri || !kafkaBrokers)
    throw new Error('MONGODB_URI / KAFKA_BROKERS are not set: run the tests through jest');
  return { mongodbUri, kafkaBrokers };
}

async function withMongo<T>(uri: string, use: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

function kafka(target: Target): Kafka {
  return new Kafka({
    brokers: [target.kafkaBrokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 10 },
  });
}

async function withAdmin<T>(
  target: Target,
  use: (admin: ReturnType<Kafka['admin']>) => Promise<T>,
) {
  const admin = kafka(target).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/** True if something accepts TCP connections on 127.0.0.1:port (a stopped server refuses). */
function accepts(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      answer(true);
    });
    socket.once('error', () => answer(false));
  });
}

const mongoPort = (instance: InfraInstance) => Number(new URL(instance.mongodbUri).port);
const kafkaPort = (instance: InfraInstance) => Number(instance.kafkaBrokers.split(':')[1]);

/** The shared servers every other test file uses must not notice anything. */
async function expectDefaultServersAnswer(): Promise<void> {
  const shared = defaultServers();
  const ping = await withMongo(shared.mongodbUri, (client) =>
    client.db('admin').command({ ping: 1 }),
  );
  expect(ping.ok).toBe(1);
  const cluster = await withAdmin(shared, (admin) => admin.describeCluster());
  expect(cluster.brokers.length).toBeGreaterThan(0);
}

/** The first message a (new) member of GROUP receives on TOPIC: where the group resumes. */
async function firstMessageOfGroup(target: Target): Promise<{ offset: string; value: string }> {
  const consumer = kafka(target).consumer({ groupId: GROUP });
  const received = deferred<{ offset: string; value: string }>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ message }) => {
        received.resolve({ offset: message.offset, value: String(message.value) });
        return Promise.resolve();
      },
    });
    return await within(received.promise, 60_000, `a message for group ${GROUP}`);
  } finally {
    await consumer.disconnect();
  }
}

describe('a named local infrastructure instance (scripts/infra, LOCAL_INFRA_INSTANCE)', () => {
  let instance: InfraInstance;
  const timings: string[] = [];
  const timed = async <T>(what: string, action: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await action();
    } finally {
      timings.push(`${what}: ${((performance.now() - started) / 1000).toFixed(2)} s`);
    }
  };

  beforeAll(async () => {
    instance = await timed('startInfraInstance (both servers)', () => startInfraInstance(NAME));
  }, KAFKA_STEP_MS);

  afterAll(async () => {
    await instance?.destroy();
    process.stderr.write(`[infra-instance.int-spec] timings:\n  ${timings.join('\n  ')}\n`);
  }, KAFKA_STEP_MS);

  it('Given a started instance, then it runs servers of its own beside the default ones', async () => {
    const shared = defaultServers();
    expect(instance.mongodbUri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    expect(instance.kafkaBrokers).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(mongoPort(instance)).not.toBe(Number(new URL(shared.mongodbUri).port));

    // Its own storage: a document written to it is not in the default server's same collection.
    const probe = { _id: `probe-${Date.now()}` };
    await withMongo(instance.mongodbUri, (client) =>
      client.db(DATABASE).collection<{ _id: string }>('probe').insertOne(probe),
    );
    const inDefault = await withMongo(shared.mongodbUri, (client) =>
      client.db(DATABASE).collection<{ _id: string }>('probe').findOne({ _id: probe._id }),
    );
    expect(inDefault).toBeNull();

    // Its own Kafka cluster (own KRaft storage, so its own cluster id).
    const own = await withAdmin(instance, (admin) => admin.describeCluster());
    const theirs = await withAdmin(shared, (admin) => admin.describeCluster());
    expect(own.clusterId).not.toBe(theirs.clusterId);
    expect(own.brokers.map((broker) => broker.port)).toEqual([kafkaPort(instance)]);
    await expectDefaultServersAnswer();
  });

  it('When FerretDB is stopped and started again, then a document written before is still there', async () => {
    const collection = (client: MongoClient) =>
      client.db(DATABASE).collection<{ _id: string; note: string }>('documents');
    await withMongo(instance.mongodbUri, (client) =>
      collection(client).insertOne({ _id: 'before-stop', note: 'written before stop ferretdb' }),
    );

    await timed('stop ferretdb', () => instance.stop('ferretdb'));
    expect(await accepts(mongoPort(instance))).toBe(false);
    await expectDefaultServersAnswer();
    await timed('start ferretdb', () => instance.start('ferretdb'));

    const found = await withMongo(instance.mongodbUri, (client) =>
      collection(client).findOne({ _id: 'before-stop' }),
    );
    expect(found).toEqual({ _id: 'before-stop', note: 'written before stop ferretdb' });
  });

  it(
    'When Kafka is stopped and started again, then a topic and a consumer group’s committed offset are still there',
    async () => {
      const client = kafka(instance);
      await withAdmin(instance, (admin) =>
        admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true }),
      );
      const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      await producer.send({
        topic: TOPIC,
        acks: -1,
        messages: ['one', 'two', 'three'].map((value) => ({ value })),
      });
      await producer.disconnect();

      // A member of the group reads the first two messages and commits "next is offset 2".
      const consumer = client.consumer({ groupId: GROUP });
      const committed = deferred();
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          if (message.offset !== '1') return;
          await consumer.commitOffsets([{ topic, partition, offset: '2' }]);
          committed.resolve();
        },
      });
      try {
        await within(committed.promise, 60_000, 'the group to commit offset 2');
      } finally {
        await consumer.disconnect();
      }

      await timed('stop kafka', () => instance.stop('kafka'));
      expect(await accepts(kafkaPort(instance))).toBe(false);
      await expectDefaultServersAnswer();
      await timed('start kafka', () => instance.start('kafka'));

      const after = await withAdmin(instance, async (admin) => ({
        topics: await admin.listTopics(),
        offsets: await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }),
      }));
      expect(after.topics).toContain(TOPIC);
      expect(after.offsets).toEqual([
        { topic: TOPIC, partitions: [expect.objectContaining({ partition: 0, offset: '2' })] },
      ]);
      // And a new member of the group really resumes there.
      expect(await firstMessageOfGroup(instance)).toEqual({ offset: '2', value: 'three' });
      await expectDefaultServersAnswer();
    },
    KAFKA_STEP_MS,
  );

  it(
    'When both servers are killed (SIGKILL), then they stop answering at once and come back with their data',
    async () => {
      await timed('kill ferretdb', () => instance.kill('ferretdb'));
      await timed('kill kafka', () => instance.kill('kafka'));
      expect(await accepts(mongoPort(instance))).toBe(false);
      expect(await accepts(kafkaPort(instance))).toBe(false);
      await expectDefaultServersAnswer();

      await timed('start ferretdb after kill', () => instance.start('ferretdb'));
      await timed('start kafka after kill', () => instance.start('kafka'));
      const found = await withMongo(instance.mongodbUri, (client) =>
        client
          .db(DATABASE)
          .collection<{ _id: string }>('documents')
          .findOne({ _id: 'before-stop' }),
      );
      expect(found).not.toBeNull();
      const ends = await withAdmin(instance, (admin) => admin.fetchTopicOffsets(TOPIC));
      expect(ends).toEqual([expect.objectContaining({ partition: 0, high: '3' })]);
      await expectDefaultServersAnswer();
    },
    KAFKA_STEP_MS,
  );

  it('When it is destroyed, then its servers stop and all its data is gone', async () => {
    await timed('destroy', () => instance.destroy());
    expect(existsSync(INSTANCE_DIR)).toBe(false);
    expect(await accepts(mongoPort(instance))).toBe(false);
    expect(await accepts(kafkaPort(instance))).toBe(false);
    await expectDefaultServersAnswer();

    // Its database went too, not only its files: a FerretDB started in its place is empty.
    await timed('start ferretdb after destroy', () => instance.start('ferretdb'));
    const left = await withMongo(instance.mongodbUri, (client) =>
      client.db(DATABASE).collection('documents').countDocuments(),
    );
    expect(left).toBe(0);
  });
});
