import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { Kafka, type Consumer, type EachBatchPayload, type KafkaMessage } from 'kafkajs';
import { AppConfig } from '@app/config';
import { DRAIN_ORDER, GracefulShutdown } from '@app/platform';
import { DeadLetterNotSentError, DeadLetterPublisher } from './dead-letter.publisher';
import { PartitionProgress } from './partition-progress';
import type { MessageSource } from './platform-event';
import { parsePlatformEvent, type ParsedMessage } from './platform-event.parser';
import { EventDataValidator } from './event-data-validator';
import {
  PLATFORM_EVENT_SINK,
  UnacceptableEventError,
  type PlatformEventSink,
} from './platform-event.sink';

/** How often finished offsets are committed. */
const COMMIT_INTERVAL_MS = 200;
/** While the sink is full the consumer still heartbeats, so the group does not evict it. */
const BACKPRESSURE_HEARTBEAT_MS = 1000;
/**
 * A worker that dies without leaving the group keeps its partitions this long. Lower than
 * kafkajs' 30 s so a crash is taken over sooner; a graceful stop leaves the group at once.
 */
const SESSION_TIMEOUT_MS = 15_000;

/**
 * Reads the platform topics as one consumer group, so several workers share the partitions.
 *
 * Built on kafkajs directly rather than @nestjs/microservices' Kafka transport, which commits when a
 * handler returns and handles one message at a time. Here an event's deliveries finish out of order
 * and long after it was read (slow endpoints, retries), so offsets are committed by hand, per
 * partition, up to the first event whose deliveries are not yet durably recorded (PartitionProgress);
 * batches are taken whole; and the consumer keeps heartbeating while it waits for room.
 *
 * A message that is not a valid platform event (not JSON, a missing field, an unknown type, larger
 * than PLATFORM_EVENT_MAX_BYTES, `data` that breaks its type's JSON Schema under
 * PLATFORM_EVENT_VALIDATION=strict, or refused by the database) goes to the dead-letter topic before
 * its offset can be committed; the messages around it carry on.
 *
 * Nothing is read before the sink is ready (the webhook index and retry policy have caught up). A
 * broker that is down at start-up is waited for. On SIGTERM it stops reading at once, lets the
 * deliveries in flight be recorded (DeliveryEngine), commits what is recorded, then leaves the
 * group, so the partitions move to the other workers from exactly there.
 */
