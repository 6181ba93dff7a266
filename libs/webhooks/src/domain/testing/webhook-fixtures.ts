import type { CreateWebhook, WebhookDecideContext } from '../webhook.commands';
import { webhookDecider } from '../webhook.decider';
import type { EncryptedSecret, SecretRef, WebhookCreated } from '../webhook.events';
import { deciderSpec } from '@app/event-store/testing';

export const WEBHOOK_ID = 'wh_01';
export const NOW = new Date('2025-03-01T12:00:00.000Z');

export const testContext: WebhookDecideContext = {
  now: NOW,
  secretRotationGraceHours: 24,
  allowHttp: false,
};

export const given = deciderSpec(webhookDecider, testContext);

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** A reference to the secret store; the domain treats it as opaque. */
export function secretRef(label: string): SecretRef {
  return { id: label };
}

/** A stand-in ciphertext of a schema version 1 event; opaque to the domain. */
export function encryptedSecret(label: string): EncryptedSecret {
  return { v: 1, iv: base64(`iv-${label}`), tag: base64(`tag-${label}`), data: base64(label) };
}

export function webhookCreated(overrides: Partial<WebhookCreated['data']> = {}): WebhookCreated {
  return {
    type: 'WebhookCreated',
    data: {
      id: WEBHOOK_ID,
      name: 'CRM Sync',
      url: 'https://crm.example.com/hooks/licenses',
      environment: 'production',
      eventTypes: ['license.created', 'license.assigned'],
      description: null,
      active: true,
      secret: secretRef('first'),
      secretHint: 'whsec_…aSw1',
      signatureScheme: 'symmetric',
      publicKey: null,
      ...overrides,
    },
  };
}

export function createWebhook(overrides: Partial<CreateWebhook['data']> = {}): CreateWebhook {
  return {
    type: 'CreateWebhook',
    data: {
      id: WEBHOOK_ID,
      name: 'CRM Sync',
      url: 'https://crm.example.com/hooks/licenses',
      environment: 'production',
      eventTypes: ['license.created', 'license.assigned'],
      secretId: 'first',
      secretHint: 'whsec_…aSw1',
      ...overrides,
    },
  };
}
