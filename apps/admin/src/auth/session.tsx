import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { AdminApi } from '../api/admin-api';
import { ApiError } from '../api/api-error';
import { ApiClient } from '../api/client';
import { can, minimumRole, type Ability } from './roles';
import { readTokenClaims, type TokenClaims } from './token';

/** The token lives for the browser tab's session only: closing the tab signs out. */
const STORAGE_KEY = 'lmp-admin.token';

export interface Session {
  claims: TokenClaims;
  api: AdminApi;
  can: (ability: Ability) => boolean;
}

interface SessionContextValue {
  session: Session | null;
  /** Why the last session ended, shown on the sign-in form. */
  signedOutReason: string | null;
  /** Checks the token with the API before keeping it; throws with a plain reason when refused. */
  signIn: (token: string) => Promise<void>;
  signOut: (reason?: string) => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => storedToken());
  const [signedOutReason, setSignedOutReason] = useState<string | null>(null);

  const signOut = useCallback((reason?: string) => {
    sessionStorage.removeItem(STORAGE_KEY);
    setToken(null);
    setSignedOutReason(reason ?? null);
  }, []);

  const session = useMemo(() => (token ? openSession(token, signOut) : null), [token, signOut]);

  const signIn = useCallback(async (candidate: string) => {
    const opened = openSession(candidate.trim(), () => undefined);
    if (!opened) throw new Error('That token cannot be read.');
    if (!opened.can('read')) {
      throw new Error(
        `Your role "${opened.claims.role}" may not use the admin page: it needs ${minimumRole('read')} or higher to read webhooks and ${minimumRole('write')} or higher to change them.`,
      );
    }
    try {
      await opened.api.listWebhooks({ limit: 1 });
    } catch (error) {
      throw error instanceof ApiError ? new Error(error.message) : error;
    }
    sessionStorage.setItem(STORAGE_KEY, candidate.trim());
    setSignedOutReason(null);
    setToken(candidate.trim());
  }, []);

  const value = useMemo(
    () => ({ session, signedOutReason, signIn, signOut }),
    [session, signedOutReason, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionContext(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionContext outside SessionProvider');
  return value;
}

/** The signed-in session; only for pages rendered behind the sign-in gate. */
export function useSession(): Session {
  const { session } = useSessionContext();
  if (!session) throw new Error('useSession without a session');
  return session;
}

/** A session for a readable token; throws TokenFormatError, saying why, for one that is not. */
function openSession(token: string, signOut: (reason?: string) => void): Session {
  const claims = readTokenClaims(token);
  const client = new ApiClient(token, (error) => signOut(error.message));
  return { claims, api: new AdminApi(client), can: (ability) => can(claims.role, ability) };
}

function storedToken(): string | null {
  const token = sessionStorage.getItem(STORAGE_KEY);
  if (!token) return null;
  try {
    readTokenClaims(token);
    return token;
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
    return null;
  }
}
