import { fromLocalInput, toLocalInput } from './local-time';

describe('times between datetime-local inputs and the API', () => {
  it('given an instant, when shown in an input and read back, then it is the same second', () => {
    const iso = '2026-12-02T07:45:12.000Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
  });

  it('given an input value, when read, then it is the instant of that wall-clock time here', () => {
    const local = new Date(2026, 11, 2, 9, 30);
    expect(fromLocalInput('2026-12-02T09:30')).toBe(local.toISOString());
    expect(fromLocalInput('2026-12-02T09:30:00')).toBe(local.toISOString());
    expect(toLocalInput(local.toISOString())).toBe('2026-12-02T09:30:00');
  });

  it('given nothing or nonsense, then there is no time rather than a wrong one', () => {
    expect(toLocalInput('')).toBe('');
    expect(toLocalInput('soon')).toBe('');
    expect(fromLocalInput('')).toBe('');
    expect(fromLocalInput('2026-12-02')).toBe('');
  });
});
