import type { DeliveryJob } from './delivery-job';

export interface DispatchLimits {
  /** Attempts in flight at once, over all endpoints. */
  concurrency: number;
  /** Attempts in flight at once to one webhook. */
  perEndpoint: number;
  /** Jobs waiting in memory for one webhook; more are parked in the delivery queue. */
  backlogPerEndpoint: number;
  /** Jobs held in memory in all (running and waiting); above it the consumer waits. */
  maxInMemory: number;
}

interface Endpoint {
  running: number;
  waiting: DeliveryJob[];
}

/**
 * Runs delivery attempts with bounded concurrency, overall and per endpoint, so a slow, hanging or
 * failing endpoint uses at most its own few slots while the others go on: its extra jobs wait in its
 * own line, and once that line is long they are parked in the delivery queue (out of memory) for
 * later. Endpoints with work take turns for free slots.
 *
 * `submit` resolves once the job is recorded: attempted and its outcome stored, or parked.
 */
export class DeliveryDispatcher {
  private readonly endpoints = new Map<string, Endpoint>();
  /** Endpoints with waiting jobs and a free slot of their own, in turn order. */
  private readonly ready: string[] = [];
  private readonly completions = new Map<string, Promise<void>>();
  private readonly resolvers = new Map<string, () => void>();
  private running = 0;
  private held = 0;
  private roomWaiters: (() => void)[] = [];

  constructor(
    private readonly limits: DispatchLimits,
    private readonly attempt: (job: DeliveryJob) => Promise<void>,
    private readonly park: (job: DeliveryJob) => Promise<void>,
  ) {}

  submit(job: DeliveryJob): Promise<void> {
    const existing = this.completions.get(job.id);
    if (existing) return existing;
    const endpoint = this.endpointOf(job.webhookId);
    if (endpoint.waiting.length >= this.limits.backlogPerEndpoint) return this.park(job);
    const completion = new Promise<void>((resolve) => this.resolvers.set(job.id, resolve));
    this.completions.set(job.id, completion);
    this.held++;
    endpoint.waiting.push(job);
    if (endpoint.waiting.length === 1 && endpoint.running < this.limits.perEndpoint) {
      this.ready.push(job.webhookId);
    }
    this.pump();
    return completion;
  }

  /** Whether the delivery is being worked on in this process, and when it will be recorded. */
  completionOf(id: string): Promise<void> | undefined {
    return this.completions.get(id);
  }

  /** Whether more jobs fit in memory, counting `coming` jobs the caller is about to submit. */
  hasRoom(coming = 0): boolean {
    return this.held + coming < this.limits.maxInMemory;
  }

  /** Resolves when a job has finished and there may be room again (at once if there is). */
  whenRoom(coming = 0): Promise<void> {
    if (this.hasRoom(coming)) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** How many more jobs could start right now: what the queue poller may claim. */
  get freeSlots(): number {
    return Math.max(
      0,
      Math.min(this.limits.concurrency - this.running, this.limits.maxInMemory - this.held),
    );
  }

  get inMemory(): number {
    return this.held;
  }

  /** Resolves once nothing is held (for shutdown and tests). */
  async drained(): Promise<void> {
    while (this.completions.size > 0) await Promise.all([...this.completions.values()]);
  }

  private pump(): void {
    while (this.running < this.limits.concurrency && this.ready.length > 0) {
      const webhookId = this.ready.shift() as string;
      const endpoint = this.endpointOf(webhookId);
      // A stale turn (its work was taken meanwhile, or it is at its limit): finished() re-queues it.
      if (endpoint.waiting.length === 0 || endpoint.running >= this.limits.perEndpoint) continue;
      const job = endpoint.waiting.shift() as DeliveryJob;
      endpoint.running++;
      this.running++;
      // Still has work and a free slot: back in line, behind the other endpoints.
      if (endpoint.waiting.length > 0 && endpoint.running < this.limits.perEndpoint) {
        this.ready.push(webhookId);
      }
      void this.attempt(job)
        .catch(() => undefined)
        .finally(() => this.finished(job, endpoint));
    }
  }

  private finished(job: DeliveryJob, endpoint: Endpoint): void {
    endpoint.running--;
    this.running--;
    this.held--;
    this.completions.delete(job.id);
    this.resolvers.get(job.id)?.();
    this.resolvers.delete(job.id);
    // It had work but no free slot of its own: now it has one.
    if (endpoint.waiting.length > 0 && endpoint.running === this.limits.perEndpoint - 1) {
      this.ready.push(job.webhookId);
    }
    if (endpoint.running === 0 && endpoint.waiting.length === 0) {
      this.endpoints.delete(job.webhookId);
    }
    // Waiters re-check with what they count themselves.
    for (const resolve of this.roomWaiters.splice(0)) resolve();
    this.pump();
  }

  private endpointOf(webhookId: string): Endpoint {
    let endpoint = this.endpoints.get(webhookId);
    if (!endpoint) this.endpoints.set(webhookId, (endpoint = { running: 0, waiting: [] }));
    return endpoint;
  }
}
