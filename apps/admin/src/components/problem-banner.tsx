import { ApiError } from '../api/api-error';

/** A failed request, said plainly; 401 and 403 say what the role or token lacks. */
export function ProblemBanner({
  error,
  onDismiss,
}: {
  error: Error | null;
  onDismiss?: () => void;
}) {
  if (!error) return null;
  const status = error instanceof ApiError ? error.problem.status : null;
  return (
    <div className="banner banner-error" role="alert">
      <p>
        {status === 403 && <strong>Not allowed. </strong>}
        {error.message}
      </p>
      {onDismiss && (
        <button type="button" className="button-link" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}

/** A success or progress message, announced to screen readers without taking focus. */
export function Notice({ message }: { message: string | null }) {
  return (
    <div className="notice-region" aria-live="polite" role="status">
      {message && <p className="banner banner-success">{message}</p>}
    </div>
  );
}
