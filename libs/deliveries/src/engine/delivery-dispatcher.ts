import type { DeliveryJob } from './delivery-job';
import type { SendPermits } from './shared-rate-limit';

/**
 * Webhooks' rate caps: `limitOf` is a lookup in memory (the subscription index), so a webhook
 * without a cap costs nothing more; only capped ones reserve send times (SendPermits).
 */
export interface Pacing {
  limitOf(webhookId: string): number | null;
  permits: SendPermits;
  now(): number;
}

/** How soon a capped webhook that got no send time (every slot taken) asks again. */
const NO_PERMIT_RETRY_MS = 100;

export interface DispatchLimits {
  /** Attempts in flight at once, over all endpoints. */
  concurrency: number;
  /** Attempts in flight at once to one webhook. */
  perWebhook: number;
  /** Attempts in flight at once to one receiving host, over all its webhooks. */
  perHost: number;
  /** Jobs waiting in memory for one webhook; more are parked in the delivery queue. */
  backlogPerWebhook: number;
}

/** The worker is stopping: the job was not attempted here and is left for whoever resumes it. */
export class DispatchStoppedError extends Error {
  override readonly name = 'DispatchStoppedError';
  constructor(readonly jobId: string) {
    super(`delivery ${jobId} not attempted: the worker is stopping`);
  }
}

interface Line {
  webhookId: string;
  host: string;
  running: number;
  waiting: DeliveryJob[];
  /** Capped webhooks: reserved send times (epoch ms, ascending), one request each. */
  permits: number[];
  reserving: boolean;
  /** Wakes the line when its next send time comes (it holds no slot meanwhile). */
  timer?: NodeJS.Timeout;
}

interface Completion {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
  job: DeliveryJob;
}

/**
 * Runs delivery attempts with bounded concurrency, overall, per webhook and per receiving host,
 * so a slow, hanging or failing endpoint (or many webhooks pointing at one tarpit host) holds at
 * most its own few slots while the others go on: extra jobs wait in their webhook's line, and once
 * that line is long they are parked in the delivery queue (out of memory). Webhooks with work take
 * turns for free slots.
 *
 * `submit` resolves once the job's outcome is recorded (the attempt and what follows it, or the
 * parking) and rejects when it is not: the attempt failed to be recorded, or the worker is
 * stopping. A caller therefore never takes an unrecorded job for done.
 */
export class DeliveryDispatcher {
  private readonly lines = new Map<string, Line>();
  private readonly hosts = new Map<string, number>();
  /** Webhooks with waiting jobs, in turn order (a webhook appears at most once). */
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly completions = new Map<string, Completion>();
  /** Jobs started and not yet settled (sending, or writing their record). */
  private readonly recording = new Set<string>();
  private running = 0;
  private stopped = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly roomWaiters: (() => void)[] = [];

  constructor(
    readonly limits: DispatchLimits,
    /**
     * Makes and records the attempt. `release` frees its slots as soon as the request itself is
     * over: the limits protect receivers, so writing the record needs no slot (the job stays held,
     * and counted, until the promise settles).
     */
    private readonly attempt: (job: DeliveryJob, release: () => void) => Promise<void>,
    private readonly park: (job: DeliveryJob) => Promise<void>,
    private readonly hostOf: (job: DeliveryJob) => string,
    private readonly pacing?: Pacing,
  ) {}

  submit(job: DeliveryJob): Promise<void> {
    const existing = this.completions.get(job.id);
    if (existing) return existing.promise;
    if (this.stopped) return Promise.reject(new DispatchStoppedError(job.id));
    const line = this.lineOf(job);
    if (line.waiting.length >= this.backlogOf(job.webhookId)) return this.park(job);
    const completion = this.track(job);
    line.waiting.push(job);
    this.markReady(line.webhookId);
    this.pump();
    return completion.promise;
  }

  /** The job's completion while it is held here (waiting, running or being recorded). */
  completionOf(id: string): Promise<void> | undefined {
    return this.completions.get(id)?.promise;
  }

  /** Whether a job of this delivery is held here. */
  holds(id: string): boolean {
    return this.completions.has(id);
  }

