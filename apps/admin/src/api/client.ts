import { ApiError } from './api-error';
import { toProblem } from './problem';

export interface ApiResponse<T> {
  body: T;
  /** The version named by the response's ETag, for If-Match on the next write. */
  version: number | null;
  headers: Headers;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Sent as `If-Match: "<version>"`: the write applies only to this version (412 otherwise). */
  ifMatch?: number;
  query?: Record<string, string | number | undefined | null>;
  /** Aborts the request (the view asked another question meanwhile). */
  signal?: AbortSignal;
}

/**
 * The admin API over fetch, same origin (the api serves this page). Every call carries the bearer
 * token; every failure becomes an ApiError with the problem JSON; a 401 also tells the session,
 * which signs the user out with the reason.
 */
export class ApiClient {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: (error: ApiError) => void,
  ) {}

  async request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      Authorization: `Bearer ${this.token}`,
    };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.ifMatch !== undefined) headers['If-Match'] = `"${options.ifMatch}"`;
    let response: Response;
    try {
      response = await fetch(`/api/v1${path}${queryString(options.query)}`, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      // Aborted on purpose: whoever aborted it drops the answer; not a network failure.
      if (options.signal?.aborted) throw error;
      throw new ApiError(
        toProblem(0, {
          title: 'Network error',
          detail: 'The API could not be reached. Is it running?',
        }),
      );
    }
    const body: unknown = response.status === 204 ? null : await readJson(response);
    if (!response.ok) {
      const error = new ApiError(toProblem(response.status, body, response.statusText));
      if (response.status === 401) this.onUnauthorized(error);
      throw error;
    }
    return { body: body as T, version: etagVersion(response.headers), headers: response.headers };
  }

  async get<T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal): Promise<T> {
    return (await this.request<T>(path, { query, signal })).body;
  }
}

function queryString(query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { detail: text.slice(0, 300) };
  }
}

function etagVersion(headers: Headers): number | null {
  const match = /^(?:W\/)?"(\d+)"$/.exec(headers.get('ETag') ?? '');
  return match ? Number(match[1]) : null;
}
