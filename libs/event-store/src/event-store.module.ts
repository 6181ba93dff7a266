import { DynamicModule, Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { AppConfig } from '@app/config';
import { DATABASE_CONNECTION } from '@app/platform';
import { CLOCK, Clock, SystemClock } from './clock';
import { EventStore } from './event-store';
import { CheckpointStore } from './projections/checkpoint-store';
import { ProjectionHost } from './projections/projection-host';
import { ProjectionRebuilder } from './projections/projection-rebuilder';
import { UpcasterRegistry } from './upcasters';

/**
 * Provides the event store on the application's database connection. Upcasters are registered on
 * the exported UpcasterRegistry by the domain modules that own the event types.
 */
@Module({})
export class EventStoreModule {
  static forRoot(): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        { provide: CLOCK, useClass: SystemClock },
        UpcasterRegistry,
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
