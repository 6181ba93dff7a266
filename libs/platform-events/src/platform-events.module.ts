import { type DynamicModule, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { ConsumerReadiness } from './consumer-readiness';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { EventDataValidator } from './event-data-validator';
import { PlatformEventConsumer } from './platform-event.consumer';
import { PLATFORM_EVENT_SINK, type PlatformEventSink } from './platform-event.sink';

/**
 * The platform event intake: consumes the platform topics and hands valid events to the sink that
 * the importing app provides (the delivery side, exported by one of `imports`), dead-lettering the
 * rest. Exports the consumer's readiness for the app's /health/ready.
 */
@Module({})
export class PlatformEventsModule {
  static forSink(options: {
    imports: ModuleMetadata['imports'];
    sink: Type<PlatformEventSink>;
  }): DynamicModule {
    return {
      module: PlatformEventsModule,
      imports: options.imports,
      providers: [
        DeadLetterPublisher,
        PlatformEventConsumer,
        ConsumerReadiness,
        // Every event type's schema, compiled once when the worker starts.
        { provide: EventDataValidator, useFactory: () => new EventDataValidator() },
        { provide: PLATFORM_EVENT_SINK, useExisting: options.sink },
      ],
      exports: [ConsumerReadiness],
    };
  }
}
