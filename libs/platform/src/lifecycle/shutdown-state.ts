import { Injectable } from '@nestjs/common';

/**
 * Whether the process has begun to shut down (SIGTERM): readiness then fails at once, so a load
 * balancer or orchestrator stops sending work while in-flight work drains. Set by runApp.
 */
@Injectable()
export class ShutdownState {
  private since: Date | null = null;

  /** When the shutdown began, or null while running. */
  get drainingSince(): Date | null {
    return this.since;
  }

  begin(now = new Date()): void {
    this.since ??= now;
  }
}
