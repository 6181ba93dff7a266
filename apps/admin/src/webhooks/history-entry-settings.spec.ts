import { describeHistoryEntry } from './history-entry';

describe('a DeliverySettingsChanged history entry in words', () => {
  it('given a policy override, a cap and header changes, then each reads from → to, headers by name only', () => {
    const described = describeHistoryEntry('DeliverySettingsChanged', {
      changes: {
        retryPolicy: { from: null, to: { retryIntervalsSeconds: [10, 60], jitter: 0.1 } },
        rateLimitPerSecond: { from: 5, to: null },
        headers: { added: ['authorization'], removed: ['x-old'], changed: ['x-team'] },
      },
    });

    expect(described).toEqual({
      title: 'Delivery settings changed',
      lines: [
        { label: 'Retry policy', from: 'Default', to: 'Retries after 10, 60 s, jitter 0.1' },
        { label: 'Rate limit', from: '5 per second', to: 'No limit' },
        {
          label: 'Custom headers',
          to: 'added authorization; removed x-old; changed x-team',
        },
      ],
    });
  });
});
