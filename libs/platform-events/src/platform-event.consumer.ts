import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Kafka, type Consumer, type EachBatchPayload } from 'kafkajs';
import { AppConfig } from '@app/config';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { PartitionProgress } from './partition-progress';
import { parsePlatformEvent } from './platform-event.parser';
import { PLATFORM_EVENT_SINK, type PlatformEventSink } from './platform-event.sink';

/** How often finished offsets are committed. */
const COMMIT_INTERVAL_MS = 200;
/** While the sink is full the consumer still heartbeats, so the group does not evict it. */
const BACKPRESSURE_HEARTBEAT_MS = 1000;

/**
 * Reads the platform topics as one consumer group, so several workers share the partitions.
 *
 * Built on kafkajs directly rather than @nestjs/microservices' Kafka transport, which commits when a
 * handler returns and handles one message at a time. Here an event's deliveries finish out of order
 * and long after it was read (slow endpoints, retries), so offsets are committed by hand, per
 * partition, up to the first event whose deliveries are not yet durably recorded (PartitionProgress);
 * batches are taken whole; and the consumer keeps heartbeating while it waits for room.
 *
 * A message that is not a valid platform event goes to the dead-letter topic before its offset can
 * be committed; the messages around it carry on.
 */
@Injectable()
export class PlatformEventConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlatformEventConsumer.name);
  private readonly consumer: Consumer;
  private progress = new Map<string, PartitionProgress>();
  private commitTimer?: NodeJS.Timeout;
  private committing?: Promise<void>;
  private started?: Promise<void>;
  private stopping = false;
  private signalStop!: () => void;
  /** Resolves when shutdown begins, so a start waiting for the sink gives up. */
  private readonly stopRequested = new Promise<void>((resolve) => (this.signalStop = resolve));

  constructor(
    private readonly kafka: Kafka,
    private readonly config: AppConfig,
    @Inject(PLATFORM_EVENT_SINK) private readonly sink: PlatformEventSink,
    private readonly deadLetters: DeadLetterPublisher,
  ) {
    this.consumer = this.kafka.consumer({
      groupId: config.kafkaConsumerGroup,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    // A rebalance may hand our partitions to someone else (who resumes from the last commit) and
    // give them back later from there: what we tracked before no longer matches what we will read.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.progress = new Map();
    });
  }

  onApplicationBootstrap(): void {
    // Not awaited: the worker serves /health while Kafka or the index are still coming up.
    this.started = this.start().catch((error: Error) => {
      this.logger.error(`the platform event consumer did not start: ${error.message}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.signalStop();
    // A start still under way finishes first (it may be past its last `stopping` check).
    await this.started;
    clearInterval(this.commitTimer);
    await this.consumer.stop().catch(() => undefined);
    await this.commit();
    await this.consumer.disconnect().catch(() => undefined);
  }

  private async start(): Promise<void> {
    await Promise.race([this.sink.whenReady(), this.stopRequested]);
    if (this.stopping) return;
    await this.ensureTopics();
    if (this.stopping) return;
    await this.consumer.connect();
    // From the beginning for a new group: events published before the first worker ever started
    // are delivered too. An existing group resumes from its committed offsets.
    await this.consumer.subscribe({ topics: this.config.kafkaTopics, fromBeginning: true });
    if (this.stopping) return;
    this.commitTimer = setInterval(() => void this.commit(), COMMIT_INTERVAL_MS);
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(1, this.config.kafkaTopics.length),
      eachBatch: (payload) => this.consumeBatch(payload),
    });
    this.logger.log(
      `consuming ${this.config.kafkaTopics.join(', ')} as group ${this.config.kafkaConsumerGroup}`,
    );
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
      const wanted = [...this.config.kafkaTopics, this.config.kafkaDeadLetterTopic];
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
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      while (!this.sink.hasRoom() && payload.isRunning()) {
        await Promise.race([this.sink.whenRoom(), delay(BACKPRESSURE_HEARTBEAT_MS)]);
        await payload.heartbeat();
      }
      const source = { topic: batch.topic, partition: batch.partition, offset: message.offset };
      const done = progress.track(message.offset);
      const parsed = parsePlatformEvent(message.value);
      if (parsed.ok) {
        void this.sink.accept(parsed.event, source).then(done, (error: Error) => {
          // Only on shutdown: the offset stays uncommitted and the event is read again.
          this.logger.warn(`event ${parsed.event.id} not recorded: ${error.message}`);
        });
      } else {
        await this.deadLetters.publish(message, source, parsed.reason);
        done();
      }
      // Read on past it; what may be committed is PartitionProgress's business.
      payload.resolveOffset(message.offset);
    }
    await payload.heartbeat();
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
