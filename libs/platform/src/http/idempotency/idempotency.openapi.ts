import type { OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH } from './idempotency-key';

const PARAMETER = 'IdempotencyKey';

/**
 * Documents the Idempotency-Key header once, as a shared parameter, and refers to it from every
 * POST operation, with the 409 and 422 it can cause (IdempotencyInterceptor applies to every POST
 * with a caller). Call it on the generated document.
 */
export function documentIdempotencyKey(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.parameters ??= {};
  document.components.parameters[PARAMETER] = {
    name: IDEMPOTENCY_KEY_HEADER,
    in: 'header',
    required: false,
    description:
      'Makes the POST safe to retry: the first request with a key runs; a repeat with the same key and body returns its outcome (status, Location, ETag, body) with `Idempotent-Replayed: true`. Scoped to the caller, method and path; kept for IDEMPOTENCY_KEY_TTL_HOURS. 4xx outcomes are kept too, 5xx are not. See docs/api.md.',
    schema: {
      type: 'string',
      minLength: 1,
      maxLength: IDEMPOTENCY_KEY_MAX_LENGTH,
      pattern: '^[\\x21-\\x7E]+$',
    },
    example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
  };
  for (const path of Object.values(document.paths)) {
    const post = path.post;
    if (!post) continue;
    post.parameters = [
      ...(post.parameters ?? []),
      { $ref: `#/components/parameters/${PARAMETER}` },
    ];
    post.responses['409'] ??= {
      description:
        'The first request with this Idempotency-Key is still in progress (Retry-After).',
    };
    post.responses['422'] ??= {
      description: 'This Idempotency-Key was used with a different body.',
    };
  }
  return document;
}
