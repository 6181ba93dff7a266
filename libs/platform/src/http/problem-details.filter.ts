import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';
import { throwError } from 'rxjs';
import {
  ErrorClass,
  ProblemDetails,
  ProblemFieldError,
  ProblemMapper,
  ProblemMapperRegistry,
  ProblemMapping,
  problemType,
} from './problem-details';
import { RequestValidationError } from './request-validation.error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const GENERIC_DETAIL = 'An unexpected error occurred. It has been logged.';

interface Rendered {
  problem: ProblemDetails;
  headers: Record<string, string>;
}

/**
 * Renders every error of an HTTP request as RFC 9457 problem details
 * (`content-type: application/problem+json`; see problem-details.ts for the `type` URIs):
 *
 * - errors of a class registered with ProblemDetailsFilter.register (or an injected
 *   ProblemMapperRegistry) as their mapper says: this is how domain libraries map their errors,
 *   e.g. not found → 404, a stale version → 412, without the platform importing them;
 * - RequestValidationError (the validation pipe) → 400 `validation-error` with `errors: [{field, message}]`;
 * - other HttpExceptions (guards, unknown routes, …) → their status, `about:blank`, their message as detail;
 * - client errors of the HTTP layer (e.g. malformed JSON) → their status;
 * - anything else → 500 with a generic detail: no message or stack reaches the caller; it is logged.
 *
 * Use: `app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)))` or
 * `{ provide: APP_FILTER, useClass: ProblemDetailsFilter }`. Non-HTTP contexts (Kafka) are rethrown.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  /** The process-wide mappers, filled by ProblemDetailsFilter.register. */
  static readonly mappers = new ProblemMapperRegistry();

  /**
   * Maps errors of `errorClass` (and its subclasses) to problem details in every filter instance,
   * e.g. `ProblemDetailsFilter.register(WebhookNotFoundError, (e) => ({ status: 404,
   * type: 'webhook-not-found', title: 'Webhook not found', detail: e.message }))`.
   * Returns a function that removes the mapping.
   */
  static register<E extends Error>(
    errorClass: ErrorClass<E>,
    mapper: ProblemMapper<E>,
  ): () => void {
    return ProblemDetailsFilter.mappers.register(errorClass, mapper);
  }

  private readonly logger = new Logger('ProblemDetails');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    /** Mappers of this filter only; consulted before the process-wide ones. */
    @Optional() private readonly registry?: ProblemMapperRegistry,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return throwError(() => exception);

    const adapter = this.adapterHost.httpAdapter;
    const http = host.switchToHttp();
    const request: unknown = http.getRequest();
    const response: unknown = http.getResponse();
    const method = String(adapter.getRequestMethod(request));
    const instance = String(adapter.getRequestUrl(request) ?? '').split('?')[0];
    const where = `${method} ${instance}`;

    const { problem, headers } = this.render(exception, where);
    problem.instance = instance;

    if (adapter.isHeadersSent(response)) {
      this.logger.error(`${where}: failed after the response started (${problem.status})`);
      adapter.end(response);
      return undefined;
    }
    for (const [name, value] of Object.entries(headers)) adapter.setHeader(response, name, value);
    adapter.setHeader(response, 'Content-Type', PROBLEM_CONTENT_TYPE);
    // A string body: the adapter would reset the content type of an object body to application/json.
    adapter.reply(response, JSON.stringify(problem), problem.status);
    return undefined;
  }

  private render(exception: unknown, where: string): Rendered {
    const mapper = this.registry?.find(exception) ?? ProblemDetailsFilter.mappers.find(exception);
    if (mapper) return this.fromMapper(mapper, exception as Error, where);

    if (exception instanceof RequestValidationError) {
      return {
        problem: {
          type: problemType('validation-error'),
          title: 'Invalid request',
          status: exception.getStatus(),
          detail: messageOf(exception.getResponse()) ?? exception.message,
          errors: exception.errors,
        },
        headers: {},
      };
    }

    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) this.logUnexpected(exception, where);
      const body = exception.getResponse();
      const errors = fieldErrorsOf(body);
      return {
        problem: {
          ...plain(status),
          detail: messageOf(body) ?? exception.message,
          ...(errors ? { errors } : {}),
        },
        headers: {},
      };
    }

    const clientError = httpLayerClientError(exception);
    if (clientError) {
      return {
        problem: { ...plain(clientError.status), detail: clientError.message },
        headers: {},
      };
    }

    this.logUnexpected(exception, where);
    return { problem: { ...plain(500), detail: GENERIC_DETAIL }, headers: {} };
  }

  private fromMapper(mapper: ProblemMapper<Error>, error: Error, where: string): Rendered {
    let mapping: ProblemMapping;
    try {
      mapping = mapper(error);
    } catch (mapperError) {
      this.logUnexpected(mapperError, `${where} (problem mapper of ${error.name})`);
      this.logUnexpected(error, where);
      return { problem: { ...plain(500), detail: GENERIC_DETAIL }, headers: {} };
    }
    if (!isErrorStatus(mapping?.status)) {
      this.logger.error(`${where}: the problem mapper of ${error.name} gave no error status`);
      this.logUnexpected(error, where);
      return { problem: { ...plain(500), detail: GENERIC_DETAIL }, headers: {} };
    }
    if (mapping.status >= 500) this.logUnexpected(error, where);

    const { status, type, title, detail, errors, extensions, headers } = mapping;
    const problem: ProblemDetails = {
      ...(extensions ?? {}),
      type: type ? problemType(type) : 'about:blank',
      title: title ?? STATUS_CODES[status] ?? 'Error',
      status,
    };
    if (detail !== undefined) problem.detail = detail;
    if (errors !== undefined) problem.errors = errors;
    delete problem.instance;
    return { problem, headers: headers ?? {} };
  }

  private logUnexpected(error: unknown, where: string): void {
    const description =
      error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    this.logger.error(`${where} failed: ${description}`);
  }
}

function plain(status: number): Pick<ProblemDetails, 'type' | 'title' | 'status'> {
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status };
}

function isErrorStatus(status: unknown): status is number {
  return Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599;
}

/** The message of an HttpException body: a string, `{ message: string }` or `{ message: string[] }`. */
function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (typeof body !== 'object' || body === null) return undefined;
  const { message } = body as { message?: unknown };
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && message.every((item) => typeof item === 'string')) {
    return message.join('; ');
  }
  return undefined;
}

/** An `errors: [{ field, message }]` list carried by an HttpException body, if well formed. */
function fieldErrorsOf(body: unknown): ProblemFieldError[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { errors } = body as { errors?: unknown };
  const wellFormed =
    Array.isArray(errors) &&
    errors.every(
      (item: unknown) =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as ProblemFieldError).field === 'string' &&
        typeof (item as ProblemFieldError).message === 'string',
    );
  return wellFormed ? (errors as ProblemFieldError[]) : undefined;
}

/**
 * A 4xx error of the HTTP layer below Nest (body-parser: malformed JSON, too large a body), marked
 * safe to show by the http-errors convention `expose: true`.
 */
function httpLayerClientError(error: unknown): { status: number; message: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { status, statusCode, expose } = error as Error & {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
  };
  const code = status ?? statusCode;
  if (expose !== true || !isErrorStatus(code) || code >= 500) return undefined;
  return { status: code, message: error.message };
}
