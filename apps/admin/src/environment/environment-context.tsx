import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { useLocation, useSearchParams } from 'react-router';
import {
  addressEnvironment,
  addressFor,
  ENVIRONMENT_PARAM,
  ENVIRONMENT_STORAGE_KEY,
  environmentFilter,
  resolveEnvironment,
  switchedAddress,
  type CurrentEnvironment,
} from './environment';
import type { Environment } from '../api/types';

export interface EnvironmentContextValue {
  environment: CurrentEnvironment;
  /** For the API's `environment` filter: undefined for All. */
  filter: Environment | undefined;
  /** Switches, remembers it, and writes it into the address (a new history entry). */
  setEnvironment: (environment: CurrentEnvironment) => void;
  /** `?env=…` for links that should carry it ('' until one was chosen). */
  search: string;
}

const EnvironmentContext = createContext<EnvironmentContextValue | null>(null);

/**
 * Holds the current environment for every page under the layout (environment.ts has the rules).
 * A page that reached an address without `env` (a link written before, another section's link)
 * gets it put back, replacing the history entry, so the address always says what is shown.
 */
export function EnvironmentProvider({ children }: { children: ReactNode }) {
  const [params, setParams] = useSearchParams();
  const state: unknown = useLocation().state;
  const [remembered, setRemembered] = useState<string | null>(() => readRemembered());
  const resolved = resolveEnvironment(addressEnvironment(params), remembered);
  const { environment, chosen } = resolved;

  // What the address says becomes what is remembered.
  useEffect(() => {
    if (chosen && environment !== remembered) {
      writeRemembered(environment);
      setRemembered(environment);
    }
  }, [chosen, environment, remembered]);

  // The address shows the chosen environment, whichever way the page was reached; what the
  // navigation carried (a notice for the next page) stays with it.
  useEffect(() => {
    const next = addressFor(params, { environment, chosen });
    if (next) setParams(next, { replace: true, state });
  }, [params, environment, chosen, setParams, state]);

  const setEnvironment = useCallback(
    (next: CurrentEnvironment) => {
      writeRemembered(next);
      setRemembered(next);
      setParams((current) => switchedAddress(current, next));
    },
    [setParams],
  );

  const value = useMemo(
    () => ({
      environment,
      filter: environmentFilter(environment),
      setEnvironment,
      search: chosen ? `?${ENVIRONMENT_PARAM}=${environment}` : '',
    }),
    [environment, chosen, setEnvironment],
  );
  return <EnvironmentContext.Provider value={value}>{children}</EnvironmentContext.Provider>;
}

export function useCurrentEnvironment(): EnvironmentContextValue {
  const value = useContext(EnvironmentContext);
  if (!value) throw new Error('useCurrentEnvironment outside EnvironmentProvider');
  return value;
}

// Storage can be refused (a private window's quota, a policy): the page then only forgets.
function readRemembered(): string | null {
  try {
    return localStorage.getItem(ENVIRONMENT_STORAGE_KEY);
  } catch {
    return null;
  }
}

function writeRemembered(environment: CurrentEnvironment): void {
  try {
    localStorage.setItem(ENVIRONMENT_STORAGE_KEY, environment);
  } catch {
    // Not remembered; the address still carries it.
  }
}
