import { InvalidIdempotencyKeyError, parseIdempotencyKey } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it('given no header, when parsed, then there is no key', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each([
    ['a UUID', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['one character', 'x'],
    ['255 characters', 'k'.repeat(255)],
    ['every visible ASCII character', '!"#$%&\'()*+,-./0123456789:;<=>?@[\\]^_`{|}~Az'],
    ['a draft-style quoted key, quotes kept', '"8e03978e"'],
  ])('given %s, when parsed, then the key is the value as sent', (_what, value) => {
    expect(parseIdempotencyKey(value)).toBe(value);
  });

  it.each([
    ['empty', '', 'is empty'],
    ['256 characters', 'k'.repeat(256), 'longer than 255'],
    ['an inner space', 'order 42', 'visible ASCII'],
    ['a tab', 'order\t42', 'visible ASCII'],
    ['a control character', 'order\u000142', 'visible ASCII'],
    ['a non-ASCII letter', 'bestellung-ä', 'visible ASCII'],
    ['two headers joined by Node', 'a, b', 'visible ASCII'],
  ])(
    'given %s, when parsed, then InvalidIdempotencyKeyError names the header',
    (_what, value, reason) => {
      const parse = () => parseIdempotencyKey(value);

      expect(parse).toThrow(InvalidIdempotencyKeyError);
      expect(parse).toThrow(/^The Idempotency-Key header /);
      expect(parse).toThrow(reason);
    },
  );

  it('given a rejected value, when parsed, then the message does not repeat it', () => {
    expect(() => parseIdempotencyKey('private note with spaces')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('private') }),
    );
  });

  it('given the header as an array, when parsed, then it is rejected as sent more than once', () => {
    expect(() => parseIdempotencyKey(['a', 'b'])).toThrow('more than once');
  });
});
