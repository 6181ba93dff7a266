/**
 * What the admin API says when a request fails: RFC 9457 problem JSON (docs/api.md, "Errors").
 * Kept free of browser APIs so it is unit-tested under jest.
 */
export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  type?: string;
  errors: FieldError[];
  currentVersion?: number;
}

export function toProblem(status: number, body: unknown, statusText = ''): Problem {
  const json = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const errors = Array.isArray(json.errors)
    ? json.errors.filter(isFieldError).map(({ field, message }) => ({ field, message }))
    : [];
  return {
    status,
    title: typeof json.title === 'string' ? json.title : statusText || `HTTP ${status}`,
    detail: typeof json.detail === 'string' ? json.detail : undefined,
    type: typeof json.type === 'string' ? json.type : undefined,
    errors,
    currentVersion: typeof json.currentVersion === 'number' ? json.currentVersion : undefined,
  };
}

function isFieldError(value: unknown): value is FieldError {
  const candidate = value as FieldError | null;
  return typeof candidate?.field === 'string' && typeof candidate.message === 'string';
}

/**
 * Field errors grouped by the form field they belong to. Nested paths (`eventTypes.2`) belong to
 * their top-level field; `unknownField` catches what no form field shows, so nothing is hidden.
 */
export function fieldErrorsByField(
  problem: Problem | null,
  formFields: readonly string[],
): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const { field, message } of problem?.errors ?? []) {
    const top = field.split('.')[0];
    const key = formFields.includes(top) ? top : 'unknownField';
    (grouped[key] ??= []).push(message);
  }
  return grouped;
}

/** One plain sentence for a banner: what went wrong and, for auth failures, what to do. */
export function describeProblem(problem: Problem): string {
  if (problem.status === 401) {
    return 'The API did not accept your token (401): it is missing, malformed, expired or signed with another key. Sign in again with a fresh token.';
  }
  if (problem.status === 403) {
    return `Your role may not do this (403 Forbidden)${problem.detail ? `: ${problem.detail}` : '.'}`;
  }
  if (problem.status === 0) return problem.detail ?? 'The API could not be reached.';
  const detail = problem.detail && problem.detail !== problem.title ? `: ${problem.detail}` : '';
  return `${problem.title}${detail} (HTTP ${problem.status})`;
}
