import { randomUUID } from 'node:crypto';
import type { Principal } from '@app/platform';
import type { RequestMetadata } from '../application/request-metadata';

const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Event metadata for a request: the caller's token subject as actor; the caller's
 * `X-Correlation-Id` when it is a sane id (so one action can be traced across services), else a new
 * one; a fresh id for this request as the cause.
 */
export function requestMetadata(
  principal: Principal,
  correlationHeader: string | undefined,
): RequestMetadata {
  const requestId = randomUUID();
  const correlationId =
    correlationHeader && ID_PATTERN.test(correlationHeader) ? correlationHeader : requestId;
  return { actor: `user:${principal.id}`, correlationId, causationId: `request:${requestId}` };
}
