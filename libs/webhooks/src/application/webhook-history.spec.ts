import type { StoredEvent } from '@app/event-store';
import { webhookCreated } from '../domain/testing/webhook-fixtures';
import { historyDetails, historyPage } from './webhook-history';

const at = new Date('2026-05-01T10:00:00.000Z');

function stored(
  streamId: string,
  type: string,
  version: number,
  position: number,
  data: unknown,
): StoredEvent {
  return {
    id: `event-${position}`,
    streamId,
    type,
    schemaVersion: 1,
    version,
    position,
    recordedAt: at,
    data,
    metadata: { actor: 'user:alice', correlationId: `corr-${position}`, causationId: 'cause' },
  };
}

const ID = 'wh_01';
const own = [
  stored(`webhook-${ID}`, 'WebhookCreated', 1, 1000, webhookCreated({ id: ID }).data),
  stored(`webhook-${ID}`, 'WebhookUpdated', 2, 3000, {
    id: ID,
    changes: { name: { from: 'CRM Sync', to: 'CRM' } },
  }),
  stored(`webhook-${ID}`, 'WebhookDeactivated', 3, 6000, { id: ID, reason: 'admin' }),
];
const reveal = (version: number, position: number) =>
  stored(`webhook-activity-${ID}`, 'SecretRevealed', version, position, {
    webhookId: ID,
    webhookVersion: 1,
    signatureScheme: 'symmetric',
    previousIncluded: false,
  });
const activity = [reveal(1, 2000), reveal(2, 4000), reveal(3, 5000)];

describe('a webhook history page', () => {
  it('merges its own events and its activity in global order, each at the version the webhook had', () => {
    // When
    const page = historyPage(own, activity, 0, 50);

    // Then
    expect(page.items.map((entry) => [entry.type, entry.source, entry.version])).toEqual([
      ['WebhookCreated', 'webhook', 1],
      ['SecretRevealed', 'activity', 1],
      ['WebhookUpdated', 'webhook', 2],
      ['SecretRevealed', 'activity', 2],
      ['SecretRevealed', 'activity', 2],
      ['WebhookDeactivated', 'webhook', 3],
    ]);
    expect(page.nextAfter).toBeNull();
  });

  it('pages by position: nextAfter is the last position, and the pages cover every entry once', () => {
    // Given
    const positions: number[] = [];
    let after = 0;

    // When
    for (let pages = 0; pages < 10; pages++) {
      const page = historyPage(own, activity, after, 4 - pages);
      positions.push(...page.items.map((entry) => entry.position));
      if (page.nextAfter === null) break;
      expect(page.nextAfter).toBe(page.items.at(-1)?.position);
      after = page.nextAfter;
    }

    // Then
    expect(positions).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
  });

  it('reads an `after` below 1000 as a stream version, as before: what follows that own event', () => {
    // When
    const afterVersion2 = historyPage(own, activity, 2, 50);
    const afterTheLast = historyPage(own, activity, 3, 50);
    const pastTheEnd = historyPage(own, activity, 7, 50);

    // Then
    expect(afterVersion2.items.map((entry) => entry.position)).toEqual([4000, 5000, 6000]);
    expect(afterTheLast.items).toEqual([]);
    expect(pastTheEnd.items).toEqual([]);
  });

  it('gives every entry its actor, time, correlation id and details', () => {
    // When
    const [created, revealed] = historyPage(own, activity, 0, 2).items;

    // Then
    expect(revealed).toEqual({
      type: 'SecretRevealed',
      version: 1,
      position: 2000,
      at: at.toISOString(),
      actor: 'user:alice',
      correlationId: 'corr-2000',
      source: 'activity',
      details: { webhookVersion: 1, signatureScheme: 'symmetric', previousIncluded: false },
    });
    expect(created.details).toMatchObject({ name: 'CRM Sync', secretHint: 'whsec_…aSw1' });
    expect(created.details).not.toHaveProperty('secret');
    expect(created.details).not.toHaveProperty('id');
  });
});

describe('history details', () => {
  it('leave out secrets, their references and key material wherever they are, nested too', () => {
    // When
    const details = historyDetails({
      data: {
        id: ID,
        webhookId: ID,
        secret: { id: 's-1' },
        previousSecret: { id: 's-0' },
        encryptedSecret: { v: 1, iv: 'x', tag: 'y', data: 'z' },
        publicKey: 'whpk_abc',
        secretHint: 'whsec_…aSw1',
        delivery: { id: 'd-1', attempts: 2, secret: 'whsec_leaked', nested: [{ publicKey: 'k' }] },
      },
    });

    // Then
    expect(details).toEqual({
      secretHint: 'whsec_…aSw1',
      delivery: { id: 'd-1', attempts: 2, nested: [{}] },
    });
  });

  it('are an empty object for an event without data', () => {
    expect(historyDetails({ data: undefined })).toEqual({});
  });
});
