import { recoverySince } from './recovery-since';

describe('where recovery after a pause starts', () => {
  it('given a pause after failing for hours, then it starts when every attempt began to fail', () => {
    const since = recoverySince({
      kind: 'failing',
      reason:
        'every delivery attempt failed since 2026-12-01T03:00:00.000Z (last: connect ECONNREFUSED)',
      at: '2026-12-02T03:00:05.000Z',
    });
    expect(since).toBe('2026-12-01T03:00:00.000Z');
  });

  it('given a pause for 410 Gone, then it starts an hour before the pause', () => {
    const since = recoverySince({
      kind: 'gone',
      reason: 'the endpoint answered 410 Gone',
      at: '2026-12-02T08:30:00.000Z',
    });
    expect(since).toBe('2026-12-02T07:30:00.000Z');
  });

  it('given a reason naming a time after the pause (nonsense), then the hour before the pause', () => {
    const since = recoverySince({
      kind: 'failing',
      reason: 'every delivery attempt failed since 2030-01-01T00:00:00Z',
      at: '2026-12-02T08:30:00.000Z',
    });
    expect(since).toBe('2026-12-02T07:30:00.000Z');
  });
});
