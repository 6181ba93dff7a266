import { formatDuration } from './format';

describe('durations as people read them', () => {
  it.each([
    [5, '5 s'],
    [300, '5 min'],
    [1800, '30 min'],
    [7200, '2 h'],
    [36_000, '10 h'],
    [99_390, '1 d 3 h'],
    [3_725, '1 h 2 min'],
  ])('%i seconds read as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
