import { scopesOf } from './delivery-scopes';

const keys = (summary: Parameters<typeof scopesOf>[0]) => scopesOf(summary).map((s) => s.key);

describe('the directory scopes that list a delivery summary', () => {
  it('given a delivery that succeeded, when listed, then only the broad scopes list it (no webhook failure scope)', () => {
    expect(
      keys({
        webhookId: 'wh',
        eventType: 'license.created',
        status: 'succeeded',
        environment: 'production',
        lastAttempt: { responseStatus: 204 } as never,
      }),
    ).toEqual(['a', 'w:wh', 't:license.created', 's:succeeded', 'env:production', 'c:2xx']);
  });

  it("given a failed delivery, when listed, then the webhook's failures and its class of failure list it too", () => {
    expect(
      keys({
        webhookId: 'wh',
        eventType: 'license.created',
        status: 'failed',
        lastAttempt: { responseStatus: 503 } as never,
      }),
    ).toEqual([
      'a',
      'w:wh',
      't:license.created',
      's:failed',
      'c:5xx',
      'w:wh/s:failed',
      'w:wh/c:5xx',
    ]);
  });

  it("given a delivery retrying after no answer, when listed, then the webhook's no-answer scope lists it, not its failures", () => {
    expect(
      keys({
        webhookId: 'wh',
        eventType: 'license.created',
        status: 'retrying',
        lastAttempt: { responseStatus: null } as never,
      }),
    ).toEqual(['a', 'w:wh', 't:license.created', 'c:none', 'w:wh/c:none']);
  });
});
