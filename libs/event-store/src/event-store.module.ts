import { DynamicModule, Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { AppConfig } from '@app/config';
import { DATABASE_CONNECTION } from '@app/platform';
import { CLOCK, Clock, SystemClock } from './clock';
import { EventStore } from './event-store';
import { CheckpointStore } from './projections/checkpoint-store';
import { ProjectionHost } from './projections/projection-host';
import { ProjectionRebuilder } from './projections/projection-rebuilder';
import { UpcasterRegistry, type UpcasterDefinition } from './upcasters';

export interface EventStoreModuleOptions {
  /**
   * The upcasters the app reads the log with: every aggregate's list, the same one the rebuild
   * command uses, so that nothing reads an event in another shape than the app does.
   */
  upcasters?: readonly UpcasterDefinition[];
}

/**
 * Provides the event store on the application's database connection. Its UpcasterRegistry holds
 * the upcasters given to forRoot from the moment it exists, so no reader (a projection, a command
 * loading a stream) can run before they are in place, whichever module reads first.
 */
@Module({})
export class EventStoreModule {
  static forRoot({ upcasters = [] }: EventStoreModuleOptions = {}): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        { provide: CLOCK, useClass: SystemClock },
        {
          provide: UpcasterRegistry,
          useFactory: () => new UpcasterRegistry().registerAll(upcasters),
        },
        {
          provide: EventStore,
          inject: [DATABASE_CONNECTION, CLOCK, UpcasterRegistry],
          useFactory: async (connection: Connection, clock: Clock, upcasters: UpcasterRegistry) => {
            const store = new EventStore(connection, clock, upcasters);
            await store.init();
            return store;
          },
        },
        {
          provide: CheckpointStore,
          inject: [DATABASE_CONNECTION],
          useFactory: (connection: Connection) => new CheckpointStore(connection),
        },
        {
          provide: ProjectionRebuilder,
          inject: [EventStore, CheckpointStore, DATABASE_CONNECTION],
          useFactory: (store: EventStore, checkpoints: CheckpointStore, connection: Connection) =>
            new ProjectionRebuilder(store, checkpoints, connection),
        },
        {
          provide: ProjectionHost,
          inject: [EventStore, CheckpointStore, DATABASE_CONNECTION, AppConfig],
          useFactory: (
            store: EventStore,
            checkpoints: CheckpointStore,
            connection: Connection,
            config: AppConfig,
          ) =>
            new ProjectionHost(store, checkpoints, connection, {
              pollIntervalMs: config.projectionPollIntervalMs,
              lease: { ttlMs: config.projectionLeaseTtlMs },
            }),
        },
      ],
      exports: [
        CLOCK,
        UpcasterRegistry,
        EventStore,
        CheckpointStore,
        ProjectionRebuilder,
        ProjectionHost,
      ],
    };
  }
}
