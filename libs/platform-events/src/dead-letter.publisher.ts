import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
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

/** The publisher is stopping: the dead letter was not sent, so its original stays uncommitted. */
export class DeadLetterNotSentError extends Error {
  override readonly name = 'DeadLetterNotSentError';
  constructor(source: MessageSource) {
    super(
      `dead letter of ${source.topic}[${source.partition}]@${source.offset} not sent: stopping`,
    );
  }
}

/**
 * Sends a message that is not a valid platform event to the dead-letter topic, untouched (value,
 * key and headers), with the reason and its original place in headers, so it can be inspected,
 * fixed and replayed. Resolves once the broker has it (all in-sync replicas): only then may the
 * original's offset be committed.
 *
 * A broker that cannot be reached is retried with back-off until it can (connecting again when a
 * connection failed or was lost), so a Kafka outage delays dead letters but loses none; stopping
 * ends the retries (the original is then read again after a restart).
 */
@Injectable()
export class DeadLetterPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterPublisher.name);
  private readonly producer: Producer;
  private connected?: Promise<void>;
  private readonly published: Counter;
  private readonly stopping = new AbortController();
  private readonly policy = retry(handleAll, {
    maxAttempts: Number.POSITIVE_INFINITY,
    backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 10_000 }),
  }).dangerouslyUnref();

  constructor(
    kafka: Kafka,
    private readonly config: AppConfig,
    registry: Registry,
  ) {
    this.producer = kafka.producer({ allowAutoTopicCreation: true });
    // A lost connection is made again on the next send.
    this.producer.on(this.producer.events.DISCONNECT, () => (this.connected = undefined));
    this.published = new Counter({
      name: 'platform_events_dead_lettered_total',
      help: 'Messages that were not valid platform events, sent to the dead-letter topic',
      registers: [registry],
    });
    this.policy.onRetry((event) => {
      const error = 'error' in event ? event.error.message : 'no answer';
      this.logger.warn(
        `dead-letter send failed, retrying in ${Math.round(event.delay)} ms: ${error}`,
      );
    });
  }

  async publish(message: KafkaMessage, source: MessageSource, reason: string): Promise<void> {
    await this.policy
      .execute(async ({ signal }) => {
        if (signal.aborted) throw new DeadLetterNotSentError(source);
        await this.connect();
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
      }, this.stopping.signal)
      .catch((error: Error) => {
        throw this.stopping.signal.aborted ? new DeadLetterNotSentError(source) : error;
      });
    this.published.inc();
    this.logger.warn(
      `dead-lettered ${source.topic}[${source.partition}]@${source.offset}: ${reason}`,
    );
  }

  /** Ends the retries of sends under way (they reject with DeadLetterNotSentError). */
  stop(): void {
    this.stopping.abort();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop();
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
  }

  /** Connects once; a failed connect is forgotten, so the next send tries again. */
  private connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: Error) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }
}
