import { useEffect } from 'react';

/** The browser tab's title, so tabs, history and screen readers name the page. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · LMP Admin`;
  }, [title]);
}
