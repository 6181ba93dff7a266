import { BadRequestException } from '@nestjs/common';
import type { ProblemFieldError } from './problem-details';

/**
 * The request failed validation: 400 with the list of failed fields, rendered by
 * ProblemDetailsFilter as a `validation-error` problem. Thrown by the pipe of createValidationPipe;
 * handlers may throw it too for checks a DTO cannot express.
 */
export class RequestValidationError extends BadRequestException {
  constructor(
    readonly errors: ProblemFieldError[],
    detail = 'The request is invalid; see errors for each field.',
  ) {
    super({ message: detail, errors });
  }
}
