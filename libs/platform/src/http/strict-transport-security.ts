import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Express-style middleware that sends `Strict-Transport-Security` with every answer, so a browser
 * that once reached the api over HTTPS never falls back to HTTP for it (HTTP_HSTS_MAX_AGE). Only
 * for an api served over HTTPS (directly or by a proxy that keeps the header): browsers ignore
 * it over plain HTTP.
 */
export function strictTransportSecurity(maxAgeSeconds: number) {
  const value = `max-age=${maxAgeSeconds}; includeSubDomains`;
  return (_request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    response.setHeader('Strict-Transport-Security', value);
    next();
  };
}
