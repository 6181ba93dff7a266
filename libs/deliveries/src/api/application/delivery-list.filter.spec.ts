import { deliveryEqualities, listScopeOf } from './delivery-list.filter';

describe('the scope a filtered delivery list walks', () => {
  it.each([
    [{}, 'a'],
    [{ webhookId: 'wh', environment: 'staging' }, 'w:wh'],
    [{ webhookId: 'wh', status: 'succeeded', statusClass: '2xx' }, 'w:wh'],
    // A webhook's failures among its successes: the support case, and what "recover" reads.
    [{ webhookId: 'wh', status: 'failed', statusClass: '5xx' }, 'w:wh/s:failed'],
    [{ webhookId: 'wh', statusClass: '4xx', environment: 'staging' }, 'w:wh/c:4xx'],
    [{ eventType: 'license.created', status: 'failed' }, 't:license.created'],
    [{ status: 'failed', statusClass: '5xx' }, 's:failed'],
    [{ status: 'succeeded', statusClass: '4xx' }, 'c:4xx'],
    [{ statusClass: 'none', environment: 'staging' }, 'c:none'],
    [{ statusClass: '2xx', environment: 'staging' }, 'env:staging'],
    [{ status: 'succeeded', environment: 'production' }, 's:succeeded'],
    [{ statusClass: '2xx', environment: 'production' }, 'c:2xx'],
    [{ environment: 'production' }, 'env:production'],
  ] as const)('given %j, then it walks %s', (filter, scope) => {
    expect(listScopeOf(filter)?.key).toBe(scope);
  });

  it('given an event id, or work in progress, then nothing is walked: they are read at once', () => {
    expect(listScopeOf({ eventId: 'evt_1', webhookId: 'wh' })).toBeNull();
    expect(listScopeOf({ status: 'retrying', statusClass: '5xx' })).toBeNull();
  });

  it('given combined filters, then each is an equality on what is read', () => {
    expect(
      deliveryEqualities({
        webhookId: 'wh',
        status: 'failed',
        environment: 'staging',
        statusClass: 'none',
        from: new Date(0),
      }),
    ).toEqual({ webhookId: 'wh', status: 'failed', environment: 'staging', statusClass: 'none' });
  });
});
