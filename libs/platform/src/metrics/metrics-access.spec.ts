import { metricsScrapeAllowed } from './metrics-access';

describe('metricsScrapeAllowed', () => {
  const token = 'metrics-scrape-token-0123456789';

  it('given no METRICS_TOKEN, when scraped without credentials, then it is allowed', () => {
    expect(metricsScrapeAllowed(undefined, undefined)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['another token', 'Bearer metrics-scrape-token-0123456780'],
    ['the token without the scheme', token],
    ['a prefix of the token', `Bearer ${token.slice(0, 10)}`],
    ['the token twice', ['Bearer x', `Bearer ${token}`]],
  ])('given METRICS_TOKEN, when scraped with %s, then it is refused', (_, header) => {
    expect(metricsScrapeAllowed(token, header)).toBe(false);
  });

  it('given METRICS_TOKEN, when scraped with it as a bearer token, then it is allowed', () => {
    expect(metricsScrapeAllowed(token, `Bearer ${token}`)).toBe(true);
    expect(metricsScrapeAllowed(token, `bearer  ${token}`)).toBe(true);
  });
});
