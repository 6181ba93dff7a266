import {
  MongoBulkWriteError,
  type Collection,
  type Document,
  type OptionalUnlessRequiredId,
  type WriteError,
} from 'mongodb';
import { retryTransient } from './transient-retry';
import { classifyWriteError, PermanentWriteError, StoppedWritingError } from './write-errors';

export type InsertOutcome = 'inserted' | 'duplicate';

interface Pending<T> {
  document: T;
  resolve: (outcome: InsertOutcome) => void;
  reject: (error: Error) => void;
}

export interface BatchInserterOptions {
  maxBatch: number;
  lingerMs: number;
  maxConcurrentFlushes: number;
}

/**
 * Inserts documents in batches: callers add one document each and wait for it to be stored, while
 * the collection sees one unordered `insertMany` per batch. A batch goes out when it is full or
 * when `lingerMs` have passed since its first document, so a lone document waits at most that long.
 *
 * Each document gets its own outcome: `inserted`; `duplicate` when its `_id` exists already (the
 * caller decides what that means); or a PermanentWriteError when the server refuses that document
 * itself, which never holds back the others of its batch. Transient failures (the database down)
 * are retried with back-off until they land, so an outage delays writes but loses none; `stop()`
 * ends the retrying (shutdown) and rejects with StoppedWritingError what has not landed.
 */
export class BatchInserter<T extends Document & { _id: string }> {
  private queue: Pending<T>[] = [];
  private timer?: NodeJS.Timeout;
  private flushing = 0;
  private readonly stopping = new AbortController();
  private readonly flushed = new Set<Promise<void>>();

  constructor(
    private readonly collection: Collection<T>,
    private readonly options: BatchInserterOptions,
  ) {}

  insert(document: T): Promise<InsertOutcome> {
    if (this.stopping.signal.aborted) {
      return Promise.reject(new StoppedWritingError(this.collection.collectionName));
    }
    return new Promise<InsertOutcome>((resolve, reject) => {
      this.queue.push({ document, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.options.lingerMs);
    });
  }

  /** Writes what waits now and resolves once every batch under way has landed or failed. */
  async flush(): Promise<void> {
    this.flushSoon(0);
    while (this.flushed.size > 0) await Promise.all([...this.flushed]);
  }

  /** Stops retrying and rejects everything not written yet. */
  stop(): void {
    this.stopping.abort();
    clearTimeout(this.timer);
    const error = new StoppedWritingError(this.collection.collectionName);
    for (const pending of this.queue.splice(0)) pending.reject(error);
  }

  private flushSoon(delayMs: number): void {
    if (delayMs === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.startFlushes();
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.startFlushes();
      }, delayMs);
    }
  }

  private startFlushes(): void {
    while (this.queue.length > 0 && this.flushing < this.options.maxConcurrentFlushes) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.flushing++;
      const written: Promise<void> = this.write(batch).finally(() => {
        this.flushing--;
        this.flushed.delete(written);
        if (this.queue.length > 0) this.flushSoon(0);
      });
      this.flushed.add(written);
    }
  }

  private async write(batch: Pending<T>[]): Promise<void> {
    const name = this.collection.collectionName;
    try {
      const outcomes = await retryTransient(() => this.tryWrite(batch.map((p) => p.document)), {
        what: `insert of ${batch.length} into ${name}`,
        signal: this.stopping.signal,
      });
      batch.forEach((pending, index) => {
        const outcome = outcomes[index];
        if (outcome instanceof PermanentWriteError) pending.reject(outcome);
        else pending.resolve(outcome);
      });
    } catch (error) {
      // Permanent for the whole batch (no per-document answer), or the process is stopping.
      const failure =
        error instanceof StoppedWritingError
          ? error
          : new PermanentWriteError(name, (error as Error).message);
      for (const pending of batch) pending.reject(failure);
    }
  }

  /**
   * One unordered insert. Resolves with each document's outcome when the server answered for
   * each; throws (so the batch is retried, or failed) when it did not. Documents that landed in
   * a try that failed midway come back as duplicates when the batch is written again.
   */
  private async tryWrite(documents: T[]): Promise<(InsertOutcome | PermanentWriteError)[]> {
    try {
      // Our documents carry their own _id.
      await this.collection.insertMany(documents as OptionalUnlessRequiredId<T>[], {
        ordered: false,
      });
      return documents.map(() => 'inserted');
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError) || isBatchLevel(error)) throw error;
      const writeErrors = error.writeErrors as WriteError | WriteError[];
      const byIndex = new Map(
        (Array.isArray(writeErrors) ? writeErrors : [writeErrors]).map((e) => [e.index, e]),
      );
      const kinds = [...byIndex.values()].map((e) => classifyWriteError(e));
      // A document that failed for a passing reason: write the whole batch again.
      if (kinds.some((kind) => kind === 'transient' || kind === 'unclear')) throw error;
      return documents.map((_, index) => {
        const writeError = byIndex.get(index);
        if (!writeError) return 'inserted';
        if (classifyWriteError(writeError) === 'duplicate') return 'duplicate';
        return new PermanentWriteError(this.collection.collectionName, writeError.errmsg ?? '');
      });
    }
  }
}

/** A bulk error without per-document answers (e.g. the write concern failed for the batch). */
function isBatchLevel(error: MongoBulkWriteError): boolean {
  const writeErrors = error.writeErrors as WriteError | WriteError[] | undefined;
  return !writeErrors || (Array.isArray(writeErrors) && writeErrors.length === 0);
}