  /** Jobs held (waiting or running). */
  get inMemory(): number {
    return this.completions.size;
  }

  /** Jobs started and not settled yet: sending, or writing their record. */
  get inFlight(): number {
    return this.recording.size;
  }

  /** How many more jobs could start at once now, over all webhooks. */
  get freeSlots(): number {
    return this.stopped ? 0 : Math.max(0, this.limits.concurrency - this.running);
  }

  /** How many more jobs of this webhook (at this host) could start now. */
  freeSlotsFor(webhookId: string, host: string): number {
    if (this.stopped) return 0;
    const line = this.lines.get(webhookId);
    const ofWebhook = this.limits.perWebhook - (line ? line.running + line.waiting.length : 0);
    const ofHost = this.limits.perHost - (this.hosts.get(host) ?? 0);
    return Math.max(0, Math.min(ofWebhook, ofHost, this.freeSlots));
  }

  /** Resolves when a job has finished, or `notifyRoom` was called (there may be room again). */
  whenRoom(): Promise<void> {
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Wakes `whenRoom` waiters: memory counted elsewhere (events being taken in) was freed. */
  notifyRoom(): void {
    for (const resolve of this.roomWaiters.splice(0)) resolve();
  }

  /**
   * For shutdown: refuses new jobs and gives up every job still waiting (not started); their
   * completions reject with DispatchStoppedError. Returns them, so their owners can hand back
   * what they hold (queue claims). Jobs already running go on.
   */
  stop(): DeliveryJob[] {
    this.stopped = true;
    const abandoned: DeliveryJob[] = [];
    for (const line of this.lines.values()) {
      for (const job of line.waiting.splice(0)) {
        abandoned.push(job);
        this.settle(job.id, new DispatchStoppedError(job.id));
      }
      this.dropIfIdle(line);
    }
    this.ready.length = 0;
    this.queued.clear();
    for (const line of this.lines.values()) clearTimeout(line.timer);
    return abandoned;
  }

  /** Resolves once no attempt is running, or at `deadline`: true if idle by then. */
  whenIdle(deadline: number): Promise<boolean> {
    if (this.running === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve(this.running === 0),
        Math.max(0, deadline - Date.now()),
      );
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** The jobs started and not settled (for a shutdown that ran out of time). */
  runningJobs(): DeliveryJob[] {
    return [...this.recording].map((id) => this.completions.get(id)?.job).filter(isJob);
  }

  private track(job: DeliveryJob): Completion {
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A caller that stops listening (say, a shutdown) must not turn a rejection into a crash.
    promise.catch(() => undefined);
    const completion = { promise, resolve, reject, job };
    this.completions.set(job.id, completion);
    return completion;
  }

  private pump(): void {
    // One turn per webhook that is ready now; those that cannot start wait to be marked again.
    let turns = this.ready.length;
    while (turns-- > 0 && this.running < this.limits.concurrency && this.ready.length > 0) {
      const webhookId = this.ready.shift() as string;
      this.queued.delete(webhookId);
      const line = this.lines.get(webhookId);
      if (!line || line.waiting.length === 0) continue;
      // At its own limit, or its host at its limit: it is marked ready again when one of its own
      // or its host's jobs finishes.
      if (line.running >= this.limits.perWebhook) continue;
      if ((this.hosts.get(line.host) ?? 0) >= this.limits.perHost) continue;
      // Over its cap: it waits for its next send time without taking a slot.
      const limit = this.pacing?.limitOf(webhookId) ?? null;
      if (limit !== null && !this.takePermit(line, limit)) continue;
      const job = line.waiting.shift() as DeliveryJob;
      line.running++;
      this.running++;
      this.hosts.set(line.host, (this.hosts.get(line.host) ?? 0) + 1);
      if (line.waiting.length > 0) this.markReady(webhookId);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.releaseSlots(line);
      };
      this.recording.add(job.id);
      void this.attempt(job, release).then(
        () => this.finished(job, release),
        (error: Error) => this.finished(job, release, error),
      );
    }
  }

  /** The attempt's request is over: its webhook, host and overall slots go to the next job. */
  private releaseSlots(line: Line): void {
    line.running--;
    this.running--;
    const onHost = (this.hosts.get(line.host) ?? 1) - 1;
    if (onHost > 0) this.hosts.set(line.host, onHost);
    else this.hosts.delete(line.host);
    if (line.waiting.length > 0) this.markReady(line.webhookId);
    // Webhooks of the same host may have waited for this host slot.
    for (const other of this.lines.values()) {
      if (other.host === line.host && other.waiting.length > 0) this.markReady(other.webhookId);
    }
    this.dropIfIdle(line);
    this.pump();
  }

  private finished(job: DeliveryJob, release: () => void, error?: Error): void {
    release();
    this.recording.delete(job.id);
    this.settle(job.id, error);
    this.notifyRoom();
    if (this.recording.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private settle(id: string, error?: Error): void {
    const completion = this.completions.get(id);
    if (!completion) return;
    this.completions.delete(id);
    if (error) completion.reject(error);
    else completion.resolve();
  }

  private markReady(webhookId: string): void {
    if (this.stopped || this.queued.has(webhookId)) return;
    this.queued.add(webhookId);
    this.ready.push(webhookId);
  }

  /**
   * Jobs a webhook may keep waiting here; more are parked in the queue. A capped webhook keeps
   * about two seconds of its cap: the rest would only wait longer in memory.
   */
  private backlogOf(webhookId: string): number {
    const limit = this.pacing?.limitOf(webhookId) ?? null;
    if (limit === null) return this.limits.backlogPerWebhook;
    return Math.min(this.limits.backlogPerWebhook, Math.max(2 * limit, this.limits.perWebhook));
  }

  /** Uses the line's next send time if it has come; otherwise arranges to be woken for one. */
  private takePermit(line: Line, limit: number): boolean {
    const pacing = this.pacing as Pacing;
    const now = pacing.now();
    const grace = pacing.permits.graceMs(limit);
    // A time whose window passed (the line waited for a slot meanwhile) is given up, not used late.
    while (line.permits.length > 0 && line.permits[0] + grace < now) line.permits.shift();
    const next = line.permits[0];
    if (next !== undefined && next <= now) {
      line.permits.shift();
      return true;
    }
    if (next !== undefined) this.wakeAt(line, next, now);
    else this.reservePermits(line, limit);
    return false;
  }

  private reservePermits(line: Line, limit: number): void {
    if (line.reserving || this.stopped) return;
    line.reserving = true;
    const wanted = Math.min(line.waiting.length, limit);
    const pacing = this.pacing as Pacing;
    void pacing.permits
      .reserve(line.webhookId, limit, wanted)
      .catch(() => [] as number[])
      .then((times) => {
        line.reserving = false;
        if (line.waiting.length === 0) return this.dropIfIdle(line);
        line.permits.push(...times);
        line.permits.sort((a, b) => a - b);
        const now = pacing.now();
        if (times.length === 0) this.wakeAt(line, now + NO_PERMIT_RETRY_MS, now);
        else if (line.permits[0] <= now) this.wake(line);
        else this.wakeAt(line, line.permits[0], now);
      });
  }

  private wakeAt(line: Line, at: number, now: number): void {
    if (line.timer || this.stopped) return;
    line.timer = setTimeout(
      () => {
        line.timer = undefined;
        this.wake(line);
      },
      Math.max(0, at - now),
    );
  }

  private wake(line: Line): void {
    if (this.stopped || line.waiting.length === 0) return;
    this.markReady(line.webhookId);
    this.pump();
  }

  private lineOf(job: DeliveryJob): Line {
    let line = this.lines.get(job.webhookId);
    if (!line) {
      line = {
        webhookId: job.webhookId,
        host: this.hostOf(job),
        running: 0,
        waiting: [],
        permits: [],
        reserving: false,
      };
      this.lines.set(job.webhookId, line);
    }
    return line;
  }

  private dropIfIdle(line: Line): void {
    if (line.running === 0 && line.waiting.length === 0 && !line.reserving) {
      // Unused send times are only wasted: no other request can take their slots.
      clearTimeout(line.timer);
      this.lines.delete(line.webhookId);
    }
  }
}

function isJob(job: DeliveryJob | undefined): job is DeliveryJob {
  return job !== undefined;
}
