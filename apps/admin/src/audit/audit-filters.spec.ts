import { readAuditFilters, typeList } from './audit-filters';

describe('the audit filters in the address', () => {
  it('reads actor, types, webhook, times and cursor, dropping what the API would refuse', () => {
    // When
    const filters = readAuditFilters(
      new URLSearchParams({
        actor: ' user:alice ',
        type: 'SecretRevealed, WebhookDeleted,,not a type',
        webhookId: 'not-a-uuid',
        from: '2026-12-01T10:00:00+01:00',
        to: 'yesterday',
        cursor: 'abc',
      }),
    );

    // Then
    expect(filters).toEqual({
      actor: 'user:alice',
      type: 'SecretRevealed,WebhookDeleted',
      webhookId: '',
      from: '2026-12-01T09:00:00.000Z',
      to: '',
      cursor: 'abc',
    });
  });

  it('keeps a list of types as the API reads it', () => {
    expect(typeList('A,B, C ')).toBe('A,B,C');
    expect(typeList('')).toBe('');
  });
});
