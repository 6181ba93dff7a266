import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { filterParams } from './list-filters';

/**
 * A list's filters and page, kept in the page URL so a view can be shared. Changing a filter starts
 * at the first page again; typing in search replaces the history entry instead of adding one per
 * keystroke. The API pages by cursor, so the cursors of the pages before are remembered here for
 * "Previous" (a shared link to a later page can still go back to the first).
 */
export function useUrlFilters<F extends { cursor: string }>(read: (params: URLSearchParams) => F) {
  const [params, setParams] = useSearchParams();
  const [previousCursors, setPreviousCursors] = useState<string[]>([]);
  const filters = useMemo(() => read(params), [params, read]);

  const write = useCallback(
    (next: F, replace: boolean) => setParams(filterParams(next), { replace }),
    [setParams],
  );
  const change = useCallback(
    (update: Partial<Omit<F, 'cursor'>>) => {
      setPreviousCursors([]);
      const replace = Object.keys(update).every((key) => key === 'search');
      write({ ...filters, ...update, cursor: '' }, replace);
    },
    [filters, write],
  );
  const nextPage = useCallback(
    (cursor: string) => {
      setPreviousCursors((cursors) => [...cursors, filters.cursor]);
      write({ ...filters, cursor }, false);
    },
    [filters, write],
  );
  const previousPage = useCallback(() => {
    setPreviousCursors((cursors) => cursors.slice(0, -1));
    write({ ...filters, cursor: previousCursors.at(-1) ?? '' }, false);
  }, [filters, previousCursors, write]);

  return { filters, change, nextPage, previousPage, pagesBefore: previousCursors.length };
}
