import { WebhookHistoryError } from './webhook.errors';
import {
  type ExistingWebhook,
  type WebhookEvent,
  WEBHOOK_EVENT_TYPES,
  evolve,
  initialState,
  isWebhookEventType,
  previousSecretSigningAt,
  signingSecretsAt,
  toNewEvent,
} from './webhook.events';
import { WEBHOOK_ID, secretRef, webhookCreated } from './testing/webhook-fixtures';

const id = WEBHOOK_ID;
const fold = (events: WebhookEvent[]) => events.reduce(evolve, initialState);

const rotated: WebhookEvent = {
  type: 'SecretRotated',
  data: {
    id,
    secret: secretRef('second'),
    secretHint: 'whsec_…second',
    previousSecret: secretRef('first'),
    previousSecretHint: 'whsec_…aSw1',
    previousSecretValidUntil: '2025-03-02T12:00:00.000Z',
  },
};

describe('evolve', () => {
  it('given a webhook created with an ed25519 key and rotated to a whsec_ secret, then the state keeps each scheme and public key where it belongs', () => {
    const state = fold([
      webhookCreated({ signatureScheme: 'asymmetric', publicKey: 'whpk_first' }),
      {
        type: 'SecretRotated',
        data: {
          ...rotated.data,
          signatureScheme: 'symmetric',
          publicKey: null,
          previousSignatureScheme: 'asymmetric',
          previousPublicKey: 'whpk_first',
        },
      },
    ]);

    expect(state).toMatchObject({
      signatureScheme: 'symmetric',
      publicKey: null,
      previousSecret: { signatureScheme: 'asymmetric', publicKey: 'whpk_first' },
    });
  });

  it('given a WebhookCreated written before the scheme existed (no fields), then it is symmetric', () => {
    const { signatureScheme: _s, publicKey: _p, ...older } = webhookCreated().data;

    expect(fold([{ type: 'WebhookCreated', data: older }])).toMatchObject({
      signatureScheme: 'symmetric',
      publicKey: null,
    });
  });

  it('starts from a webhook that does not exist', () => {
    expect(initialState).toEqual({ status: 'none' });
  });

  it('given a history, when folded, then the state reflects every event and counts the version', () => {
    const state = fold([
      webhookCreated(),
      {
        type: 'WebhookUpdated',
        data: {
          id,
          changes: {
            name: { from: 'CRM Sync', to: 'CRM Sync v2' },
            eventTypes: { from: ['license.created', 'license.assigned'], to: ['license.revoked'] },
            description: { from: null, to: 'Second CRM' },
          },
        },
      },
      { type: 'WebhookDeactivated', data: { id, reason: 'automatic', detail: '410 Gone' } },
      { type: 'WebhookActivated', data: { id } },
      rotated,
    ]);
    expect(state).toEqual<ExistingWebhook>({
      status: 'active',
      id,
      name: 'CRM Sync v2',
      url: 'https://crm.example.com/hooks/licenses',
      environment: 'production',
      eventTypes: ['license.revoked'],
      description: 'Second CRM',
      secret: secretRef('second'),
      secretHint: 'whsec_…second',
      signatureScheme: 'symmetric',
      publicKey: null,
      previousSecret: {
        secret: secretRef('first'),
        secretHint: 'whsec_…aSw1',
        validUntil: '2025-03-02T12:00:00.000Z',
        signatureScheme: 'symmetric',
        publicKey: null,
      },
      deactivation: null,
      deliverySettings: { retryPolicy: null, rateLimitPerSecond: null, headers: {} },
      version: 5,
    });
  });

  it('given a webhook created inactive, then its status is inactive, deactivated by the admin', () => {
    expect(fold([webhookCreated({ active: false })])).toMatchObject({
      status: 'inactive',
      deactivation: { reason: 'admin' },
      version: 1,
    });
  });

  it('given a deactivation, then the state records who paused it and why', () => {
    const state = fold([
      webhookCreated(),
      { type: 'WebhookDeactivated', data: { id, reason: 'automatic', detail: '410 Gone' } },
    ]);
    expect(state).toMatchObject({
      status: 'inactive',
      deactivation: { reason: 'automatic', detail: '410 Gone' },
    });
  });

  it('given an automatic pause with its kind, then the state keeps the kind; a re-activation clears it', () => {
    const detail = 'the endpoint answered 410 Gone';
    const paused = fold([
      webhookCreated(),
      { type: 'WebhookDeactivated', data: { id, reason: 'automatic', detail, kind: 'gone' } },
    ]);
    expect(paused).toMatchObject({
      status: 'inactive',
      deactivation: { reason: 'automatic', detail, kind: 'gone' },
    });
    const resumed = fold([
      webhookCreated(),
      { type: 'WebhookDeactivated', data: { id, reason: 'automatic', detail, kind: 'gone' } },
      { type: 'WebhookActivated', data: { id } },
    ]);
    expect(resumed).toMatchObject({ status: 'active', deactivation: null });
  });

  it('given a deletion, then the state is deleted but keeps its fields for history', () => {
    const state = fold([webhookCreated(), { type: 'WebhookDeleted', data: { id } }]);
    expect(state).toMatchObject({ status: 'deleted', name: 'CRM Sync', version: 2 });
  });

  it('refuses an event before the creation, and a second creation', () => {
    expect(() => fold([{ type: 'WebhookActivated', data: { id } }])).toThrow(WebhookHistoryError);
    expect(() => fold([webhookCreated(), webhookCreated()])).toThrow(WebhookHistoryError);
  });
});

