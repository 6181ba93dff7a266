import { parsePlatformEvent } from './platform-event.parser';

const valid = {
  id: 'evt_123',
  type: 'license.created',
  environment: 'production',
  occurredAt: '2026-11-27T10:00:00.000Z',
  data: { licenseKey: 'LIC-1' },
};
const parse = (value: unknown) =>
  parsePlatformEvent(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('parsePlatformEvent', () => {
  it('given a valid envelope, then it is the event with exactly the five fields', () => {
    expect(parse({ ...valid, extra: 'dropped' })).toEqual({ ok: true, event: valid });
  });

  it.each([
    ['an empty value', '', /empty/],
    ['not JSON', '{nope', /not JSON/],
    ['a JSON array', '[1,2]', /not a JSON object/],
    ['a missing id', { ...valid, id: undefined }, /id must be a string/],
    ['an id with spaces', { ...valid, id: 'evt 1' }, /printable ASCII/],
    [
      'an unknown type',
      { ...valid, type: 'license.exploded' },
      /"license\.exploded" is not in the catalogue/,
    ],
    ['an unknown environment', { ...valid, environment: 'qa' }, /environment "qa" must be one of/],
    ['a bad time', { ...valid, occurredAt: 'yesterday' }, /occurredAt must be an ISO-8601 time/],
    ['data that is not an object', { ...valid, data: 'text' }, /data must be a JSON object/],
  ])('given %s, then it is refused with the reason', (_, value, reason) => {
    const parsed = parse(value);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });

  it('given a null value (a tombstone), then it is refused', () => {
    expect(parsePlatformEvent(null)).toEqual({ ok: false, reason: 'empty message value' });
  });
});
