import {
  createRequest,
  emptyFormValues,
  formValuesOf,
  updateRequest,
  type WebhookLike,
} from './webhook-form';

const order = ['license.created', 'activation.created', 'activation.failed'];
const existing: WebhookLike = {
  name: 'CRM Sync',
  url: 'https://crm.example.com/hooks',
  environment: 'production',
  description: null,
  status: 'active',
  eventTypes: ['license.created'],
};

describe('the webhook form as API requests', () => {
  it("given a current environment, when a new webhook's form opens, then it starts in that environment (production under All)", () => {
    expect(emptyFormValues('staging').environment).toBe('staging');
    expect(emptyFormValues(undefined).environment).toBe('production');
  });

  it('given a new webhook with events ticked out of order, when saved, then they are sent in catalogue order', () => {
    const values = {
      ...formValuesOf(existing),
      name: 'Slack Activation Alerts',
      eventTypes: new Set(['activation.failed', 'activation.created']),
    };
    expect(createRequest(values, 'whsec_x', order)).toEqual({
      name: 'Slack Activation Alerts',
      url: 'https://crm.example.com/hooks',
      environment: 'production',
      eventTypes: ['activation.created', 'activation.failed'],
      description: null,
      active: true,
      secret: 'whsec_x',
    });
  });

  it('given an unchanged form, when saved, then nothing is asked to change', () => {
    expect(updateRequest(existing, formValuesOf(existing), order)).toEqual({
      changes: {},
      statusChange: null,
    });
  });

  it('given only the URL edited (Workflow 2), when saved, then only the URL is sent', () => {
    const values = { ...formValuesOf(existing), url: ' https://crm.example.com/v2 ' };
    expect(updateRequest(existing, values, order).changes).toEqual({
      url: 'https://crm.example.com/v2',
    });
  });

  it('given a description cleared and events changed and the status switched off, then each shows', () => {
    const original = { ...existing, description: 'notes' };
    const values = {
      ...formValuesOf(original),
      description: '  ',
      active: false,
      eventTypes: new Set(['activation.created', 'license.created']),
    };
    expect(updateRequest(original, values, order)).toEqual({
      changes: { description: null, eventTypes: ['license.created', 'activation.created'] },
      statusChange: 'deactivate',
    });
  });
});