describe('signingSecretsAt', () => {
  const webhook = fold([webhookCreated(), rotated]) as ExistingWebhook;

  it('signs with the previous secret too while its grace window lasts', () => {
    expect(signingSecretsAt(webhook, new Date('2025-03-02T11:59:59.999Z'))).toEqual([
      secretRef('second'),
      secretRef('first'),
    ]);
  });

  it('signs with the current secret only once the window has ended', () => {
    expect(signingSecretsAt(webhook, new Date('2025-03-02T12:00:00.000Z'))).toEqual([
      secretRef('second'),
    ]);
    expect(signingSecretsAt(fold([webhookCreated()]) as ExistingWebhook, new Date())).toEqual([
      secretRef('first'),
    ]);
  });
});

describe('previousSecretSigningAt', () => {
  const previous = { validUntil: '2025-03-02T12:00:00.000Z' };

  it('keeps the rotated-out secret until its grace window ends, the end itself excluded', () => {
    expect(previousSecretSigningAt(previous, new Date('2025-03-02T11:59:59.999Z'))).toBe(previous);
    expect(previousSecretSigningAt(previous, new Date('2025-03-02T12:00:00.000Z'))).toBeNull();
    expect(previousSecretSigningAt(null, new Date('2025-03-01T00:00:00.000Z'))).toBeNull();
  });
});

describe('persisted event types', () => {
  it('are the seven domain events', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual([
      'WebhookCreated',
      'WebhookUpdated',
      'WebhookActivated',
      'WebhookDeactivated',
      'SecretRotated',
      'DeliverySettingsChanged',
      'WebhookDeleted',
    ]);
    expect(isWebhookEventType('SecretRotated')).toBe(true);
    expect(isWebhookEventType('toString')).toBe(false);
  });

  it('are stamped with their schema version when prepared for the store', () => {
    const metadata = { actor: 'user:1', correlationId: 'c', causationId: 'r' };
    expect(toNewEvent(rotated, metadata)).toEqual({
      type: 'SecretRotated',
      data: rotated.data,
      schemaVersion: 3,
      metadata,
    });
  });

  it('never carry a plaintext secret', () => {
    const json = JSON.stringify([webhookCreated(), rotated]);
    expect(json).not.toMatch(/whsec_[A-Za-z0-9+/]{8,}/);
  });
});
