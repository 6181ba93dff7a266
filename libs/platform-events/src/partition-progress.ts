/**
 * The committable offset of one Kafka partition while its messages finish out of order. A message
 * is tracked when it is taken in and marked done once its deliveries are durably recorded; the
 * partition may be committed up to (not including) the first message that is not done yet, so a
 * crash replays every message whose deliveries might not be recorded: at least once, never lost.
 *
 * Tracking an offset again (kafkajs fetches a batch again after it failed midway) joins the entry
 * already there: it is one message, done once, whichever of its two readings finishes first.
 */
export class PartitionProgress {
  /** Offsets tracked and not yet passed by the committable one, ascending, with "done" flags. */
  private readonly offsets: bigint[] = [];
  private readonly done = new Map<bigint, boolean>();
  private first = 0;
  private notDone = 0;
  private committable: bigint | null = null;
  private committed: bigint | null = null;

  /** Starts tracking `offset`; call the returned function once it is done (extra calls are ignored). */
  track(offset: string): () => void {
    const value = BigInt(offset);
    // Passed already (done, maybe committed): reading it again changes nothing.
    if (this.committable !== null && value < this.committable) return () => undefined;
    if (!this.done.has(value)) this.insert(value);
    return () => {
      if (this.done.get(value) !== false) return;
      this.done.set(value, true);
      this.notDone--;
      this.advance();
    };
  }

  /** The offset to commit (the next message to read after a restart), if it moved since the last commit. */
  pendingCommit(): string | null {
    if (this.committable === null || this.committable === this.committed) return null;
    return this.committable.toString();
  }

  markCommitted(offset: string): void {
    this.committed = BigInt(offset);
  }

  /** Messages taken in and not done yet. */
  get inFlight(): number {
    return this.notDone;
  }

  /** In offset order: kafkajs hands a partition's messages ascending, so this is nearly always a push. */
  private insert(value: bigint): void {
    this.done.set(value, false);
    this.notDone++;
    let at = this.offsets.length;
    while (at > this.first && this.offsets[at - 1] > value) at--;
    this.offsets.splice(at, 0, value);
  }

  private advance(): void {
    while (this.first < this.offsets.length && this.done.get(this.offsets[this.first]) === true) {
      const offset = this.offsets[this.first];
      this.done.delete(offset);
      this.committable = offset + 1n;
      this.first++;
    }
    // Drop the finished prefix now and then, so a long-lived partition does not grow the array.
    if (this.first > 1024 && this.first * 2 > this.offsets.length) {
      this.offsets.splice(0, this.first);
      this.first = 0;
    }
  }
}
