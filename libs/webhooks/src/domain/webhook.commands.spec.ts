import { EVENT_TYPES } from './event-catalogue';
import {
  WebhookAlreadyExistsError,
  WebhookNotFoundError,
  WebhookValidationError,
} from './webhook.errors';
import type { WebhookCommand } from './webhook.commands';
import type { WebhookEvent } from './webhook.events';
import {
  WEBHOOK_ID,
  createWebhook,
  secretRef,
  given,
  testContext,
  webhookCreated,
} from './testing/webhook-fixtures';

const id = WEBHOOK_ID;
const created = webhookCreated();
const deleted: WebhookEvent = { type: 'WebhookDeleted', data: { id } };
const deactivated: WebhookEvent = { type: 'WebhookDeactivated', data: { id, reason: 'admin' } };

const update = (changes: Extract<WebhookCommand, { type: 'UpdateWebhook' }>['data']['changes']) =>
  ({ type: 'UpdateWebhook', data: { id, changes } }) as const;
const activate = { type: 'ActivateWebhook', data: { id } } as const;
const deactivate = { type: 'DeactivateWebhook', data: { id, reason: 'admin' } } as const;
const rotate = (label: string) =>
  ({
    type: 'RotateSecret',
    data: { id, secretId: label, secretHint: `whsec_…${label}` },
  }) as const;
const remove = { type: 'DeleteWebhook', data: { id } } as const;

const everyCommandButCreate: WebhookCommand[] = [
  update({ name: 'Other' }),
  activate,
  deactivate,
  rotate('next'),
  remove,
];

