import { filterParams, readDeliveryFilters, readWebhookFilters } from './list-filters';

describe('list filters in the page URL', () => {
  it('given a shared webhooks URL, when read, then search, environment, status and page are restored', () => {
    const filters = readWebhookFilters(
      new URLSearchParams('search=slack&environment=production&status=inactive&cursor=abc'),
    );
    expect(filters).toEqual({
      search: 'slack',
      environment: 'production',
      status: 'inactive',
      cursor: 'abc',
    });
  });

  it('given values the API would refuse, when read, then they are dropped, not sent', () => {
    const filters = readWebhookFilters(new URLSearchParams('environment=moon&status=deleted'));
    expect(filters).toEqual({ search: '', environment: '', status: '', cursor: '' });
    const deliveries = readDeliveryFilters(
      new URLSearchParams('status=lost&eventType=<script>&webhookId=w1'),
    );
    expect(deliveries).toEqual({ webhookId: 'w1', status: '', eventType: '', cursor: '' });
  });

  it('given delivery filters, when read, then the test event type is accepted like catalogue types', () => {
    expect(readDeliveryFilters(new URLSearchParams('eventType=webhook.test')).eventType).toBe(
      'webhook.test',
    );
  });

  it('given filters with empty values, when written, then only the set ones appear', () => {
    const params = filterParams({ search: 'crm', environment: '', status: 'active', cursor: '' });
    expect(params.toString()).toBe('search=crm&status=active');
  });

  it('given filters written and read back, then nothing changes', () => {
    const filters = { search: 'a b&c', environment: 'staging', status: 'active', cursor: 'x' };
    expect(readWebhookFilters(filterParams(filters))).toEqual(filters);
  });
});
