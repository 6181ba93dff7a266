import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import {
  EventStore,
  ProjectionHost,
  ProjectionWaitTimeoutError,
  type ProjectionRunner,
} from '@app/event-store';
import { WebhookDirectory } from '../read-models/directory/webhook-directory';

/**
 * How long a read waits for the directory to reach the log's head. Normally one or two point
 * lookups (the new commits since the last read); longer only while the api catches up at boot.
 */
const CATCH_UP_WAIT_MS = 5000;

/** The directory could not reach the log's head in time: the read is refused, not answered stale. */
export class WebhookDirectoryBehindError extends Error {
  override readonly name = 'WebhookDirectoryBehindError';
}

/**
 * Runs this api's WebhookDirectory (registered with an in-memory checkpoint, rebuilt from the log
 * at boot, then followed live) and hands it to readers only once it is current: `current()` reads
 * the log's head (one point lookup when nothing was appended since the last read) and waits until
 * the directory has applied it. So a write committed through another api before the request is
 * in the answer, and a write made through this api (which waits for the directory before it
 * answers, see WebhookCommandExecutor) is in every later read of the same caller.
 */
@Injectable()
export class WebhookDirectoryHost implements OnModuleInit {
  private readonly logger = new Logger(WebhookDirectory.name);
  private readonly directory = new WebhookDirectory();
  private runner?: ProjectionRunner;

  constructor(
    private readonly projections: ProjectionHost,
    private readonly store: EventStore,
  ) {}

  onModuleInit(): void {
    const runner = this.projections.register(this.directory, { checkpoint: 'memory' });
    this.runner = runner;
    // Not awaited: boot does not wait for the catch-up; readiness (and every read) does.
    void runner.whenCaughtUp().then(() => {
      this.logger.log(
        `ready: ${this.directory.size} webhooks, up to position ${runner.currentPosition}`,
      );
    });
  }

  /** True once the directory has caught up with the log the first time since the api started. */
  get ready(): boolean {
    return this.runner?.caughtUp ?? false;
  }

  /** Whether it is `ready`, waiting up to `ms` for the first catch-up (a probe right after boot). */
  async readyWithin(ms: number): Promise<boolean> {
    if (this.ready || !this.runner) return this.ready;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    await Promise.race([this.runner.whenCaughtUp(), timeout]).finally(() => clearTimeout(timer));
    return this.ready;
  }

  /** The directory, once it holds everything committed before this call. */
  async current(): Promise<WebhookDirectory> {
    const runner = this.runner!;
    const head = await this.store.headPosition(runner.currentPosition);
    try {
      await runner.waitFor(head, CATCH_UP_WAIT_MS);
    } catch (error) {
      if (!(error instanceof ProjectionWaitTimeoutError)) throw error;
      throw new WebhookDirectoryBehindError(
        `the webhook directory is at ${runner.currentPosition}, behind the log's ${head}`,
      );
    }
    return this.directory;
  }
}
