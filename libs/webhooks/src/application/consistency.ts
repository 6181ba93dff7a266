/**
 * What a write promises its caller about the next read:
 * - `read-your-writes`: it answers once the list view shows the write, or after a bounded wait
 *   (it never fails for that: the write is committed, and its answer is built from the events,
 *   not read back from the view). The HTTP handlers ask for this: a client lists right after.
 * - `eventual`: it answers as soon as the write is committed (commands issued by the system).
 */
export type Consistency = 'read-your-writes' | 'eventual';

/**
 * What a `read-your-writes` command waits on: this app's webhook reads catching up with a write.
 * Provided (under READ_YOUR_WRITES) only by an app that reads webhooks from a view, the api; in an
 * app without one, the worker, there is nothing to wait for and commands answer once committed.
 */
export interface ReadYourWrites {
  /**
   * Resolves once the reads show every event up to `position`, or after a bounded wait. Never
   * rejects: the write it waits for is committed, and that must stay its answer.
   */
  waitFor(position: number): Promise<void>;
}

export const READ_YOUR_WRITES = Symbol('READ_YOUR_WRITES');
