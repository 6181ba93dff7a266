import type { StoredEvent } from '@app/event-store';
import { RetryPolicyFollower } from '@app/retry-policy';
import { webhookCreated } from '../domain/testing/webhook-fixtures';
import { WebhookDirectory } from './directory/webhook-directory';
import { SubscriptionIndex } from './subscription-index';
import { webhookListChange } from './webhook-list.changes';

const ID = 'wh_01';

function stored(streamId: string, type: string, version: number, position: number, data: unknown) {
  return {
    id: `event-${position}`,
    streamId,
    type,
    schemaVersion: 1,
    version,
    position,
    recordedAt: new Date('2026-05-01T10:00:00.000Z'),
    data,
    metadata: { actor: 'user:alice', correlationId: 'corr', causationId: 'cause' },
  } satisfies StoredEvent;
}

/**
 * The log also holds streams these projections do not own: a webhook's activity stream (reveals,
 * manual retries: data.webhookId, no data.id) and types added by other libraries. Each projection
 * that follows the whole log must pass over them, neither failing (a runner stops at an event
 * that throws, and would retry it forever) nor reading them as its own.
 */
const foreign: StoredEvent[] = [
  stored(`webhook-activity-${ID}`, 'SecretRevealed', 1, 2000, {
    webhookId: ID,
    webhookVersion: 1,
    signatureScheme: 'symmetric',
    previousIncluded: false,
  }),
  stored(`webhook-activity-${ID}`, 'DeliveryRetryRequested', 2, 3000, {
    webhookId: ID,
    deliveryId: 'd-1',
  }),
  stored('somewhere-else', 'SomethingNew', 1, 4000, { anything: true }),
];
const created = stored(`webhook-${ID}`, 'WebhookCreated', 1, 1000, webhookCreated({ id: ID }).data);

describe('projections that follow the whole log, given events of streams they do not own', () => {
  it('the webhook list and directory ignore them and keep the webhook as it was', async () => {
    // Given
    const directory = new WebhookDirectory();
    await directory.apply(created);

    // When
    for (const event of foreign) await directory.apply(event);

    // Then
    expect(foreign.map(webhookListChange)).toEqual([null, null, null]);
    expect(directory.size).toBe(1);
    expect(directory.get(ID)).toMatchObject({ version: 1, _position: 1000, status: 'active' });
  });

  it('the subscription index ignores them', async () => {
    // Given
    const index = new SubscriptionIndex();
    await index.apply(created);

    // When
    for (const event of foreign) await index.apply(event);

    // Then
    expect(index.size).toBe(1);
    expect(index.match('production', 'license.created').map((target) => target.id)).toEqual([ID]);
  });

  it("the retry policy's follower ignores them", async () => {
    // Given
    const follower = new RetryPolicyFollower();
    const before = follower.current();

    // When
    for (const event of [created, ...foreign]) await follower.apply(event);

    // Then
    expect(follower.current()).toBe(before);
    expect(follower.version).toBe(0);
  });
});
