import { Link } from 'react-router';
import type { Webhook } from '../api/types';

export interface WebhookRowActionsProps {
  webhook: Webhook;
  canWrite: boolean;
  busy: boolean;
  onToggle: (webhook: Webhook) => void;
  onDelete: (webhook: Webhook) => void;
}

/** Edit, the Active toggle and Delete for one row; each names its webhook for screen readers. */
export function WebhookRowActions({
  webhook,
  canWrite,
  busy,
  onToggle,
  onDelete,
}: WebhookRowActionsProps) {
  const active = webhook.status === 'active';
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
