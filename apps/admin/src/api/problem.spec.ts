import { describeProblem, fieldErrorsByField, toProblem } from './problem';

describe('problems from the API, for the page', () => {
  it('given a validation problem, when read, then its fields are grouped under the form fields they belong to', () => {
    const problem = toProblem(400, {
      type: 'https://lmp.example/problems/validation-error',
      title: 'Validation failed',
      status: 400,
      errors: [
        { field: 'name', message: 'must not be empty' },
        { field: 'eventTypes.1', message: 'unknown event type "x.y"' },
        { field: 'eventTypes', message: 'at least one event type' },
        { field: 'colour', message: 'property colour should not exist' },
        { nonsense: true },
      ],
    });
    expect(fieldErrorsByField(problem, ['name', 'url', 'eventTypes'])).toEqual({
      name: ['must not be empty'],
      eventTypes: ['unknown event type "x.y"', 'at least one event type'],
      unknownField: ['property colour should not exist'],
    });
  });

  it('given a 412, when read, then the current version is kept for the conflict message', () => {
    const problem = toProblem(412, { title: 'Version conflict', currentVersion: 7 });
    expect(problem.currentVersion).toBe(7);
    expect(describeProblem(problem)).toBe('Version conflict (HTTP 412)');
  });

  it('given a 401 or a 403, when described, then it says what to do, not just the code', () => {
    expect(describeProblem(toProblem(401, null, 'Unauthorized'))).toContain('Sign in again');
    expect(describeProblem(toProblem(403, { title: 'Forbidden', detail: 'requires owner' }))).toBe(
      'Your role may not do this (403 Forbidden): requires owner',
    );
  });

  it('given a body that is not problem JSON, when read, then the status text stands in', () => {
    const problem = toProblem(502, 'Bad gateway from a proxy', 'Bad Gateway');
    expect(problem).toMatchObject({ status: 502, title: 'Bad Gateway', errors: [] });
    expect(describeProblem(problem)).toBe('Bad Gateway (HTTP 502)');
  });
});
