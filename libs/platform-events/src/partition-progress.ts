/**
 * The committable offset of one Kafka partition while its messages finish out of order. A message
 * is tracked when it is taken in and marked done once its deliveries are durably recorded; the
 * partition may be committed up to (not including) the first message that is not done yet, so a
 * crash replays every message whose deliveries might not be recorded: at least once, never lost.
 */
export class PartitionProgress {
  /** Tracked offsets in the order taken (Kafka hands a partition's messages in offset order). */
  private readonly offsets: bigint[] = [];
  private readonly done = new Set<bigint>();
  private first = 0;
  private committable: bigint | null = null;
  private committed: bigint | null = null;

  /** Starts tracking `offset`; call the returned function once it is done (extra calls are ignored). */
  track(offset: string): () => void {
    const value = BigInt(offset);
    this.offsets.push(value);
    let called = false;
    return () => {
      if (called) return;
      called = true;
      this.done.add(value);
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
    return this.offsets.length - this.first - this.done.size;
  }

  private advance(): void {
    while (this.first < this.offsets.length && this.done.has(this.offsets[this.first])) {
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
