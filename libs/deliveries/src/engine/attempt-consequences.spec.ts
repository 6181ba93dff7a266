import { FixedClock } from '@app/event-store';
import type { PlatformEvent, PlatformEventPublisher } from '@app/platform-events';
import type { SubscriptionIndex } from '@app/webhooks';
import type { DeliveryAttemptDocument } from '../storage/delivery.documents';
import { AttemptConsequences, FAILURE_REASONS } from './attempt-consequences';
import type { DeliveryJob } from './delivery-job';
import type { EndpointHealth } from './endpoint-health';

const clock = new FixedClock(new Date('2026-11-27T12:00:00Z'));

const job: DeliveryJob = {
  id: 'dlv_1',
  webhookId: 'wh-1',
  eventId: 'evt-1',
  eventType: 'license.created',
  environment: 'production',
  body: '{}',
  attempt: 3,
  scheduledAttempts: 2,
  trigger: 'automatic',
  oneShot: false,
  requestedBy: null,
  latestRequestedBy: null,
  createdAt: clock.now(),
  origin: { kind: 'memory' },
  hasSummary: true,
};

function attempt(overrides: Partial<DeliveryAttemptDocument>): DeliveryAttemptDocument {
  return {
    _id: 'dlv_1:3',
    deliveryId: 'dlv_1',
    webhookId: 'wh-1',
    eventId: 'evt-1',
    number: 3,
    at: new Date('2026-11-27T11:59:59Z'),
    trigger: 'automatic',
    requestedBy: null,
    url: 'https://crm.example/in',
    requestHeaders: {},
    responseStatus: 500,
    responseBody: null,
    durationMs: 12,
    error: 'HTTP 500 Internal Server Error',
    outcome: { status: 'failed', reason: FAILURE_REASONS.exhausted },
    scheduledAttempts: 3,
    token: 't',
    ...overrides,
  } as DeliveryAttemptDocument;
}

/** The follow-up with a health and a publisher that record what they are told. */
function consequences() {
  const calls: string[] = [];
  const published: PlatformEvent[] = [];
  const health = {
    succeeded: (id: string) => (calls.push(`succeeded ${id}`), Promise.resolve()),
    failed: (id: string, error: string) => (
      calls.push(`failed ${id}: ${error}`),
      Promise.resolve()
    ),
    pause: (id: string, kind: string) => (calls.push(`pause ${id} ${kind}`), Promise.resolve()),
  } as unknown as EndpointHealth;
  const publisher = {
    publish: (event: PlatformEvent) => (published.push(event), Promise.resolve()),
  } as unknown as PlatformEventPublisher;
  const index = {
    describe: (id: string) => ({
      id,
      name: 'CRM',
      url: 'https://crm.example/now',
      environment: 'production',
    }),
  } as unknown as SubscriptionIndex;
  return { follow: new AttemptConsequences(health, publisher, index, clock), calls, published };
}

describe('AttemptConsequences (what a recorded attempt sets off)', () => {
  it('given the last attempt of the retry policy failed, then the failure counts for the endpoint and delivery.failed is announced', async () => {
    const { follow, calls, published } = consequences();

    await follow.followed(job, attempt({}));

    expect(calls).toEqual(['failed wh-1: HTTP 500 Internal Server Error']);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      id: 'evt_failed_dlv_1',
      type: 'delivery.failed',
      environment: 'production',
      data: {
        delivery: { id: 'dlv_1', attempts: 3, lastResponseStatus: 500 },
        // The URL the attempt went to, the name as the index knows it.
        webhook: { id: 'wh-1', name: 'CRM', url: 'https://crm.example/in' },
        event: { id: 'evt-1', type: 'license.created' },
      },
    });
  });

  it('given the same attempt followed again (a repeated step), then the announcement is the same event id', async () => {
    const { follow, published } = consequences();
    await follow.followed(job, attempt({}));
    await follow.followed(job, attempt({}));
    expect(published.map((event) => event.id)).toEqual(['evt_failed_dlv_1', 'evt_failed_dlv_1']);
  });

  it('given a delivery of a delivery.failed event that ran out of retries, then nothing is announced (the loop rule)', async () => {
    const { follow, calls, published } = consequences();

    await follow.followed({ ...job, eventType: 'delivery.failed' }, attempt({}));

    expect(published).toEqual([]);
    // Its endpoint's health still counts: a dead alert endpoint is paused like any other.
    expect(calls).toEqual(['failed wh-1: HTTP 500 Internal Server Error']);
  });

  it('given a failed attempt that will be retried, or a requested one that failed, then nothing is announced', async () => {
    const { follow, published } = consequences();
    await follow.followed(
      job,
      attempt({ outcome: { status: 'retrying', nextAttemptAt: clock.now() } }),
    );
    await follow.followed(
      job,
      attempt({ trigger: 'manual', outcome: { status: 'failed', reason: FAILURE_REASONS.manual } }),
    );
    expect(published).toEqual([]);
  });

  it('given a 410 Gone, then the webhook is paused as gone', async () => {
    const { follow, calls, published } = consequences();
    await follow.followed(
      job,
      attempt({ responseStatus: 410, outcome: { status: 'failed', reason: FAILURE_REASONS.gone } }),
    );
    expect(calls).toEqual(['pause wh-1 gone']);
    // The pause announces itself (EndpointHealth); the delivery's end is not an exhaustion.
    expect(published).toEqual([]);
  });

  it('given a success, then the endpoint is healthy', async () => {
    const { follow, calls } = consequences();
    await follow.followed(
      job,
      attempt({ responseStatus: 204, error: null, outcome: { status: 'succeeded' } }),
    );
    expect(calls).toEqual(['succeeded wh-1']);
  });

  it('given an attempt that was not sent (the webhook paused or deleted), then nothing follows', async () => {
    const { follow, calls, published } = consequences();
    await follow.followed(
      job,
      attempt({
        url: '',
        responseStatus: null,
        outcome: { status: 'failed', reason: 'not sent: the webhook is inactive' },
      }),
    );
    expect(calls).toEqual([]);
    expect(published).toEqual([]);
  });
});
