import { AppendContentionError, ConcurrencyError } from '@app/event-store';
import { ProblemDetailsFilter } from '@app/platform';
import { InvalidIfMatchError, etagOf } from '@app/platform';
import {
  WebhookAlreadyExistsError,
  WebhookNotFoundError,
  WebhookValidationError,
} from './domain/webhook.errors';
import { WebhookDirectoryBehindError } from './application/webhook-directory.host';
import { InvalidCursorError } from './read-models/webhook-list.cursor';

/** How the webhook domain's failures read as RFC 9457 problems. */
export function registerWebhookProblems(): () => void {
  const unregister = [
    ProblemDetailsFilter.register(WebhookValidationError, (error) => ({
      status: 400,
      type: 'validation-error',
      title: 'The request is not valid',
      detail: 'One or more fields are not valid.',
      errors: error.fields.map(({ field, message }) => ({ field, message })),
    })),
    ProblemDetailsFilter.register(WebhookNotFoundError, (error) => ({
      status: 404,
      type: 'webhook-not-found',
      title: 'Webhook not found',
      detail: `There is no webhook ${error.webhookId}.`,
    })),
    ProblemDetailsFilter.register(WebhookAlreadyExistsError, (error) => ({
      status: 409,
      type: 'webhook-exists',
      title: 'Webhook already exists',
      detail: `Webhook ${error.webhookId} exists or existed; ids are never reused.`,
    })),
    ProblemDetailsFilter.register(ConcurrencyError, (error) => ({
      status: 412,
      type: 'version-conflict',
      title: 'The webhook changed since you read it',
      detail: `You edited version ${error.expectedVersion}; it is now at version ${error.actualVersion}. Reload and apply your change again.`,
      extensions: { currentVersion: error.actualVersion },
      headers: { ETag: etagOf(error.actualVersion) },
    })),
    ProblemDetailsFilter.register(InvalidIfMatchError, (error) => ({
      status: 400,
      type: 'invalid-if-match',
      title: 'Invalid If-Match header',
      detail: error.message,
    })),
    ProblemDetailsFilter.register(InvalidCursorError, (error) => ({
      status: 400,
      type: 'invalid-cursor',
      title: 'Invalid cursor',
      detail: error.message,
    })),
    ProblemDetailsFilter.register(WebhookDirectoryBehindError, () => ({
      status: 503,
      type: 'webhooks-catching-up',
      title: 'The webhook list is catching up',
      detail: 'This api has not read the latest webhook changes yet; try again.',
      headers: { 'Retry-After': '1' },
    })),
    ProblemDetailsFilter.register(AppendContentionError, () => ({
      status: 503,
      type: 'write-contention',
      title: 'Too many concurrent writes',
      detail: 'The change was not saved because of heavy write contention; try again.',
      headers: { 'Retry-After': '1' },
    })),
  ];
  return () => unregister.forEach((remove) => remove());
}
