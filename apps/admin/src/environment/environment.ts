/**
 * The page's current environment (Production, Staging, Development or All): which webhooks and
 * deliveries the lists show. Free of React, so the rules below have unit specs.
 *
 * - It is in the address (`?env=staging`), so a link shows what its sender saw, and remembered in
 *   the browser (localStorage), so the next visit opens where the last one left off.
 * - The address wins over what is remembered; what the address says becomes remembered.
 * - Until someone picks one, the page shows All and the address carries nothing, so the addresses
 *   of a page that never used the switcher stay as they were.
 */
import { ENVIRONMENTS, type Environment } from '../api/types';

export type CurrentEnvironment = Environment | 'all';

export const CURRENT_ENVIRONMENTS: readonly CurrentEnvironment[] = [...ENVIRONMENTS, 'all'];

/** The address's parameter. */
export const ENVIRONMENT_PARAM = 'env';
/**
 * The list filter's parameter before the switcher existed (`/admin/webhooks?environment=staging`):
 * old bookmarks still open on that environment.
 */
export const LEGACY_ENVIRONMENT_PARAM = 'environment';
/** The browser's storage key (localStorage: every tab, across visits). */
export const ENVIRONMENT_STORAGE_KEY = 'lmp-admin.environment';

export interface ResolvedEnvironment {
  environment: CurrentEnvironment;
  /** Someone chose it (in the address or before, in this browser): the address shows it. */
  chosen: boolean;
}

export function isCurrentEnvironment(
  value: string | null | undefined,
): value is CurrentEnvironment {
  return value !== null && value !== undefined && CURRENT_ENVIRONMENTS.includes(value as never);
}

/** The current environment from the address's value and the remembered one; unknown values are ignored. */
export function resolveEnvironment(
  fromAddress: string | null | undefined,
  remembered: string | null | undefined,
): ResolvedEnvironment {
  if (isCurrentEnvironment(fromAddress)) return { environment: fromAddress, chosen: true };
  if (isCurrentEnvironment(remembered)) return { environment: remembered, chosen: true };
  return { environment: 'all', chosen: false };
}

/** The address's value, from `env`, else the old list filter's `environment`. */
export function addressEnvironment(params: URLSearchParams): string | null {
  const value = params.get(ENVIRONMENT_PARAM);
  if (isCurrentEnvironment(value)) return value;
  const legacy = params.get(LEGACY_ENVIRONMENT_PARAM);
  return isCurrentEnvironment(legacy) ? legacy : null;
}

/**
 * The address as it should read for `resolved`: `env` set when chosen (the old parameter
 * replaced by it), untouched otherwise. Returns null when the address already reads so, so
 * the caller writes nothing.
 */
export function addressFor(
  params: URLSearchParams,
  resolved: ResolvedEnvironment,
): URLSearchParams | null {
  if (!resolved.chosen) return null;
  if (
    params.get(ENVIRONMENT_PARAM) === resolved.environment &&
    !params.has(LEGACY_ENVIRONMENT_PARAM)
  )
    return null;
  const next = new URLSearchParams(params);
  next.delete(LEGACY_ENVIRONMENT_PARAM);
  next.set(ENVIRONMENT_PARAM, resolved.environment);
  return next;
}

/**
 * The address after switching to `environment`: a list's page (its cursor) belongs to the other
 * environment's answer, so it starts again at the first.
 */
export function switchedAddress(
  params: URLSearchParams,
  environment: CurrentEnvironment,
): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete(LEGACY_ENVIRONMENT_PARAM);
  next.delete('cursor');
  next.set(ENVIRONMENT_PARAM, environment);
  return next;
}

/** What the API's `environment` filter gets: nothing for All. */
export function environmentFilter(environment: CurrentEnvironment): Environment | undefined {
  return environment === 'all' ? undefined : environment;
}

export function environmentLabel(environment: CurrentEnvironment): string {
  return environment === 'all'
    ? 'All environments'
    : environment.charAt(0).toUpperCase() + environment.slice(1);
}