describe('decide', () => {
  describe('CreateWebhook', () => {
    it('given no webhook, when created, then WebhookCreated carries the canonical field values', () => {
      given([])
        .when(
          createWebhook({
            name: '  Slack Activation Alerts  ',
            eventTypes: ['activation.failed', 'activation.created', 'activation.failed'],
            description: '  ',
          }),
        )
        .then([
          webhookCreated({
            name: 'Slack Activation Alerts',
            eventTypes: ['activation.created', 'activation.failed'],
            description: null,
          }),
        ]);
    });

    it('given no webhook, when created with an ed25519 key, then WebhookCreated is asymmetric with its public key', () => {
      given([])
        .when(createWebhook({ signatureScheme: 'asymmetric', publicKey: 'whpk_abcd' }))
        .then([webhookCreated({ signatureScheme: 'asymmetric', publicKey: 'whpk_abcd' })]);
    });

    it('given a symmetric create that names a public key, when decided, then it is refused', () => {
      given([])
        .when(createWebhook({ publicKey: 'whpk_abcd' }))
        .then(RangeError);
    });

    it('given no webhook, when created inactive with a description, then the event says so', () => {
      given([])
        .when(createWebhook({ active: false, description: 'Pushes to the CRM' }))
        .then([webhookCreated({ active: false, description: 'Pushes to the CRM' })]);
    });

    it('given a webhook with that id, when created again, then it already exists', () => {
      given([created]).when(createWebhook()).then(WebhookAlreadyExistsError);
    });

    it('given a deleted webhook, when its id is created again, then the id stays taken', () => {
      given([created, deleted]).when(createWebhook()).then(WebhookAlreadyExistsError);
    });

    it('given no webhook, when created with several bad fields, then all are reported together', () => {
      const error = given([])
        .when(createWebhook({ name: 'n'.repeat(101), url: 'ftp://x', eventTypes: [] }))
        .then(WebhookValidationError);
      expect(error.fields.map((f) => f.field)).toEqual(['name', 'url', 'eventTypes']);
    });

    it('given no webhook, when created with an http URL, then it is refused unless http is allowed', () => {
      const command = createWebhook({ url: 'http://localhost:4000/hook' });
      given([]).when(command).then(WebhookValidationError);
      given([])
        .when(command, { ...testContext, allowHttp: true })
        .then([webhookCreated({ url: 'http://localhost:4000/hook' })]);
    });

    it('given no webhook, when created with credentials in the URL, then it is refused', () => {
      const error = given([])
        .when(createWebhook({ url: 'https://admin:hunter2@crm.example.com/hook' }))
        .then(WebhookValidationError);
      expect(error.fields).toEqual([
        { field: 'url', message: 'must not contain a user name or password' },
      ]);
    });
  });

  describe('UpdateWebhook', () => {
    it('given a webhook, when one of several given fields differs, then only that one is listed', () => {
      given([created])
        .when(
          update({
            name: 'CRM Sync',
            url: 'https://crm.example.com/hooks/v2',
            environment: 'production',
            eventTypes: ['license.assigned', 'license.created'],
          }),
        )
        .then([
          {
            type: 'WebhookUpdated',
            data: {
              id,
              changes: {
                url: {
                  from: 'https://crm.example.com/hooks/licenses',
                  to: 'https://crm.example.com/hooks/v2',
                },
              },
            },
          },
        ]);
    });

    it('given a webhook, when every field changes, then each is listed with from and to', () => {
      given([created])
        .when(
          update({
            name: 'Warehouse',
            url: 'https://dw.example.com/in',
            environment: 'staging',
            eventTypes: ['telemetry.flagged'],
            description: 'Streams to the warehouse',
          }),
        )
        .then([
          {
            type: 'WebhookUpdated',
            data: {
              id,
              changes: {
                name: { from: 'CRM Sync', to: 'Warehouse' },
                url: {
                  from: 'https://crm.example.com/hooks/licenses',
                  to: 'https://dw.example.com/in',
                },
                environment: { from: 'production', to: 'staging' },
                eventTypes: {
                  from: ['license.created', 'license.assigned'],
                  to: ['telemetry.flagged'],
                },
                description: { from: null, to: 'Streams to the warehouse' },
              },
            },
          },
        ]);
    });

    it('given a webhook, when updated with values equal after normalising, then nothing happens', () => {
      given([created])
        .when(
          update({
            name: '  CRM Sync ',
            eventTypes: ['license.assigned', 'license.created', 'license.created'],
            description: '',
          }),
        )
        .then([]);
    });

    it('given a webhook, when updated with no fields, then nothing happens', () => {
      given([created]).when(update({})).then([]);
    });

    it('given a description, when cleared with null, then it changes to null', () => {
      given([webhookCreated({ description: 'old notes' })])
        .when(update({ description: null }))
        .then([
          {
            type: 'WebhookUpdated',
            data: { id, changes: { description: { from: 'old notes', to: null } } },
          },
        ]);
    });

    it('given an inactive webhook, when updated, then it is updated and stays inactive', () => {
      given([created, deactivated])
        .when(update({ name: 'Paused CRM' }))
        .then([
          {
            type: 'WebhookUpdated',
            data: { id, changes: { name: { from: 'CRM Sync', to: 'Paused CRM' } } },
          },
        ]);
    });

    it('given a webhook, when updated with an unknown event type, then the error lists the valid ones', () => {
      const error = given([created])
        .when(update({ eventTypes: ['license.created', 'license.melted'] }))
        .then(WebhookValidationError);
      expect(error.fields).toHaveLength(1);
      expect(error.fields[0].field).toBe('eventTypes');
      expect(error.fields[0].message).toContain('license.melted');
      expect(error.fields[0].message).toContain(EVENT_TYPES.join(', '));
    });

    it('given a webhook, when updated with an empty event list, then it is refused', () => {
      given([created])
        .when(update({ eventTypes: [] }))
        .then(WebhookValidationError);
    });

    it('given a webhook, when updated to http, then it is refused unless http is allowed', () => {
      given([created])
        .when(update({ url: 'http://crm.example.com' }))
        .then(WebhookValidationError);
      given([created])
        .when(update({ url: 'http://crm.example.com' }), { ...testContext, allowHttp: true })
        .then([
          {
            type: 'WebhookUpdated',
            data: {
              id,
              changes: {
                url: {
                  from: 'https://crm.example.com/hooks/licenses',
                  to: 'http://crm.example.com',
                },
              },
            },
          },
        ]);
    });
  });

  describe('ActivateWebhook', () => {
    it('given an inactive webhook, when activated, then WebhookActivated', () => {
      given([created, deactivated])
        .when(activate)
        .then([{ type: 'WebhookActivated', data: { id } }]);
    });

    it('given a webhook created inactive, when activated, then WebhookActivated', () => {
      given([webhookCreated({ active: false })])
        .when(activate)
        .then([{ type: 'WebhookActivated', data: { id } }]);
    });

    it('given an active webhook, when activated, then nothing happens', () => {
      given([created]).when(activate).then([]);
    });
  });

  describe('DeactivateWebhook', () => {
    it('given an active webhook, when an admin deactivates it, then WebhookDeactivated by admin', () => {
      given([created])
        .when(deactivate)
        .then([{ type: 'WebhookDeactivated', data: { id, reason: 'admin' } }]);
    });

    it('given an active webhook, when paused automatically, then the reason and detail are kept', () => {
      const detail = 'endpoint failed 50 deliveries in a row';
      given([created])
        .when({ type: 'DeactivateWebhook', data: { id, reason: 'automatic', detail } })
        .then([{ type: 'WebhookDeactivated', data: { id, reason: 'automatic', detail } }]);
    });

    it('given an active webhook, when paused automatically by a rule, then its kind is kept; an admin deactivation has none', () => {
      const detail = 'the endpoint answered 410 Gone';
      given([created])
        .when({
          type: 'DeactivateWebhook',
          data: { id, reason: 'automatic', detail, kind: 'gone' },
        })
        .then([
          { type: 'WebhookDeactivated', data: { id, reason: 'automatic', detail, kind: 'gone' } },
        ]);
      given([created])
        .when({ type: 'DeactivateWebhook', data: { id, reason: 'admin', kind: 'gone' } })
        .then([{ type: 'WebhookDeactivated', data: { id, reason: 'admin' } }]);
    });

    it('given an inactive webhook, when deactivated, then nothing happens', () => {
      given([created, deactivated]).when(deactivate).then([]);
      given([webhookCreated({ active: false })])
        .when(deactivate)
        .then([]);
    });
  });

  describe('RotateSecret', () => {
    it('given a webhook, when its secret is rotated, then the old one stays valid for the grace hours', () => {
      given([created])
        .when(rotate('second'))
        .then([
          {
            type: 'SecretRotated',
            data: {
              id,
              secret: secretRef('second'),
              secretHint: 'whsec_…second',
              previousSecret: secretRef('first'),
              previousSecretHint: 'whsec_…aSw1',
              previousSecretValidUntil: '2025-03-02T12:00:00.000Z',
              signatureScheme: 'symmetric',
              publicKey: null,
              previousSignatureScheme: 'symmetric',
              previousPublicKey: null,
            },
          },
        ]);
    });

    it('given a symmetric webhook, when rotated to an ed25519 key, then the event records both schemes and the new public key, never key material', () => {
      given([created])
        .when({
          type: 'RotateSecret',
          data: {
            id,
            secretId: 'second',
            secretHint: 'whpk_…abcd',
            signatureScheme: 'asymmetric',
            publicKey: 'whpk_abcd',
          },
        })
        .then([
          {
            type: 'SecretRotated',
            data: expect.objectContaining({
              secret: secretRef('second'),
              signatureScheme: 'asymmetric',
              publicKey: 'whpk_abcd',
              previousSignatureScheme: 'symmetric',
              previousPublicKey: null,
            }),
          },
        ]);
    });

    it('given an asymmetric webhook, when rotated to a whsec_ secret, then the previous scheme and public key are the ones replaced', () => {
      given([webhookCreated({ signatureScheme: 'asymmetric', publicKey: 'whpk_first' })])
        .when(rotate('second'))
        .then([
          {
            type: 'SecretRotated',
            data: expect.objectContaining({
              signatureScheme: 'symmetric',
              publicKey: null,
              previousSignatureScheme: 'asymmetric',
              previousPublicKey: 'whpk_first',
            }),
          },
        ]);
    });

    it('given an asymmetric rotation without a public key, when decided, then it is refused', () => {
      given([created])
        .when({
          type: 'RotateSecret',
          data: { id, secretId: 'second', secretHint: 'h', signatureScheme: 'asymmetric' },
        })
        .then(RangeError);
    });

    it('given a grace of 2 hours, when rotated, then the old secret is valid until now + 2h', () => {
      given([created])
        .when(rotate('second'), { ...testContext, secretRotationGraceHours: 2 })
        .then([
          {
            type: 'SecretRotated',
            data: expect.objectContaining({ previousSecretValidUntil: '2025-03-01T14:00:00.000Z' }),
          },
        ]);
    });

    it('given a rotated webhook, when rotated again, then the secret being replaced is the previous one', () => {
      const rotated: WebhookEvent = {
        type: 'SecretRotated',
        data: {
          id,
          secret: secretRef('second'),
          secretHint: 'whsec_…second',
          previousSecret: secretRef('first'),
          previousSecretHint: 'whsec_…aSw1',
          previousSecretValidUntil: '2025-03-01T00:00:00.000Z',
        },
      };
      given([created, rotated])
        .when(rotate('third'))
        .then([
          {
            type: 'SecretRotated',
            data: {
              id,
              secret: secretRef('third'),
              secretHint: 'whsec_…third',
              previousSecret: secretRef('second'),
              previousSecretHint: 'whsec_…second',
              previousSecretValidUntil: '2025-03-02T12:00:00.000Z',
              signatureScheme: 'symmetric',
              publicKey: null,
              previousSignatureScheme: 'symmetric',
              previousPublicKey: null,
            },
          },
        ]);
    });

    it('given an inactive webhook, when rotated, then the secret still rotates', () => {
      given([created, deactivated])
        .when(rotate('second'), { ...testContext, secretRotationGraceHours: 0 })
        .then([
          {
            type: 'SecretRotated',
            data: expect.objectContaining({ previousSecretValidUntil: '2025-03-01T12:00:00.000Z' }),
          },
        ]);
    });

    it('given a negative grace period, when rotated, then the misconfiguration is refused', () => {
      given([created])
        .when(rotate('second'), { ...testContext, secretRotationGraceHours: -1 })
        .then(RangeError);
    });
  });

  describe('DeleteWebhook', () => {
    it('given an active webhook, when deleted, then WebhookDeleted', () => {
      given([created]).when(remove).then([deleted]);
    });

    it('given an inactive webhook, when deleted, then WebhookDeleted', () => {
      given([created, deactivated]).when(remove).then([deleted]);
    });
  });

  describe.each(everyCommandButCreate.map((command) => [command.type, command] as const))(
    '%s',
    (_type, command) => {
      it('given no webhook, then it is not found', () => {
        given([]).when(command).then(WebhookNotFoundError);
      });

      it('given a deleted webhook, then it is not found', () => {
        given([created, deleted]).when(command).then(WebhookNotFoundError);
      });
    },
  );
});
