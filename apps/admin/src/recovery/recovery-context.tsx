import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { RecoverDialog, type RecoveryRequest } from './recover-dialog';

interface RecoveryContextValue {
  /** Opens "Recover failed deliveries since…" for a webhook. */
  offerRecovery: (request: RecoveryRequest) => void;
}

const RecoveryContext = createContext<RecoveryContextValue | null>(null);

/**
 * Hosts the recovery dialog above the pages, so it outlives what opened it: Resume on a webhook's
 * page reloads the webhook (and so remounts its form) while the dialog stays open.
 */
export function RecoveryProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState<{ key: number; request: RecoveryRequest } | null>(null);
  const offerRecovery = useCallback(
    (request: RecoveryRequest) =>
      setOpen((previous) => ({ key: (previous?.key ?? 0) + 1, request })),
    [],
  );
  const value = useMemo(() => ({ offerRecovery }), [offerRecovery]);
  return (
    <RecoveryContext.Provider value={value}>
      {children}
      {open && (
        <RecoverDialog key={open.key} request={open.request} onClose={() => setOpen(null)} />
      )}
    </RecoveryContext.Provider>
  );
}

export function useRecovery(): RecoveryContextValue {
  const value = useContext(RecoveryContext);
  if (!value) throw new Error('useRecovery outside RecoveryProvider');
  return value;
}
