import {
  failedDeliveriesFilter,
  filterParams,
  readDeliveryFilters,
  readWebhookFilters,
} from './list-filters';

describe('list filters in the page URL', () => {
  it('given a shared webhooks URL, when read, then search, status and page are restored', () => {
    const filters = readWebhookFilters(
      new URLSearchParams('search=slack&env=production&status=inactive&cursor=abc'),
    );
    expect(filters).toEqual({ search: 'slack', status: 'inactive', cursor: 'abc' });
  });

  it('given values the API would refuse, when read, then they are dropped, not sent', () => {
    const filters = readWebhookFilters(new URLSearchParams('status=archived'));
    expect(filters).toEqual({ search: '', status: '', cursor: '' });
    const deliveries = readDeliveryFilters(
      new URLSearchParams(
        'status=lost&eventType=<script>&webhookId=w1&from=yesterday&to=2026-13-45T00:00:00Z&statusClass=6xx',
      ),
    );
    expect(deliveries).toEqual({
      webhookId: 'w1',
      status: '',
      eventType: '',
      eventId: '',
      from: '',
      to: '',
      statusClass: '',
      cursor: '',
    });
  });

  it('given a deliveries search by event id, time range and response class, when read, then each is kept, the times in UTC', () => {
    const deliveries = readDeliveryFilters(
      new URLSearchParams(
        'eventId=%20evt_42%20&from=2026-12-01T08:00:00%2B01:00&to=2026-12-02T00:00:00.000Z&statusClass=none',
      ),
    );
    expect(deliveries).toMatchObject({
      eventId: 'evt_42',
      from: '2026-12-01T07:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
      statusClass: 'none',
    });
  });

  it('given delivery filters, when read, then the test event type is accepted like catalogue types', () => {
    expect(readDeliveryFilters(new URLSearchParams('eventType=webhook.test')).eventType).toBe(
      'webhook.test',
    );
  });

  it('given filters with empty values, when written, then only the set ones appear', () => {
    const params = filterParams({ search: 'crm', status: 'active', cursor: '' });
    expect(params.toString()).toBe('search=crm&status=active');
  });

  it('given filters written and read back, then nothing changes', () => {
    const filters = { search: 'a b&c', status: 'active', cursor: 'x' };
    expect(readWebhookFilters(filterParams(filters))).toEqual(filters);
    const deliveries = {
      webhookId: 'w1',
      status: 'failed',
      eventType: 'license.created',
      eventId: 'evt_1',
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
      statusClass: '5xx',
      cursor: 'c',
    };
    expect(readDeliveryFilters(filterParams(deliveries))).toEqual(deliveries);
  });

  it("given the log's filters, when turned into a bulk retry's filter, then the status is dropped, the environment added and empty values left out", () => {
    const filters = readDeliveryFilters(
      new URLSearchParams('webhookId=w1&status=failed&statusClass=5xx&from=2026-12-01T00:00:00Z'),
    );
    expect(failedDeliveriesFilter(filters, 'staging')).toEqual({
      webhookId: 'w1',
      environment: 'staging',
      statusClass: '5xx',
      from: '2026-12-01T00:00:00.000Z',
    });
    expect(failedDeliveriesFilter(readDeliveryFilters(new URLSearchParams()), undefined)).toEqual(
      {},
    );
  });
});
