/**
 * What a write promises its caller about the next read:
 * - `read-your-writes`: it answers once the list view shows the write, or after a bounded wait
 *   (it never fails for that: the write is committed, and its answer is built from the events,
 *   not read back from the view). The HTTP handlers ask for this: a client lists right after.
 * - `eventual`: it answers as soon as the write is committed (commands issued by the system).
 */
export type Consistency = 'read-your-writes' | 'eventual';
