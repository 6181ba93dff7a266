import { Logger } from '@nestjs/common';
import {
  MongoBulkWriteError,
  type Collection,
  type Document,
  type OptionalUnlessRequiredId,
  type WriteError,
} from 'mongodb';

export type InsertOutcome = 'inserted' | 'duplicate';

interface Pending<T> {
  document: T;
  resolve: (outcome: InsertOutcome) => void;
  reject: (error: Error) => void;
}

const DUPLICATE_KEY = 11000;

/**
 * Inserts documents in batches: callers add one document each and wait for it to be stored, while
 * the collection sees one `insertMany` per batch. A batch goes out when it is full or when
 * `lingerMs` have passed since its first document, so a lone document waits at most that long.
 * A document whose `_id` exists already resolves as `duplicate` (the caller decides what that
 * means); other failures are retried with back-off, so a database outage delays writes but loses
 * none; `close()` rejects what is still waiting.
 */
export class BatchInserter<T extends Document> {
  private readonly logger: Logger;
  private queue: Pending<T>[] = [];
  private timer?: NodeJS.Timeout;
  private flushing = 0;
  private closed = false;

  constructor(
    private readonly collection: Collection<T>,
    private readonly options: { maxBatch: number; lingerMs: number; maxConcurrentFlushes: number },
  ) {
    this.logger = new Logger(`BatchInserter(${collection.collectionName})`);
  }

  insert(document: T): Promise<InsertOutcome> {
    if (this.closed) return Promise.reject(new Error('the inserter is closed'));
    return new Promise<InsertOutcome>((resolve, reject) => {
      this.queue.push({ document, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.options.lingerMs);
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const pending of this.queue.splice(0)) pending.reject(new Error('shutting down'));
  }

  private flushSoon(delayMs: number): void {
    if (delayMs === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flush();
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, delayMs);
    }
  }

  private flush(): void {
    while (this.queue.length > 0 && this.flushing < this.options.maxConcurrentFlushes) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.flushing++;
      void this.write(batch).finally(() => {
        this.flushing--;
        if (this.queue.length > 0) this.flushSoon(0);
      });
    }
  }

  private async write(batch: Pending<T>[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const outcomes = await this.tryWrite(batch.map((pending) => pending.document));
      if (outcomes) {
        batch.forEach((pending, index) => pending.resolve(outcomes[index]));
        return;
      }
      if (this.closed) {
        for (const pending of batch) pending.reject(new Error('shutting down'));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)));
    }
  }

  /** The outcome of each document, or undefined when the batch must be written again. */
  private async tryWrite(documents: T[]): Promise<InsertOutcome[] | undefined> {
    try {
      // Our documents carry their own _id.
      await this.collection.insertMany(documents as OptionalUnlessRequiredId<T>[], {
        ordered: false,
      });
      return documents.map(() => 'inserted');
    } catch (error) {
      if (error instanceof MongoBulkWriteError) {
        const writeErrors = error.writeErrors as WriteError | WriteError[];
        const errors = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
        if (errors.every((writeError) => writeError.code === DUPLICATE_KEY)) {
          const duplicates = new Set(errors.map((writeError) => writeError.index));
          return documents.map((_, index) => (duplicates.has(index) ? 'duplicate' : 'inserted'));
        }
      }
      // Unordered: some may be stored; writing the batch again turns those into duplicates.
      this.logger.warn(
        `insert of ${documents.length} failed, retrying: ${(error as Error).message}`,
      );
      return undefined;
    }
  }
}