@Injectable()
export class PlatformEventConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlatformEventConsumer.name);
  private readonly consumer: Consumer;
  private progress = new Map<string, PartitionProgress>();
  private commitTimer?: NodeJS.Timeout;
  private committing?: Promise<void>;
  private started?: Promise<void>;
  private joined = false;
  private readonly stopping = new AbortController();

  constructor(
    private readonly kafka: Kafka,
    private readonly config: AppConfig,
    @Inject(PLATFORM_EVENT_SINK) private readonly sink: PlatformEventSink,
    private readonly deadLetters: DeadLetterPublisher,
    shutdown: GracefulShutdown,
    private readonly dataValidator: EventDataValidator,
  ) {
    this.consumer = this.kafka.consumer({
      groupId: config.kafkaConsumerGroup,
      allowAutoTopicCreation: false,
      sessionTimeout: SESSION_TIMEOUT_MS,
      heartbeatInterval: 3_000,
    });
    // A rebalance may hand our partitions to someone else (who resumes from the last commit) and
    // give them back later from there: what we tracked before no longer matches what we will read.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.progress = new Map();
      this.joined = true;
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.joined = false;
      this.logger.warn(
        `consumer crashed (${event.payload.error.message}); ${event.payload.restart ? 'restarting' : 'not restarting'}`,
      );
      if (!event.payload.restart) void this.restart();
    });
    this.consumer.on(this.consumer.events.STOP, () => (this.joined = false));
    shutdown.register({
      name: 'kafka: stop reading platform events',
      order: DRAIN_ORDER.stopIntake,
      run: () => this.stopReading(),
    });
    shutdown.register({
      name: 'kafka: commit what is recorded',
      order: DRAIN_ORDER.persist,
      run: () => this.commit(),
    });
  }

  /** Whether this worker is a member of the consumer group, reading its partitions. */
  get consuming(): boolean {
    return this.joined && !this.stopping.signal.aborted;
  }

  onApplicationBootstrap(): void {
    // Not awaited: the worker serves /health while Kafka or the index are still coming up.
    this.started = this.startWhenPossible();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    this.deadLetters.stop();
    // A start still under way finishes first (it may be past its last `stopping` check).
    await this.started;
    clearInterval(this.commitTimer);
    await this.commit();
    // Leaves the group: the partitions go to the other workers at once.
    await this.consumer.disconnect().catch(() => undefined);
  }

  /** Starts once the sink is ready, retrying while Kafka cannot be reached. */
  private async startWhenPossible(): Promise<void> {
    const signal = this.stopping.signal;
    const stopped = new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve()),
    );
    await Promise.race([this.sink.whenReady(), stopped]);
    if (signal.aborted) return;
    const policy = retry(handleAll, {
      maxAttempts: Number.POSITIVE_INFINITY,
      backoff: new ExponentialBackoff({ initialDelay: 500, maxDelay: 10_000 }),
    }).dangerouslyUnref();
    policy.onRetry((event) => {
      const message = 'error' in event ? event.error.message : 'no answer';
      this.logger.warn(`the platform event consumer did not start, retrying: ${message}`);
    });
    await policy
      .execute(async ({ signal: aborted }) => {
        if (aborted.aborted) return;
        await this.start();
      }, signal)
      .catch((error: Error) => {
        if (!signal.aborted) this.logger.error(`the consumer did not start: ${error.message}`);
      });
  }

  private async start(): Promise<void> {
    await this.ensureTopics();
    if (this.stopping.signal.aborted) return;
    await this.consumer.connect();
    // From the beginning for a new group: events published before the first worker ever started
    // are delivered too. An existing group resumes from its committed offsets.
    await this.consumer.subscribe({ topics: consumedTopics(this.config), fromBeginning: true });
    if (this.stopping.signal.aborted) return;
    this.commitTimer ??= setInterval(() => void this.commit(), COMMIT_INTERVAL_MS);
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(1, consumedTopics(this.config).length),
      eachBatch: (payload) => this.consumeBatch(payload),
    });
    this.logger.log(
      `consuming ${consumedTopics(this.config).join(', ')} as group ${this.config.kafkaConsumerGroup}`,
    );
  }

  /** kafkajs gave up restarting after a crash: start again from scratch. */
  private async restart(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    await this.consumer.disconnect().catch(() => undefined);
    this.started = this.startWhenPossible();
  }

  /** Pauses every partition (no more fetches) while staying in the group, so offsets can still be committed. */
  private stopReading(): Promise<void> {
    this.stopping.abort();
    this.deadLetters.stop();
    try {
      this.consumer.pause(consumedTopics(this.config).map((topic) => ({ topic })));
    } catch {
      // Not running (never started, or crashed): nothing is being read.
    }
    return Promise.resolve();
  }

  /**
   * Creates missing platform and dead-letter topics with the broker's defaults, so a fresh install
   * works; topics an operator made (with their partitions and replication) are left alone.
   */
  private async ensureTopics(): Promise<void> {
    // An admin client of its own: the shared one answers /health, and must not be connected or
    // disconnected under it.
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const wanted = [...consumedTopics(this.config), this.config.kafkaDeadLetterTopic];
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((topic) => !existing.has(topic));
      if (missing.length === 0) return;
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic })),
        waitForLeaders: true,
      });
      this.logger.log(`created topics ${missing.join(', ')}`);
    } finally {
      await admin.disconnect();
    }
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const progress = this.progressOf(batch.topic, batch.partition);
    const reading = () =>
      payload.isRunning() && !payload.isStale() && !this.stopping.signal.aborted;
    for (const message of batch.messages) {
      if (!reading()) break;
      while (!this.sink.hasRoom() && reading()) {
        await Promise.race([this.sink.whenRoom(), delay(BACKPRESSURE_HEARTBEAT_MS)]);
        await payload.heartbeat().catch(() => undefined);
      }
      if (!reading()) break;
      const source = { topic: batch.topic, partition: batch.partition, offset: message.offset };
      // Awaited only for dead letters, so they keep their partition's order.
      await this.take(message, source, progress.track(message.offset));
      // Read on past it; what may be committed is PartitionProgress's business.
      payload.resolveOffset(message.offset);
    }
    await payload.heartbeat().catch(() => undefined);
  }

  /**
   * Hands one message to the sink (not waiting for its deliveries), or sends it to the dead-letter
   * topic (waiting until the broker has it); `done` once it is recorded either way.
   */
  private async take(
    message: KafkaMessage,
    source: MessageSource,
    done: () => void,
  ): Promise<void> {
    const bytes = message.value?.length ?? 0;
    const parsed =
      bytes > this.config.platformEventMaxBytes
        ? ({
            ok: false,
            reason: `message of ${bytes} bytes is larger than PLATFORM_EVENT_MAX_BYTES (${this.config.platformEventMaxBytes})`,
          } as const)
        : this.checked(parsePlatformEvent(message.value));
    const deadLetter = (reason: string) =>
      this.deadLetters.publish(message, source, reason).then(done, (error: Error) => {
        if (!(error instanceof DeadLetterNotSentError)) {
          this.logger.error(`dead letter of ${source.offset} failed: ${error.message}`);
        }
      });
    if (!parsed.ok) {
      await deadLetter(parsed.reason);
      return;
    }
    this.sink.accept(parsed.event, source, bytes).then(done, (error: Error) => {
      if (error instanceof UnacceptableEventError) {
        void deadLetter(`the database refused the event: ${error.reason}`);
        return;
      }
      // Not recorded (the worker is stopping): the offset stays uncommitted and it is read again.
      this.logger.debug(`event ${parsed.event.id} not recorded: ${error.message}`);
    });
  }

  /** With PLATFORM_EVENT_VALIDATION=strict, an event whose `data` breaks its type's schema is refused. */
  private checked(parsed: ParsedMessage): ParsedMessage {
    if (!parsed.ok || this.config.platformEventValidation === 'off') return parsed;
    const check = this.dataValidator.check(parsed.event.type, parsed.event.data);
    return check.ok ? parsed : check;
  }

  private progressOf(topic: string, partition: number): PartitionProgress {
    const key = `${topic}\u0000${partition}`;
    let progress = this.progress.get(key);
    if (!progress) this.progress.set(key, (progress = new PartitionProgress()));
    return progress;
  }

  /** Commits every partition whose committable offset moved. One commit at a time. */
  private commit(): Promise<void> {
    this.committing ??= this.commitNow().finally(() => (this.committing = undefined));
    return this.committing;
  }

  private async commitNow(): Promise<void> {
    const offsets: { topic: string; partition: number; offset: string }[] = [];
    const committed: (() => void)[] = [];
    for (const [key, progress] of this.progress) {
      const offset = progress.pendingCommit();
      if (offset === null) continue;
      const [topic, partition] = key.split('\u0000');
      offsets.push({ topic, partition: Number(partition), offset });
      committed.push(() => progress.markCommitted(offset));
    }
    if (offsets.length === 0) return;
    try {
      await this.consumer.commitOffsets(offsets);
      for (const mark of committed) mark();
    } catch (error) {
      // Typically a rebalance: the new owner replays from the last commit (at least once).
      this.logger.debug(`offset commit failed: ${(error as Error).message}`);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * The platform topics and the operational one, where the worker publishes its own events
 * (`webhook.paused`, `delivery.failed`) to have them delivered like the platform's.
 */
export function consumedTopics(
  config: Pick<AppConfig, 'kafkaTopics' | 'kafkaOperationalTopic'>,
): string[] {
  return [...new Set([...config.kafkaTopics, config.kafkaOperationalTopic])];
}
