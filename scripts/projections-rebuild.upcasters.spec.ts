import type { DynamicModule, FactoryProvider, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { EventStoreModule, UpcasterRegistry, type UpcastableEvent } from '@app/event-store';
import { ApiModule } from '../apps/api/src/api.module';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { appUpcasters } from './projections-rebuild';

// The registered list is replaced by one of an imagined version 0 (which the real one ignores), so
// that what reads through the list visibly changes an old event. The apps and the command import
// the list from the library's index, which is what is replaced here.
jest.mock('@app/webhooks', () => ({
  ...jest.requireActual('@app/webhooks'),
  EVENT_UPCASTERS: [
    {
      // An imagined schema version 0 of WebhookCreated, which called the name "title".
      type: 'WebhookCreated',
      fromVersion: 0,
      upcast: ({ data, ...event }: UpcastableEvent) => {
        const { title, ...rest } = data as { title: string };
        return { ...event, schemaVersion: 1, data: { ...rest, name: title } };
      },
    },
  ],
}));

const oldCreated: UpcastableEvent = {
  type: 'WebhookCreated',
  schemaVersion: 0,
  data: { id: 'old', title: 'Legacy Hook' },
};
const currentCreated: UpcastableEvent = {
  type: 'WebhookCreated',
  schemaVersion: 1,
  data: { id: 'old', name: 'Legacy Hook' },
};

/** The UpcasterRegistry the app's EventStoreModule.forRoot provides, built without booting it. */
function eventStoreUpcastersOf(app: Type): UpcasterRegistry {
  const imports = Reflect.getMetadata(MODULE_METADATA.IMPORTS, app) as unknown[];
  const eventStore = imports.find(
    (entry): entry is DynamicModule => (entry as DynamicModule).module === EventStoreModule,
  );
  const provider = eventStore?.providers?.find(
    (candidate): candidate is FactoryProvider<UpcasterRegistry> =>
      (candidate as FactoryProvider).provide === UpcasterRegistry,
  );
  if (!provider) throw new Error(`${app.name} sets up no EventStoreModule with upcasters`);
  return provider.useFactory() as UpcasterRegistry;
}

describe('npm run projections:rebuild reads with the upcasters the apps read with', () => {
  it("given an event of an older schema version, the command's store raises it through the registered list", () => {
    expect(appUpcasters().upcast(oldCreated)).toEqual(currentCreated);
  });

  it.each([
    ['api', ApiModule],
    ['worker', WorkerModule],
  ])("the %s's event store is set up with the same list", (_app, app) => {
    expect(eventStoreUpcastersOf(app).upcast(oldCreated)).toEqual(currentCreated);
  });
});
