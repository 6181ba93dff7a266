/**
 * RFC 9457 problem details, the body of every error response of the REST API
 * (`content-type: application/problem+json`).
 *
 * Problem types: an error that is fully described by its HTTP status (an unknown route, a missing
 * token, a too-low role, an unexpected failure) has `type: "about:blank"` and the status phrase as
 * its `title`, as RFC 9457 §4.2.1 recommends. A problem with a meaning of its own has
 * `type: "https://lmp.example/problems/<slug>"` (see problemType), e.g. `.../validation-error`;
 * clients may switch on it. The URIs identify the problem and need not resolve.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** The request path (without the query string) the problem occurred on. */
  instance?: string;
  /** For validation errors: one entry per failed constraint. */
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

/** One failed constraint: `field` is the dotted property path (`retry.intervals.0`), '' = the whole input. */
export interface ProblemFieldError {
  field: string;
  message: string;
}

/** What a ProblemMapper turns an error into; everything but `status` has a default. */
export interface ProblemMapping {
  /** An HTTP error status, 400-599. */
  status: number;
  /** A problem slug (`webhook-not-found`, expanded by problemType) or an absolute URI; default about:blank. */
  type?: string;
  /** Short and the same for every occurrence of the type; default the HTTP status phrase. */
  title?: string;
  /** This occurrence, for humans; safe to show to the caller. */
  detail?: string;
  errors?: ProblemFieldError[];
  /** Extra members of the problem (e.g. `currentVersion`); they never replace the standard ones. */
  extensions?: Record<string, unknown>;
  /** Response headers to set, e.g. `ETag` on a 412 or `Retry-After` on a 503. */
  headers?: Record<string, string>;
}

/** Turns an error of a registered class into problem details. Must not throw. */
export type ProblemMapper<E extends Error = Error> = (error: E) => ProblemMapping;

/** Any error class, including abstract ones and ones with constructor parameters. */
export type ErrorClass<E extends Error = Error> = abstract new (...args: never[]) => E;

export const PROBLEM_TYPE_BASE = 'https://lmp.example/problems/';

/** The type URI of a problem slug (`validation-error`); absolute URIs and about:blank pass unchanged. */
export function problemType(slugOrUri: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(slugOrUri) ? slugOrUri : `${PROBLEM_TYPE_BASE}${slugOrUri}`;
}

/**
 * Error classes mapped to problem details, so domain libraries can describe their own errors
 * without the platform knowing them. An error uses the mapper of its nearest registered class:
 * a mapper for a subclass wins over one for its base class.
 */
export class ProblemMapperRegistry {
  private readonly mappers = new Map<object, ProblemMapper<Error>>();

  /** Registers (or replaces) the mapper of `errorClass`; returns a function that unregisters it. */
  register<E extends Error>(errorClass: ErrorClass<E>, mapper: ProblemMapper<E>): () => void {
    const entry = mapper as ProblemMapper<Error>;
    this.mappers.set(errorClass, entry);
    return () => {
      if (this.mappers.get(errorClass) === entry) this.mappers.delete(errorClass);
    };
  }

  /** The mapper of the nearest registered class of `error`, if any. */
  find(error: unknown): ProblemMapper<Error> | undefined {
    if (typeof error !== 'object' || error === null) return undefined;
    for (
      let proto = Object.getPrototypeOf(error) as { constructor?: unknown } | null;
      proto !== null && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto) as { constructor?: unknown } | null
    ) {
      const mapper = proto.constructor ? this.mappers.get(proto.constructor) : undefined;
      if (mapper) return mapper;
    }
    return undefined;
  }
}
