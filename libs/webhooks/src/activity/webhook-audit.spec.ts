import type { StoredEvent } from '@app/event-store';
import { describeWebhookEventForAudit } from './webhook-audit';

const ID = '6f1c1d3e-0000-4000-8000-000000000001';

function stored(streamId: string, type: string, data: unknown): StoredEvent {
  return {
    id: 'event-1',
    streamId,
    type,
    schemaVersion: 1,
    version: 1,
    position: 1000,
    recordedAt: new Date('2026-05-01T00:00:00Z'),
    data,
    metadata: { actor: 'user:alice', correlationId: 'corr', causationId: 'cause' },
  };
}

describe("the webhooks' reading in the audit", () => {
  it("names the webhook of its own stream and of its activity stream (not 'activity-<id>')", () => {
    expect(
      describeWebhookEventForAudit(
        stored(`webhook-${ID}`, 'SecretRotated', {
          id: ID,
          secret: { id: 's-1' },
          secretHint: 'h',
        }),
      ),
    ).toEqual({ subject: { kind: 'webhook', id: ID }, details: { secretHint: 'h' } });
    expect(
      describeWebhookEventForAudit(
        stored(`webhook-activity-${ID}`, 'DeliveryRetryRequested', {
          webhookId: ID,
          deliveryId: 'd-1',
        }),
      ),
    ).toEqual({ subject: { kind: 'webhook', id: ID }, details: { deliveryId: 'd-1' } });
  });

  it('claims no other stream', () => {
    expect(
      describeWebhookEventForAudit(stored('settings-retry-policy', 'RetryPolicySet', {})),
    ).toBe(null);
  });
});
