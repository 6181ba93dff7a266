import { performance } from 'node:perf_hooks';

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of a list of durations in ms. */
export function summarize(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const rank = (p: number): number => {
    if (sorted.length === 0) return Number.NaN;
    return sorted[
      Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
    ];
  };
  return {
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Runs `fn` and returns its result with the elapsed wall time in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
  const started = performance.now();
  const result = await fn();
  return { result, elapsedMs: performance.now() - started };
}

export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : Number.NaN;
}

/** 1234.5 -> "1,235". */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

/** A duration in ms with a precision that suits its size: "0.84 ms", "12.3 ms", "1,234 ms", "21.8 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${formatCount(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatLatencies(summary: LatencySummary): string {
  return `p50 ${formatMs(summary.p50)}, p95 ${formatMs(summary.p95)}, p99 ${formatMs(summary.p99)}`;
}

/** An integer of at least `min` (1: a positive one) from the environment, or `fallback` when unset. */
export function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    const wanted = min === 1 ? 'a positive integer' : `an integer of at least ${min}`;
    throw new Error(`${name} must be ${wanted} (got "${raw}")`);
  }
  return value;
}
