import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { Counter, Registry } from 'prom-client';
import { AppConfig } from '@app/config';
import type { MessageSource } from './platform-event';

/** Header names on a dead letter; operators and tooling read these. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-dead-letter-reason',
  topic: 'x-original-topic',
  partition: 'x-original-partition',
  offset: 'x-original-offset',
  timestamp: 'x-original-timestamp',
  failedAt: 'x-dead-lettered-at',
} as const;

/**
 * Sends a message that is not a valid platform event to the dead-letter topic, untouched (value,
 * key and headers), with the reason and its original place in headers, so it can be inspected,
 * fixed and replayed. Resolves once the broker has it (all in-sync replicas): only then may the
 * original's offset be committed.
 */
@Injectable()
export class DeadLetterPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterPublisher.name);
  private readonly producer: Producer;
  private connected?: Promise<void>;
  private readonly published: Counter;

  constructor(
    kafka: Kafka,
    private readonly config: AppConfig,
    registry: Registry,
  ) {
    this.producer = kafka.producer({ allowAutoTopicCreation: true });
    this.published = new Counter({
      name: 'platform_events_dead_lettered_total',
      help: 'Messages that were not valid platform events, sent to the dead-letter topic',
      registers: [registry],
    });
  }

  async publish(message: KafkaMessage, source: MessageSource, reason: string): Promise<void> {
    this.connected ??= this.producer.connect();
    await this.connected;
    await this.producer.send({
      topic: this.config.kafkaDeadLetterTopic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            [DEAD_LETTER_HEADERS.reason]: reason,
            [DEAD_LETTER_HEADERS.topic]: source.topic,
            [DEAD_LETTER_HEADERS.partition]: String(source.partition),
            [DEAD_LETTER_HEADERS.offset]: source.offset,
            [DEAD_LETTER_HEADERS.timestamp]: message.timestamp,
            [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
          },
        },
      ],
    });
    this.published.inc();
    this.logger.warn(
      `dead-lettered ${source.topic}[${source.partition}]@${source.offset}: ${reason}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}
