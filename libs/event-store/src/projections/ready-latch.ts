/**
 * Opens once and stays open: "this in-memory projection has caught up with the log the first time
 * since the process started". Whoever runs the projection opens it; readers wait for it.
 */
export class ReadyLatch {
  private opened = false;
  private readonly waiters: (() => void)[] = [];

  get isOpen(): boolean {
    return this.opened;
  }

  /** Idempotent. */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Resolves once open (at once if it is). Never rejects. */
  whenOpen(): Promise<void> {
    if (this.opened) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
