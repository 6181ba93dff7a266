import { ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { ProblemFieldError } from './problem-details';
import { RequestValidationError } from './request-validation.error';

/**
 * Flattens class-validator's error tree into one entry per failed constraint, the field being the
 * dotted property path (`endpoint.headers.0.name`; array items by index) and '' for the input
 * itself (e.g. a body that is not an object).
 */
export function flattenValidationErrors(
  errors: ValidationError[],
  parentPath = '',
): ProblemFieldError[] {
  return errors.flatMap((error) => {
    const property = error.property === undefined || error.property === null ? '' : error.property;
    const field = [parentPath, String(property)].filter((part) => part !== '').join('.');
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * The ValidationPipe of the REST API: strips nothing silently (unknown properties are rejected),
 * transforms payloads into their DTO classes, reports every failed constraint (never the submitted
 * values) as a RequestValidationError. Query and path values stay strings unless the DTO converts
 * them (e.g. `@Type(() => Number)`); implicit conversion is off because it turns 'false' into true.
 *
 * Use: `app.useGlobalPipes(createValidationPipe())` or `{ provide: APP_PIPE, useFactory: createValidationPipe }`.
 */
export function createValidationPipe(overrides: ValidationPipeOptions = {}): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) =>
      new RequestValidationError(flattenValidationErrors(errors)),
    ...overrides,
  });
}
