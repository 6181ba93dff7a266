import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { filterParams } from './list-filters';

/**
 * Filters kept in the page URL. A change to any filter but the page itself starts at the first
 * page again; typing in search replaces the history entry instead of adding one per keystroke.
 */
export function useUrlFilters<F extends { cursor: string }>(read: (params: URLSearchParams) => F) {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => read(params), [params, read]);
  const change = useCallback(
    (update: Partial<F>) => {
      const next = { ...filters, ...update };
      if (!('cursor' in update)) next.cursor = '';
      const replace = Object.keys(update).every((key) => key === 'search');
      setParams(filterParams(next), { replace });
    },
    [filters, setParams],
  );
  return [filters, change] as const;
}
