import { ValidationError } from 'class-validator';
import { createValidationPipe, flattenValidationErrors } from './validation.pipe';
import { RequestValidationError } from './request-validation.error';

function error(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

describe('flattenValidationErrors', () => {
  it('given a nested error tree, when flattened, then fields are dotted paths with every message', () => {
    const tree = [
      error('name', { isString: 'name must be a string', isNotEmpty: 'name should not be empty' }),
      error('retry', undefined, [
        error('intervals', undefined, [error('0', { min: '0 must not be less than 1' })]),
      ]),
    ];

    expect(flattenValidationErrors(tree)).toEqual([
      { field: 'name', message: 'name must be a string' },
      { field: 'name', message: 'name should not be empty' },
      { field: 'retry.intervals.0', message: '0 must not be less than 1' },
    ]);
  });

  it('given an error about the input itself, when flattened, then its field is empty', () => {
    const root = Object.assign(new ValidationError(), {
      constraints: { unknownValue: 'an unknown value was passed to the validate function' },
    });

    expect(flattenValidationErrors([root])).toEqual([
      { field: '', message: 'an unknown value was passed to the validate function' },
    ]);
  });
});

describe('createValidationPipe', () => {
  it('given no overrides, when created, then its exception factory builds a RequestValidationError', () => {
    const pipe = createValidationPipe();
    const factory = (
      pipe as unknown as { exceptionFactory: (errors: ValidationError[]) => unknown }
    ).exceptionFactory;

    const thrown = factory([error('url', { isUrl: 'url must be a URL address' })]);

    expect(thrown).toBeInstanceOf(RequestValidationError);
    expect((thrown as RequestValidationError).errors).toEqual([
      { field: 'url', message: 'url must be a URL address' },
    ]);
    expect((thrown as RequestValidationError).getStatus()).toBe(400);
  });
});
