import { useCallback, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ENVIRONMENT_PARAM } from '../environment/environment';
import { filterParams } from './list-filters';

/**
 * A list's filters and page, kept in the page URL so a view can be shared. Changing a filter starts
 * at the first page again; typing (search, event id) replaces the history entry instead of adding
 * one per keystroke. The API pages by cursor, so the cursors of the pages before are remembered
 * here for "Previous" (a shared link to a later page can still go back to the first).
 *
 * Each change builds on the last one written, not on the last render: two filters changed in quick
 * succession (before the page re-renders) both stay. The current environment (`env`) is not a
 * filter of the list but of the whole page: it stays in the address whatever the list writes.
 */
/** Filters typed into a text box: one history entry for the lot, not one per pause in typing. */
const TYPED = ['search', 'eventId'];

export function useUrlFilters<F extends { cursor: string }>(read: (params: URLSearchParams) => F) {
  const [params, setParams] = useSearchParams();
  const [previousCursors, setPreviousCursors] = useState<string[]>([]);
  const filters = useMemo(() => read(params), [params, read]);
  const latest = useRef<{ seen: URLSearchParams; filters: F }>({ seen: params, filters });
  // A navigation (back, a link) changed the URL: that is the latest state now.
  if (latest.current.seen !== params) latest.current = { seen: params, filters };

  const write = useCallback(
    (next: F, replace: boolean) => {
      latest.current = { ...latest.current, filters: next };
      setParams((current) => keepEnvironment(current, filterParams(next)), { replace });
    },
    [setParams],
  );
  const change = useCallback(
    (update: Partial<Omit<F, 'cursor'>>) => {
      setPreviousCursors([]);
      const replace = Object.keys(update).every((key) => TYPED.includes(key));
      write({ ...latest.current.filters, ...update, cursor: '' }, replace);
    },
    [write],
  );
  const nextPage = useCallback(
    (cursor: string) => {
      // Read now: the updater below runs later, after `write` has moved the latest filters on.
      const current = latest.current.filters.cursor;
      setPreviousCursors((cursors) => [...cursors, current]);
      write({ ...latest.current.filters, cursor }, false);
    },
    [write],
  );
  const previousPage = useCallback(() => {
    setPreviousCursors((cursors) => cursors.slice(0, -1));
    write({ ...latest.current.filters, cursor: previousCursors.at(-1) ?? '' }, false);
  }, [previousCursors, write]);

  return { filters, change, nextPage, previousPage, pagesBefore: previousCursors.length };
}

function keepEnvironment(current: URLSearchParams, next: URLSearchParams): URLSearchParams {
  const environment = current.get(ENVIRONMENT_PARAM);
  if (environment !== null) next.set(ENVIRONMENT_PARAM, environment);
  return next;
}
