import type { BatchInserter } from './batch-inserter';

/**
 * Inserts of a directory document (a lane or slot listing), one at a time per id in this process:
 * many retries of one webhook in one minute would otherwise put the same listing several times in
 * one batch, which FerretDB answers in a way that makes the whole batch retry with back-off.
 *
 * Callers that come while an insert of the id is under way share the next one, which starts only
 * once that one is over, so each caller's listing is durable when its insert resolves.
 */
export class ListingInserts<T extends { _id: string }> {
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly next = new Map<string, Promise<unknown>>();

  constructor(private readonly inserts: BatchInserter<T>) {}

  insert(document: T): Promise<unknown> {
    const id = document._id;
    const queued = this.next.get(id);
    if (queued) return queued;
    const under = this.running.get(id);
    if (!under) return this.start(document);
    const after = under
      .catch(() => undefined)
      .then(() => {
        this.next.delete(id);
        return this.start(document);
      });
    this.next.set(id, after);
    return after;
  }

  private start(document: T): Promise<unknown> {
    const attempt = this.inserts.insert(document).finally(() => {
      if (this.running.get(document._id) === attempt) this.running.delete(document._id);
    });
    this.running.set(document._id, attempt);
    return attempt;
  }
}
