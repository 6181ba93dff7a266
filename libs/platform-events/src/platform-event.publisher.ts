import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { Kafka, type Producer } from 'kafkajs';
import { AppConfig } from '@app/config';
import type { PlatformEvent } from './platform-event';

/** The publisher is stopping: the event was not published; the step that announces it is redone. */
export class PlatformEventNotPublishedError extends Error {
  override readonly name = 'PlatformEventNotPublishedError';
  constructor(eventId: string) {
    super(`event ${eventId} not published: stopping`);
  }
}

/**
 * Publishes the webhooks service's own platform events (the operational ones) to the operational
 * topic (KAFKA_OPERATIONAL_TOPIC), which the workers consume beside the platform's, so they go
 * through the same intake, matching, signing and retries. Resolves once all in-sync replicas have
 * the event. Keyed by the event id: a repeated publish lands on the same partition, and the
 * intake takes the second as a repeat of the first.
 *
 * A broker that cannot be reached is retried with back-off until it can, so an outage delays
 * operational events but loses none; stopping ends the retries with PlatformEventNotPublishedError
 * (the caller leaves its step unfinished, to be done again after a restart).
 */
@Injectable()
export class PlatformEventPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(PlatformEventPublisher.name);
  private readonly producer: Producer;
  private connected?: Promise<void>;
  private readonly stopping = new AbortController();
  private readonly policy = retry(handleAll, {
    maxAttempts: Number.POSITIVE_INFINITY,
    backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 10_000 }),
  }).dangerouslyUnref();

  constructor(
    kafka: Kafka,
    private readonly config: AppConfig,
  ) {
    this.producer = kafka.producer({ allowAutoTopicCreation: true });
    this.producer.on(this.producer.events.DISCONNECT, () => (this.connected = undefined));
    this.policy.onRetry((event) => {
      const error = 'error' in event ? event.error.message : 'no answer';
      this.logger.warn(
        `publishing an operational event failed, retrying in ${Math.round(event.delay)} ms: ${error}`,
      );
    });
  }

  async publish(event: PlatformEvent): Promise<void> {
    await this.policy
      .execute(async ({ signal }) => {
        if (signal.aborted) throw new PlatformEventNotPublishedError(event.id);
        await this.connect();
        await this.producer.send({
          topic: this.config.kafkaOperationalTopic,
          acks: -1,
          messages: [{ key: event.id, value: JSON.stringify(event) }],
        });
      }, this.stopping.signal)
      .catch((error: Error) => {
        throw this.stopping.signal.aborted ? new PlatformEventNotPublishedError(event.id) : error;
      });
  }

  stop(): void {
    this.stopping.abort();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop();
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: Error) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }
}
