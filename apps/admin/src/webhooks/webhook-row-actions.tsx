import { Link } from 'react-router';
import type { Webhook } from '../api/types';

export interface WebhookRowActionsProps {
  webhook: Webhook;
  canWrite: boolean;
  busy: boolean;
  onToggle: (webhook: Webhook) => void;
  onDelete: (webhook: Webhook) => void;
  /** "Recover failed deliveries since…" (admins). */
  onRecover?: (webhook: Webhook) => void;
}

/** Edit, the Active toggle and Delete for one row; each names its webhook for screen readers. */
export function WebhookRowActions({
  webhook,
  canWrite,
  busy,
  onToggle,
  onDelete,
  onRecover,
}: WebhookRowActionsProps) {
  const active = webhook.status === 'active';
  // A deleted webhook can only be read: its history, never an edit, toggle or delete.
  if (webhook.status === 'deleted') {
    return (
      <div className="row-actions">
        <Link to={`/webhooks/${webhook.id}/history`} aria-label={`History of ${webhook.name}`}>
          History
        </Link>
      </div>
    );
  }
  return (
    <div className="row-actions">
      <Link
        to={`/webhooks/${webhook.id}/edit`}
        aria-label={`${canWrite ? 'Edit' : 'View'} ${webhook.name}`}
      >
        {canWrite ? 'Edit' : 'View'}
      </Link>
      <Link to={`/webhooks/${webhook.id}/history`} aria-label={`History of ${webhook.name}`}>
        History
      </Link>
      <button
        type="button"
        role="switch"
        className="switch"
        aria-checked={active}
        aria-label={`Active: ${webhook.name}`}
        title={
          canWrite
            ? active
              ? 'Pause this webhook'
              : 'Resume this webhook'
            : 'Needs the admin role'
        }
        disabled={!canWrite || busy}
        onClick={() => onToggle(webhook)}
      >
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
      </button>
      {canWrite && onRecover && (
        <button
          type="button"
          className="button-link"
          aria-label={`Recover failed deliveries of ${webhook.name}`}
          title="Send again the deliveries that failed since a time you choose"
          disabled={busy}
          onClick={() => onRecover(webhook)}
        >
          Recover
        </button>
      )}
      {canWrite && (
        <button
          type="button"
          className="button-link button-link-danger"
          aria-label={`Delete ${webhook.name}`}
          disabled={busy}
          onClick={() => onDelete(webhook)}
        >
          Delete
        </button>
      )}
    </div>
  );
}
