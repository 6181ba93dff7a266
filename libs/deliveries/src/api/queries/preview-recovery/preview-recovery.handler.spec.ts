import type { DeliveryDocument, DeliveryQueueDocument } from '../../../storage/delivery.documents';
import type { LiveWebhooks } from '../../application/live-webhooks';
import type { DeliveryQueueRepository } from '../../delivery-queue.repository';
import type { DeliveryRepository } from '../../delivery.repository';
import { CountFailedDeliveriesHandler } from '../count-failed-deliveries/count-failed-deliveries.handler';
import { positionBefore } from '../../application/delivery-position';
import { PreviewRecoveryHandler } from './preview-recovery.handler';
import { PreviewRecoveryQuery } from './preview-recovery.query';
import { CountFailedDeliveriesQuery } from '../count-failed-deliveries/count-failed-deliveries.query';

const failed = (id: string): DeliveryDocument =>
  ({ _id: id, webhookId: 'wh', status: 'failed', attemptCount: 1 }) as DeliveryDocument;

/** The queue as the api reads it: `coming` are the deliveries with a re-send queued. */
function queueWith(coming: Record<string, number>) {
  return {
    webhooksAsking: () => Promise.resolve(new Set(['wh'])),
    requestedOf: (page: readonly { _id: string }[]) =>
      Promise.resolve(
        new Map(
          page
            .filter((d) => coming[d._id] !== undefined)
            .map((d) => [d._id, { attempt: coming[d._id] } as DeliveryQueueDocument]),
        ),
      ),
  } as unknown as DeliveryQueueRepository;
}

/** The repository's walk, as an async stream of what it finds. */
async function* stream<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

const webhooks = { get: () => Promise.resolve({}) } as unknown as LiveWebhooks;

describe('dry runs', () => {
  it('given failed deliveries, one with a re-send queued, when a recovery is previewed, then it counts the others only', async () => {
    const deliveries = {
      failedSince: () => stream([failed('a'), failed('b'), failed('c')]),
    } as unknown as DeliveryRepository;
    const handler = new PreviewRecoveryHandler(webhooks, deliveries, queueWith({ b: 2 }));

    const preview = await handler.execute(new PreviewRecoveryQuery('wh', new Date(0)));

    expect(preview).toEqual({ recoverable: 2, capped: false, maxPerCall: 10_000 });
  });

  it('given more than a call re-sends, when previewed, then it says capped at the cap', async () => {
    const deliveries = {
      failedSince: () => stream(Array.from({ length: 10_100 }, (_, i) => failed(`d${i}`))),
    } as unknown as DeliveryRepository;
    const handler = new PreviewRecoveryHandler(webhooks, deliveries, queueWith({}));

    const preview = await handler.execute(new PreviewRecoveryQuery('wh', new Date(0)));

    expect(preview).toEqual({ recoverable: 10_000, capped: true, maxPerCall: 10_000 });
  });

  it('given a count whose read budget runs out, when counted, then it answers what it found, capped', async () => {
    const deliveries = {
      scan: () =>
        stream([
          { deliveries: [failed('a'), failed('b')] },
          { resumeAt: positionBefore(new Date(0)) },
        ]),
    } as unknown as DeliveryRepository;
    const handler = new CountFailedDeliveriesHandler(deliveries, queueWith({ a: 2 }));

    expect(await handler.execute(new CountFailedDeliveriesQuery({}))).toEqual({
      count: 1,
      capped: true,
    });
  });
});
