import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer +(\S+)$/i;
const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether a scrape may read /metrics: always without METRICS_TOKEN, else only with
 * `Authorization: Bearer <METRICS_TOKEN>`. Compared in constant time (over digests, so the
 * token's length does not show either).
 */
export function metricsScrapeAllowed(
  token: string | undefined,
  authorization: string | string[] | undefined,
): boolean {
  if (token === undefined) return true;
  if (typeof authorization !== 'string') return false;
  const presented = BEARER.exec(authorization.trim())?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}
