import type { Connection } from 'mongoose';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import { SystemClock } from '../clock';
import { EventStore } from '../event-store';
import { testEvent } from '../testing/event-factory';
import { RecordingProjection } from '../testing/recording.projection';
import { CheckpointStore } from './checkpoint-store';
import { ProjectionHost } from './projection-host';

describe('ProjectionHost', () => {
  let connection: Connection;
  let store: EventStore;
  let host: ProjectionHost;

  beforeAll(async () => {
    connection = await openTestDatabase('projection_host');
    store = new EventStore(connection, new SystemClock());
    await store.init();
    host = new ProjectionHost(store, new CheckpointStore(connection), connection, {
      pollIntervalMs: 20,
    });
  });

  afterAll(async () => {
    await host.onApplicationShutdown();
    await dropTestDatabase(connection);
  });

  it('starts registered projections at boot, catching up on history, then follows new events', async () => {
    await store.append('before-boot', 0, [testEvent('Old')]);
    const summary = new RecordingProjection('summary', 'rm_summary');
    host.register(summary);

    await host.onApplicationBootstrap();
    const late = new RecordingProjection('late', 'rm_late');
    host.register(late); // registered after boot: starts at once
    const next = await store.append('after-boot', 0, [testEvent('New')]);
    await host.runner('summary').waitFor(next.lastPosition);
    await host.runner('late').waitFor(next.lastPosition);

    expect(summary.seen.map((event) => event.type)).toEqual(['Old', 'New']);
    expect(late.seen.map((event) => event.type)).toEqual(['Old', 'New']);
    expect(host.names).toEqual(['summary', 'late']);
    expect(() => host.register(new RecordingProjection('summary', 'x'))).toThrow(
      /already registered/,
    );
  });
});
