import { Injectable, Logger } from '@nestjs/common';
import { ShutdownState } from './shutdown-state';

/**
 * One step of a graceful stop, run before Nest's shutdown hooks close connections: stop taking
 * work in, finish (or hand back) what is in flight, make what is done durable. `deadline` is the
 * epoch millisecond by which the whole drain must be over (SHUTDOWN_GRACE_MS after the signal);
 * a step that cannot finish by then hands its work back instead of losing it.
 */
export interface DrainStep {
  /** For logs: what the step does. */
  readonly name: string;
  /** Steps run in ascending order; equal orders run one after another in registration order. */
  readonly order: number;
  run(deadline: number): Promise<void>;
}

/** Well-known orders, so the steps of different libraries line up. */
export const DRAIN_ORDER = {
  /** Stop accepting: HTTP connections, Kafka fetches, queue polls. */
  stopIntake: 10,
  /** Wait for work in flight to finish and be recorded. */
  finishInFlight: 20,
  /** Make durable what finished: flush writes, commit offsets. */
  persist: 30,
  /** Give back what was taken but not done (claims), so another process resumes it at once. */
  handBack: 40,
} as const;

/**
 * The ordered drain that runApp runs on SIGTERM/SIGINT before `app.close()`. Nest's own hooks
 * run `onModuleDestroy` first, which would close stores while attempts are still in flight; the
 * steps here run while everything is still open.
 */
@Injectable()
export class GracefulShutdown {
  private readonly logger = new Logger(GracefulShutdown.name);
  private readonly steps: DrainStep[] = [];

  constructor(private readonly state: ShutdownState) {}

  register(step: DrainStep): void {
    this.steps.push(step);
  }

  /** Marks the process as draining (readiness fails) and runs every step in order. Never throws. */
  async drain(graceMs: number, now = Date.now()): Promise<void> {
    this.state.begin(new Date(now));
    const deadline = now + graceMs;
    const ordered = [...this.steps].sort((a, b) => a.order - b.order);
    for (const step of ordered) {
      const started = Date.now();
      try {
        await step.run(deadline);
        this.logger.log(`${step.name}: done in ${Date.now() - started} ms`);
      } catch (error) {
        // A failed step must not stop the others: each one saves what it can.
        this.logger.error(`${step.name} failed: ${(error as Error).message}`);
      }
    }
  }
}
