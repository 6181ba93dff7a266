import { InvalidDeliveryCursorError } from '../delivery-api.errors';
import {
  compareListOrder,
  decodeDeliveryCursor,
  encodeDeliveryCursor,
  positionBefore,
} from './delivery-position';

describe('delivery list positions and cursors', () => {
  const at = new Date('2026-03-01T12:00:00.123Z');

  it('orders newest first, then by id descending within the same millisecond', () => {
    const older = { createdAt: new Date(at.getTime() - 1), id: 'dlv_z' };
    expect(compareListOrder({ createdAt: at, id: 'dlv_a' }, older)).toBeLessThan(0);
    expect(compareListOrder({ createdAt: at, id: 'dlv_b' }, { createdAt: at, id: 'dlv_a' })).toBe(
      -1,
    );
    expect(compareListOrder({ createdAt: at, id: 'dlv_a' }, { createdAt: at, id: 'dlv_a' })).toBe(
      0,
    );
  });

  it('round-trips a position through an opaque base64url cursor', () => {
    const cursor = encodeDeliveryCursor({ createdAt: at, id: 'dlv_abc-_' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeDeliveryCursor(cursor)).toEqual({ createdAt: at, id: 'dlv_abc-_' });
  });

  it('round-trips the place before a time, which comes after every delivery created at it', () => {
    const before = positionBefore(at);
    expect(decodeDeliveryCursor(encodeDeliveryCursor(before))).toEqual(before);
    expect(compareListOrder(before, { createdAt: at, id: 'dlv_a' })).toBeGreaterThan(0);
    expect(
      compareListOrder(before, { createdAt: new Date(at.getTime() - 1), id: 'dlv_z' }),
    ).toBeLessThan(0);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON of the wrong shape', Buffer.from('[1,2]').toString('base64url')],
    ['a bad time', Buffer.from('{"t":"yesterday","id":"dlv_a"}').toString('base64url')],
    ['an empty id', Buffer.from('{"t":"2026-01-01T00:00:00Z","id":""}').toString('base64url')],
    ['null', Buffer.from('null').toString('base64url')],
  ])('rejects %s', (_label, cursor) => {
    expect(() => decodeDeliveryCursor(cursor)).toThrow(InvalidDeliveryCursorError);
  });
});
