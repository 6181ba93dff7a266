import {
  createSettingsRequest,
  parseIntervals,
  settingsValuesOf,
  updateSettingsRequest,
} from './delivery-settings-form';

const defaults = { retryPolicy: null, rateLimitPerSecond: null, headers: {} };

describe('delivery settings form', () => {
  it('given a webhook with the defaults, then the form follows the default policy, prefilled from it for a switch to custom', () => {
    const values = settingsValuesOf(defaults, { retryIntervalsSeconds: [5, 300], jitter: 0.2 });

    expect(values).toEqual({
      policy: 'default',
      intervals: '5, 300',
      jitter: '0.2',
      rateLimit: '',
      headers: [],
    });
  });

  it('given a webhook with its own settings, then the form shows them', () => {
    expect(
      settingsValuesOf({
        retryPolicy: { retryIntervalsSeconds: [10, 60], jitter: 0 },
        rateLimitPerSecond: 5,
        headers: { authorization: 'Bearer t' },
      }),
    ).toEqual({
      policy: 'custom',
      intervals: '10, 60',
      jitter: '0',
      rateLimit: '5',
      headers: [{ name: 'authorization', value: 'Bearer t' }],
    });
  });

  it('parses intervals separated by commas or spaces, leaving bad ones for the API to name', () => {
    expect(parseIntervals(' 10, 60 600,')).toEqual([10, 60, 600]);
    expect(parseIntervals('10, soon')).toEqual([10, Number.NaN]);
  });

  it('when creating, then only settings other than the defaults are sent, empty header rows dropped', () => {
    expect(createSettingsRequest(settingsValuesOf(defaults))).toEqual({});
    expect(
      createSettingsRequest({
        policy: 'custom',
        intervals: '1, 2',
        jitter: '0',
        rateLimit: '3',
        headers: [
          { name: 'X-Team', value: 'crm' },
          { name: '', value: '' },
        ],
      }),
    ).toEqual({
      retryPolicy: { retryIntervalsSeconds: [1, 2], jitter: 0 },
      rateLimitPerSecond: 3,
      headers: { 'X-Team': 'crm' },
    });
  });

  it('when editing, then only the settings that changed are sent (header names compare case-insensitively)', () => {
    const original = {
      retryPolicy: { retryIntervalsSeconds: [10], jitter: 0 },
      rateLimitPerSecond: 5,
      headers: { 'x-team': 'crm' },
    };
    const unchanged = settingsValuesOf(original);
    expect(updateSettingsRequest(original, unchanged)).toEqual({});
    expect(
      updateSettingsRequest(original, {
        ...unchanged,
        headers: [{ name: 'X-Team', value: 'crm' }],
      }),
    ).toEqual({});

    expect(
      updateSettingsRequest(original, { ...unchanged, policy: 'default', rateLimit: '' }),
    ).toEqual({ retryPolicy: null, rateLimitPerSecond: null });
    expect(updateSettingsRequest(original, { ...unchanged, headers: [] })).toEqual({
      headers: {},
    });
  });
});
