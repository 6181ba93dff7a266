import type { Connection } from 'mongoose';
import type { AppConfig } from '@app/config';
import { FixedClock } from '@app/event-store';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import {
  listInDirectory,
  seedDelivery,
  type DeliverySeed,
} from '../../../../test/support/delivery-seeds';
import { DELIVERIES_COLLECTION, type DeliveryDocument } from '../storage/delivery.documents';
import { scopesOf } from '../storage/delivery-scopes';
import { entriesFor } from '../storage/slot-directory';
import { storedProgress, type StoredDelivery } from '../storage/stored-delivery';
import type { DeliveryListFilter } from './application/delivery-list.filter';
import { positionOf, type DeliveryPosition } from './application/delivery-position';
import { DeliveryRepository } from './delivery.repository';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const WEBHOOK = '5d1f6a52-8b0e-4c3a-9d6e-1a2b3c4d5e01';
const OTHER = '5d1f6a52-8b0e-4c3a-9d6e-1a2b3c4d5e02';
const STAGING = '5d1f6a52-8b0e-4c3a-9d6e-1a2b3c4d5e03';
const secondsAgo = (s: number) => new Date(NOW.getTime() - s * 1000);

// The log's filters on the real database: what each finds, combined, page by page through the
// cursors, and how a page whose read budget runs out goes on where it stopped.
describe('DeliveryRepository search (real database)', () => {
  let connection: Connection;
  let repository: DeliveryRepository;
  const seeded: Record<string, DeliveryDocument> = {};

  const seed = async (name: string, fields: Omit<DeliverySeed, 'event'>) => {
    seeded[name] = (await seedDelivery(connection.db!, { event: name, ...fields })).summary;
  };

  /** Every page of the list, following the cursor (as the api does), with `maxSlots` per page. */
  async function allPages(filter: DeliveryListFilter, limit: number, maxSlots?: number) {
    const pages: string[][] = [];
    let after: DeliveryPosition | undefined;
    for (let page = 0; page < 100; page++) {
      const { deliveries, resumeAt } = await repository.list(filter, after, limit + 1, maxSlots);
      const items = deliveries.slice(0, limit);
      pages.push(items.map((d) => d._id));
      const last = items.at(-1);
      const next = deliveries.length > limit && last ? positionOf(last) : resumeAt;
      if (!next) return pages;
      after = next;
    }
    throw new Error('the list never ended');
  }

  const names = (ids: readonly string[]) =>
    ids.map((id) => Object.keys(seeded).find((name) => seeded[name]._id === id));

  beforeAll(async () => {
    connection = await openTestDatabase('delivery_search');
    repository = new DeliveryRepository(connection, new FixedClock(NOW), {
      deliveryRetentionDays: 30,
    } as AppConfig);
    // Newest first: ok1 (2 s ago) ... each in its own second.
    await seed('ok1', {
      webhookId: WEBHOOK,
      at: secondsAgo(2),
      status: 'succeeded',
      responses: [200],
    });
    await seed('gone', {
      webhookId: WEBHOOK,
      at: secondsAgo(3),
      status: 'failed',
      responses: [410],
    });
    await seed('down', {
      webhookId: WEBHOOK,
      at: secondsAgo(4),
      status: 'failed',
      responses: [500, 503],
      eventType: 'license.assigned',
    });
    await seed('timeout', {
      webhookId: OTHER,
      at: secondsAgo(5),
      status: 'failed',
      responses: [500, null],
    });
    await seed('moved', {
      webhookId: OTHER,
      at: secondsAgo(6),
      status: 'failed',
      responses: [301],
    });
    await seed('retrying', {
      webhookId: OTHER,
      at: secondsAgo(7),
      status: 'retrying',
      responses: [502],
    });
    await seed('fresh', { webhookId: OTHER, at: secondsAgo(8), status: 'pending' });
    await seed('stagingOk', {
      webhookId: STAGING,
      environment: 'staging',
      at: secondsAgo(9),
      status: 'succeeded',
      responses: [204],
    });
    await seed('stagingDown', {
      webhookId: STAGING,
      environment: 'staging',
      at: secondsAgo(10),
      status: 'failed',
      responses: [null],
    });
  });

  afterAll(() => dropTestDatabase(connection));

  it.each([
    [{ statusClass: '2xx' }, ['ok1', 'stagingOk']],
    [{ statusClass: '3xx' }, ['moved']],
    [{ statusClass: '4xx' }, ['gone']],
    [{ statusClass: '5xx' }, ['down', 'retrying']],
    [{ statusClass: 'none' }, ['timeout', 'stagingDown']],
    [{ environment: 'staging' }, ['stagingOk', 'stagingDown']],
    [{ environment: 'development' }, []],
    [{ environment: 'production', statusClass: 'none' }, ['timeout']],
    [{ webhookId: WEBHOOK, statusClass: '5xx' }, ['down']],
    [{ webhookId: OTHER, environment: 'staging' }, []],
    [{ status: 'failed', statusClass: '5xx' }, ['down']],
    [{ status: 'failed', environment: 'staging' }, ['stagingDown']],
    [{ status: 'retrying', statusClass: '5xx' }, ['retrying']],
    [{ eventType: 'license.assigned', statusClass: '5xx' }, ['down']],
    [{ eventId: 'evt_gone_5d1f6a52', statusClass: '4xx' }, ['gone']],
    [{ statusClass: 'none', from: secondsAgo(9), to: secondsAgo(4) }, ['timeout']],
  ] as [DeliveryListFilter, string[]][])(
    'given the log, when listed by %j, then it finds exactly %j, newest first',
    async (filter, expected) => {
      const pages = await allPages(filter, 20);
      expect(names(pages.flat())).toEqual(expected);
    },
  );

  it('given combined filters, when paged two at a time, then the pages follow each other with no repeats and no gaps', async () => {
    const pages = await allPages({ status: 'failed', environment: 'production' }, 2);
    expect(pages.map(names)).toEqual([
      ['gone', 'down'],
      ['timeout', 'moved'],
    ]);
  });

  it('given a rare match far down a busy scope, when each page may read only a few slots, then short pages with cursors lead to it', async () => {
    const busy = '5d1f6a52-8b0e-4c3a-9d6e-1a2b3c4d5e04';
    // 30 successes, one second each, above one 4xx.
    for (let i = 0; i < 30; i++) {
      await seed(`busy${i}`, {
        webhookId: busy,
        at: secondsAgo(100 + i),
        status: 'succeeded',
        responses: [200],
      });
    }
    await seed('busyRevoked', {
      webhookId: busy,
      eventType: 'license.revoked',
      at: secondsAgo(200),
      status: 'succeeded',
      responses: [200],
    });

    const pages = await allPages({ webhookId: busy, eventType: 'license.revoked' }, 20, 8);

    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.slice(0, 3).flat()).toEqual([]);
    expect(names(pages.flat())).toEqual(['busyRevoked']);
  });

  it("given a webhook's one 4xx and one failure far down its successes, when listed by webhook and class or status, then the first page finds them: its failures have slots of their own", async () => {
    const busy = '5d1f6a52-8b0e-4c3a-9d6e-1a2b3c4d5e05';
    for (let i = 0; i < 30; i++) {
      await seed(`steady${i}`, {
        webhookId: busy,
        at: secondsAgo(100 + i),
        status: 'succeeded',
        responses: [200],
      });
    }
    await seed('steadyGone', {
      webhookId: busy,
      at: secondsAgo(200),
      status: 'failed',
      responses: [404],
    });
    await seed('steadyDown', {
      webhookId: busy,
      at: secondsAgo(210),
      status: 'failed',
      responses: [503],
    });

    const byClass = await allPages({ webhookId: busy, statusClass: '4xx' }, 20, 8);
    const failed = await allPages({ webhookId: busy, status: 'failed' }, 20, 8);

    expect(byClass.map(names)).toEqual([['steadyGone']]);
    expect(failed.map(names)).toEqual([['steadyGone', 'steadyDown']]);
  });

  it('given a delivery whose latest attempt moved from 5xx to 2xx, when listed by class, then it is found by its new class only', async () => {
    const summaries = connection.collection<StoredDelivery>(DELIVERIES_COLLECTION);
    const at = secondsAgo(300);
    await seed('healed', { webhookId: OTHER, at, status: 'retrying', responses: [500] });
    const healed: DeliveryDocument = {
      ...seeded.healed,
      status: 'succeeded',
      attemptCount: 2,
      lastAttempt: { number: 2, at: NOW, responseStatus: 200, error: null, durationMs: 5 },
      nextAttemptAt: null,
    };
    // As the recorder writes it: the new scopes listed first, then the summary updated.
    await listInDirectory(connection.db!, entriesFor(scopesOf(healed), at));
    await summaries.updateOne({ _id: healed._id }, { $set: storedProgress(healed) });

    const byClass = async (statusClass: '2xx' | '5xx') =>
      names(
        (await allPages({ statusClass, from: secondsAgo(301), to: secondsAgo(299) }, 20)).flat(),
      );
    expect(await byClass('2xx')).toEqual(['healed']);
    expect(await byClass('5xx')).toEqual([]);
  });
});
