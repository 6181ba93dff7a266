import type { ReactNode } from 'react';

export interface CursorPagerProps {
  /** Names the navigation landmark, e.g. "Pages of webhooks". */
  label: string;
  hasPrevious: boolean;
  nextCursor: string | null;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
  labels?: [previous: string, next: string];
  /** What is shown, e.g. "Showing 1–20 of 53". */
  children?: ReactNode;
}

/** Previous / Next under a list the API pages by cursor. */
export function CursorPager(props: CursorPagerProps) {
  const [previous, next] = props.labels ?? ['Previous', 'Next'];
  const { nextCursor } = props;
  return (
    <nav className="pagination" aria-label={props.label}>
      {props.children && <span>{props.children}</span>}
      <button
        type="button"
        className="button"
        disabled={!props.hasPrevious}
        onClick={props.onPrevious}
      >
        {previous}
      </button>
      <button
        type="button"
        className="button"
        disabled={!nextCursor}
        onClick={() => nextCursor && props.onNext(nextCursor)}
      >
        {next}
      </button>
    </nav>
  );
}
