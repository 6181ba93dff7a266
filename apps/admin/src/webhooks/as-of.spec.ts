import type { Webhook } from '../api/types';
import { asOfFields } from './as-of';

const v1 = {
  id: 'w1',
  name: 'CRM',
  url: 'https://crm.example.com/hooks',
  environment: 'production',
  eventTypes: ['license.created'],
  eventCount: 1,
  description: null,
  status: 'active',
  secretHint: 'whsec_…abcd',
  version: 1,
  createdAt: '2026-05-01T00:00:00.000Z',
  updatedAt: '2026-05-01T00:00:00.000Z',
} as unknown as Webhook;

describe('the webhook as of a history entry', () => {
  it('lists its fields and marks what the entry changed, from what', () => {
    // Given
    const v2 = {
      ...v1,
      name: 'CRM v2',
      eventTypes: ['license.created', 'license.assigned'],
      version: 2,
    };

    // When
    const fields = asOfFields(v2 as Webhook, v1);

    // Then
    expect(fields.filter((field) => field.before !== undefined)).toEqual([
      { label: 'Name', value: 'CRM v2', before: 'CRM' },
      { label: 'Events', value: 'license.created, license.assigned', before: 'license.created' },
    ]);
    expect(fields.map((field) => field.label)).toEqual([
      'Name',
      'Target URL',
      'Environment',
      'Events',
      'Description',
      'Status',
      'Secret',
    ]);
  });

  it('marks nothing for the first version or an activity entry (no version before)', () => {
    expect(asOfFields(v1, null).some((field) => field.before !== undefined)).toBe(false);
  });

  it('shows fields it does not know by their name, so new settings are not hidden', () => {
    // Given
    const withSetting = { ...v1, rateLimitPerSecond: 5 } as unknown as Webhook;

    // When
    const fields = asOfFields(withSetting, {
      ...v1,
      rateLimitPerSecond: null,
    });

    // Then
    expect(fields.at(-1)).toEqual({ label: 'rateLimitPerSecond', value: '5', before: '(none)' });
  });
});
