import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** The request as IdempotencyInterceptor leaves it for the handler. */
export interface IdempotentRequest {
  /** Set when the request carries an Idempotency-Key and this process runs it. */
  idempotencyScope?: string;
}

/**
 * The stable hash (hex sha-256) of the request's Idempotency-Key scope (caller, method, path,
 * key), or undefined when the request has no key. It is the same on every run of the request, also
 * when a retry takes over from a process that died mid-request: use it to derive ids (e.g. of the
 * webhook a create makes) so a re-run after a crash creates nothing twice.
 */
export const IdempotencyScope = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    context.switchToHttp().getRequest<IdempotentRequest>().idempotencyScope,
);
