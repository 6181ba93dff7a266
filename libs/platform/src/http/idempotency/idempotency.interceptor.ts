import {
  Injectable,
  Logger,
  StreamableFile,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { RESPONSE_PASSTHROUGH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { of, type Observable } from 'rxjs';
import type { Principal } from '../../auth/principal';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  parseIdempotencyKey,
} from './idempotency-key';
import type { StoredResponse } from './idempotency-record';
import { IdempotencyKeyReusedError, IdempotentRequestInProgressError } from './idempotency.errors';
import type { IdempotentRequest } from './idempotency-scope.decorator';
import { IdempotencyStore } from './idempotency.store';
import { idempotencyScope, requestFingerprint } from './request-fingerprint';
import { recordResponse } from './response-recorder';

/** Larger responses are not kept: the run is released and a retry runs again. */
export const MAX_RECORDED_BODY_BYTES = 1024 * 1024;

type Request = IncomingMessage &
  IdempotentRequest & { user?: Principal; body?: unknown; originalUrl?: string };

/**
 * Makes every POST that carries an `Idempotency-Key` header safe to retry
 * (draft-ietf-httpapi-idempotency-key-header): the first request with a key runs and its outcome is
 * stored; a repeat with the same key and body gets that outcome again, marked
 * `Idempotent-Replayed: true`, without running. Keys are scoped to the caller (the token's `sub`),
 * the method and the path; the body's fingerprint must match (else 422); a repeat while the first
 * still runs gets 409 with `Retry-After`. 2xx to 4xx outcomes are kept (the same request gets the
 * same answer); a 5xx is not, so a retry runs again. Without the header, or on a route without a
 * caller (@Public: the key could not be scoped), nothing changes.
 *
 * Runs after the guard (so the caller is known) and before the pipes (so a validation error is an
 * outcome like any other). Installed as APP_INTERCEPTOR by IdempotencyModule.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(private readonly store: IdempotencyStore) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (request.method !== 'POST' || !request.user) return next.handle();
    const key = parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()]);
    if (key === undefined) return next.handle();

    const scope = idempotencyScope({
      principalId: request.user.id,
      method: request.method,
      path: (request.originalUrl ?? request.url ?? '').split('?')[0],
      key,
    });
    const admission = await this.store.admit(scope, requestFingerprint(request.body));
    const response = http.getResponse<ServerResponse>();
    switch (admission.outcome) {
      case 'reused':
        throw new IdempotencyKeyReusedError();
      case 'in-progress':
        throw new IdempotentRequestInProgressError();
      case 'replay':
        return of(replay(response, admission.response, routeWritesResponse(context)));
      case 'run': {
        const { claim } = admission;
        request.idempotencyScope = scope;
        // A client gone before the end: stop renewing, so a request that never ends cannot hold
        // the key for good; its lease then lapses unless it still ends (and is stored) in time.
        response.once('close', () => claim.stopRenewal());
        recordResponse(response, MAX_RECORDED_BODY_BYTES, async (recorded) => {
          try {
            if (recorded && recorded.status < 500) return await claim.complete(recorded);
            if (!recorded) {
              this.logger.warn(
                `a response over ${MAX_RECORDED_BODY_BYTES} bytes is not kept for replay (scope ${scope})`,
              );
            }
            await claim.release();
          } catch (error) {
            // The response still goes out; the record stays in progress until its lease lapses.
            this.logger.warn(
              `storing the outcome of idempotency scope ${scope} failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        });
        return next.handle();
      }
    }
  }
}

/**
 * The stored outcome, sent as it was sent the first time. Nest writes the body it is given, except
 * on a route that writes its response itself (`@Res()` without passthrough): there it is written
 * here, as Nest would not.
 */
function replay(
  response: ServerResponse,
  stored: StoredResponse,
  routeWritesResponse: boolean,
): StreamableFile | undefined {
  response.statusCode = stored.status;
  for (const [name, value] of Object.entries(stored.headers)) response.setHeader(name, value);
  response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  if (routeWritesResponse) {
    response.setHeader('Content-Length', stored.body.length);
    response.end(stored.body);
    return undefined;
  }
  if (stored.body.length === 0) return undefined;
  return new StreamableFile(stored.body, {
    type: stored.headers['content-type'],
    length: stored.body.length,
  });
}

/** Whether the route takes the response (`@Res()`, `@Next()`) without passthrough, as Nest decides. */
function routeWritesResponse(context: ExecutionContext): boolean {
  const controller = context.getClass();
  const method = context.getHandler().name;
  const parameters = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    unknown
  >;
  // Keys are `<RouteParamtypes>:<index>`.
  const writers = new Set([`${RouteParamtypes.RESPONSE}`, `${RouteParamtypes.NEXT}`]);
  const takesResponse = Object.keys(parameters).some((key) => writers.has(key.split(':')[0]));
  const passthrough = Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, controller, method) as
    boolean | undefined;
  return takesResponse && !passthrough;
}
