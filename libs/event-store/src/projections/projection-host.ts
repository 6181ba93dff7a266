import type {
  BeforeApplicationShutdown,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { EventStore } from '../event-store';
import type { CheckpointStore } from './checkpoint-store';
import type { Projection } from './projection';
import { ProjectionRunner, ProjectionRunnerOptions } from './projection-runner';

/**
 * Runs an app's projections for the app's lifetime: domain modules register theirs while the app is
 * built; all start when it has booted (catching up, then live) and stop when it shuts down.
 * Provided by EventStoreModule through a factory (Nest calls the lifecycle hooks all the same).
 *
 * Several processes may host the same durable projection: one of them writes it (it holds the
 * projection's writer lease), the others follow its checkpoint and serve the same read model.
 * Shutting down releases the leases this host holds, so another process takes over at once.
 */
export class ProjectionHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly runners = new Map<string, ProjectionRunner>();
  private started = false;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly connection: Connection,
    private readonly defaults: ProjectionRunnerOptions = {},
  ) {}

  register(projection: Projection, options: ProjectionRunnerOptions = {}): ProjectionRunner {
    if (this.runners.has(projection.name)) {
      throw new Error(`Projection ${projection.name} is already registered`);
    }
    const runner = new ProjectionRunner(this.store, this.checkpoints, this.connection, projection, {
      ...this.defaults,
      ...options,
    });
    this.runners.set(projection.name, runner);
    if (this.started) void runner.start();
    return runner;
  }

  runner(name: string): ProjectionRunner {
    const runner = this.runners.get(name);
    if (!runner) throw new Error(`No projection named ${name} is registered`);
    return runner;
  }

  get names(): string[] {
    return [...this.runners.keys()];
  }

  async onApplicationBootstrap(): Promise<void> {
    this.started = true;
    await Promise.all([...this.runners.values()].map((runner) => runner.start()));
  }

  /**
   * Stops the runners while the database connection is still open (it closes in
   * onApplicationShutdown), so that their leases are released and not left to expire.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.onApplicationShutdown();
  }

  /** Idempotent: stopping a stopped runner does nothing. */
  async onApplicationShutdown(): Promise<void> {
    this.started = false;
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }
}
