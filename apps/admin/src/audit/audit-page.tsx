import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { AuditEntry } from '../api/types';
import { useSession } from '../auth/session';
import { CursorPager } from '../components/cursor-pager';
import { ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { formatDateTime } from '../lib/format';
import { fromLocalInput, toLocalInput } from '../lib/local-time';
import { useUrlFilters } from '../lib/use-url-filters';
import { usePageTitle } from '../lib/use-page-title';
import { describeHistoryEntry } from '../webhooks/history-entry';
import { readAuditFilters, typeList } from './audit-filters';

const PAGE_SIZE = 50;

/** Types worth offering as you type (the field takes any, comma-separated). */
const KNOWN_TYPES = [
  'WebhookCreated',
  'WebhookUpdated',
  'WebhookActivated',
  'WebhookDeactivated',
  'SecretRotated',
  'SecretRevealed',
  'WebhookDeleted',
  'RetryPolicySet',
];

/**
 * Audit: every recorded action across the webhooks (changes, and what was done with them: secret
 * reveals, manual sends) and the settings, newest first, by actor, type and time, from GET /audit.
 */
export function AuditPage() {
  usePageTitle('Audit');
  const { api } = useSession();
  const { filters, change, nextPage, previousPage, pagesBefore } = useUrlFilters(readAuditFilters);
  const query = {
    actor: filters.actor || undefined,
    type: filters.type || undefined,
    webhookId: filters.webhookId || undefined,
    from: filters.from || undefined,
    to: filters.to || undefined,
    limit: PAGE_SIZE,
    cursor: filters.cursor || undefined,
  };
  const list = useLoad(JSON.stringify(query), (signal) => api.audit(query, signal));
  // Typed fields apply on submit (one request and one history entry, not one per keystroke).
  const [actor, setActor] = useState(filters.actor);
  const [type, setType] = useState(filters.type);
  useEffect(() => setActor(filters.actor), [filters.actor]);
  useEffect(() => setType(filters.type), [filters.type]);
  const filtered = Boolean(
    filters.actor || filters.type || filters.webhookId || filters.from || filters.to,
  );
  const page = list.data;

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <p className="lead">
        Every recorded action, newest first: changes to webhooks and settings, and what was done
        with webhooks without changing them (secret reveals, manual retries, recoveries and test
        sends). Who did it, when, and what; secrets never appear.
      </p>
      <form
        className="filters"
        role="search"
        aria-label="Filter the audit"
        onSubmit={(event) => {
          event.preventDefault();
          change({ actor: actor.trim(), type: typeList(type) });
        }}
      >
        <div className="field">
          <label htmlFor="audit-actor">Actor</label>
          <input
            id="audit-actor"
            value={actor}
            placeholder="e.g. user:alice"
            onChange={(event) => setActor(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-type">Types</label>
          <input
            id="audit-type"
            value={type}
            list="audit-types"
            placeholder="e.g. SecretRevealed, WebhookDeleted"
            aria-describedby="audit-type-help"
            onChange={(event) => setType(event.target.value)}
          />
          <datalist id="audit-types">
            {KNOWN_TYPES.map((known) => (
              <option key={known} value={known} />
            ))}
          </datalist>
          <span id="audit-type-help" className="small muted">
            One or more, separated by commas
          </span>
        </div>
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input
            id="audit-from"
            type="datetime-local"
            step={1}
            value={toLocalInput(filters.from)}
            onChange={(event) => change({ from: fromLocalInput(event.target.value) })}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-to">Until (before)</label>
          <input
            id="audit-to"
            type="datetime-local"
            step={1}
            value={toLocalInput(filters.to)}
            onChange={(event) => change({ to: fromLocalInput(event.target.value) })}
          />
        </div>
        <div className="field">
          <button type="submit" className="button button-primary">
            Apply
          </button>
          {filtered && (
            <button
              type="button"
              className="button"
              onClick={() => change({ actor: '', type: '', webhookId: '', from: '', to: '' })}
            >
              Clear filters
            </button>
          )}
        </div>
      </form>
      {filters.webhookId && (
        <p>
          Only actions on webhook{' '}
          <Link to={`/webhooks/${filters.webhookId}/history`}>{filters.webhookId}</Link>.
        </p>
      )}
      <ProblemBanner error={list.error} />
      {list.loading && !page && <p role="status">Loading…</p>}
      {page && page.items.length === 0 && (
        <p className="muted">
          {filtered ? 'No recorded action matches these filters.' : 'Nothing recorded yet.'}
        </p>
      )}
      {page && page.items.length > 0 && (
        <>
          <table className="table responsive-table">
            <caption className="visually-hidden">Recorded actions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">On</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((entry) => (
                <AuditRow key={entry.position} entry={entry} />
              ))}
            </tbody>
          </table>
          <CursorPager
            label="Pages of the audit"
            hasPrevious={pagesBefore > 0 || Boolean(filters.cursor)}
            nextCursor={page.nextCursor}
            onPrevious={previousPage}
            onNext={nextPage}
            labels={['Newer', 'Older']}
          />
        </>
      )}
    </section>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const described = describeHistoryEntry(entry.type, entry.details);
  return (
    <tr>
      <td data-label="When">
        <time dateTime={entry.at} title={entry.at}>
          {formatDateTime(entry.at)}
        </time>
      </td>
      <td data-label="Action">
        <strong>{described.title}</strong> <span className="small muted">{entry.type}</span>
      </td>
      <td data-label="Actor">{entry.actor}</td>
      <td data-label="On">
        {entry.subject.kind === 'webhook' ? (
          <Link
            to={`/webhooks/${entry.subject.id}/history`}
            aria-label={`History of webhook ${entry.subject.id}`}
          >
            Webhook {entry.subject.id.slice(0, 8)}
          </Link>
        ) : (
          <Link to="/settings">Settings: {entry.subject.id}</Link>
        )}
      </td>
      <td data-label="Details" className="audit-details">
        {described.lines.length > 0
          ? described.lines
              .map((line) =>
                line.from !== undefined
                  ? `${line.label}: ${line.from} → ${line.to}`
                  : `${line.label}: ${line.to}`,
              )
              .join(' · ')
          : '—'}
        <span className="visually-hidden"> Correlation id {entry.correlationId}</span>
      </td>
    </tr>
  );
}
