import { describeProblem, type Problem } from './problem';

/** A failed API call, carrying the problem the API returned. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(describeProblem(problem));
    this.name = 'ApiError';
  }
}
