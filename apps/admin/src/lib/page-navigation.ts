export interface CursorPage {
  items: readonly unknown[];
  nextCursor: string | null;
}

export interface EmptyPageState {
  /** False when the api stopped this page's search early: older records may still match. */
  searchedAll: boolean;
  /** Whether Newer / Older are offered: there is a page to go back to or on to. */
  pager: boolean;
}

/**
 * What an empty page of a cursor-paged list shows. The deliveries api bounds what one page reads,
 * so a rare combination of filters can answer no items and a cursor: the page must offer to go on
 * (and, on a later page, back), not look like the end of the list.
 */
export function emptyPageState(page: CursorPage, onLaterPage: boolean): EmptyPageState {
  const searchedAll = page.nextCursor === null;
  return { searchedAll, pager: onLaterPage || !searchedAll };
}
