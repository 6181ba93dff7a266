import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal';

/**
 * Who asks and in which request chain: becomes the metadata of every event the command causes
 * (a type, not an interface, so it is an event store's EventMetadata as it stands).
 */
export type RequestMetadata = {
  actor: string;
  correlationId: string;
  causationId: string;
};

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
