import { type Admin, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { kafkaSecurityFromEnvironment } from '@app/config';
import { kafkaClientConfig } from '@app/platform';

/** The five platform topics of the default configuration, under a prefix unique to one run. */
export interface BenchTopics {
  /** All platform topics the worker consumes (KAFKA_TOPICS). */
  platform: string[];
  /** The one the benchmark publishes to. */
  licenses: string;
  deadLetter: string;
  group: string;
}

export function benchTopics(prefix: string): BenchTopics {
  const platform = ['licenses', 'activations', 'products', 'contracts', 'telemetry'].map(
    (name) => `${prefix}.${name}`,
  );
  return {
    platform,
    licenses: platform[0],
    deadLetter: `${prefix}.dead-letter`,
    group: prefix.replace(/\./g, '-'),
  };
}

export interface BenchKafka {
  admin: Admin;
  producer: Producer;
  /** Deletes the run's topics and consumer group (best effort: a failure is only reported). */
  cleanUp(topics: BenchTopics): Promise<string[]>;
  disconnect(): Promise<void>;
}

/**
 * An admin and an (unbatched, acks=all) producer on `brokers`, connected, logging only errors; over
 * TLS and SASL when KAFKA_SSL / KAFKA_SASL_* say so, as for the worker the benchmark starts.
 */
export async function connectKafka(brokers: string, clientId: string): Promise<BenchKafka> {
  const { ssl, sasl } = kafkaClientConfig({
    kafkaClientId: clientId,
    kafkaBrokers: brokers.split(',').map((broker) => broker.trim()),
    ...kafkaSecurityFromEnvironment(),
  });
  const kafka = new Kafka({
    clientId,
    brokers: brokers.split(',').map((broker) => broker.trim()),
    logLevel: logLevel.ERROR,
    ssl,
    sasl,
  });
  const admin = kafka.admin();
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    // Murmur2 on the key, as the Java client does: keys spread evenly over the partitions.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await admin.connect();
  await producer.connect();
  return {
    admin,
    producer,
    async cleanUp(topics) {
      const problems: string[] = [];
      await admin
        .deleteGroups([topics.group])
        .catch((error: Error) => problems.push(`group ${topics.group}: ${error.message}`));
      await admin
        .deleteTopics({ topics: [...topics.platform, topics.deadLetter], timeout: 10_000 })
        .catch((error: Error) => problems.push(`topics: ${error.message}`));
      return problems;
    },
    async disconnect() {
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    },
  };
}

/**
 * Creates the run's platform topics with `partitions` partitions each and its dead-letter topic
 * with one, before the worker starts (the worker would otherwise create them with the broker's
 * default of one partition).
 */
export async function createBenchTopics(
  admin: Admin,
  topics: BenchTopics,
  partitions: number,
): Promise<void> {
  await admin.createTopics({
    topics: [
      ...topics.platform.map((topic) => ({ topic, numPartitions: partitions })),
      { topic: topics.deadLetter, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
}
