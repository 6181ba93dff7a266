import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { HistoryEntry, Webhook } from '../api/types';
import { useSession } from '../auth/session';
import { StatusBadge } from '../components/badges';
import { ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { formatDateTime } from '../lib/format';
import { asOfFields } from './as-of';
import { describeHistoryEntry } from './history-entry';
import { usePageTitle } from '../lib/use-page-title';

/** The address names the entry shown as of (its position), so the view can be shared. */
const ENTRY_PARAM = 'entry';

/**
 * A webhook's audit trail for auditors: every change and everything done with it (secret reveals,
 * manual sends), oldest first, with who, when and what; and the webhook as it was at any entry.
 */
export function WebhookHistoryPage() {
  const { id = '' } = useParams();
  const { api } = useSession();
  const [params, setParams] = useSearchParams();
  const webhook = useLoad(`webhook:${id}`, () => api.webhook(id));
  const firstPage = useLoad(`history:${id}`, () => api.history(id));
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [nextAfter, setNextAfter] = useState<number | null>(null);
  const [moreError, setMoreError] = useState<Error | null>(null);

  useEffect(() => {
    if (!firstPage.data) return;
    setEntries(firstPage.data.items);
    setNextAfter(firstPage.data.nextAfter);
  }, [firstPage.data]);

  async function loadMore() {
    if (nextAfter === null) return;
    try {
      const page = await api.history(id, nextAfter);
      setEntries((old) => [...old, ...page.items]);
      setNextAfter(page.nextAfter);
    } catch (error) {
      setMoreError(error as Error);
    }
  }

  const selectedPosition = Number(params.get(ENTRY_PARAM) ?? NaN);
  const selected = entries.find((entry) => entry.position === selectedPosition) ?? null;
  function select(entry: HistoryEntry | null) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (entry) next.set(ENTRY_PARAM, String(entry.position));
        else next.delete(ENTRY_PARAM);
        return next;
      },
      { replace: true },
    );
  }

  const name = webhook.data?.name ?? id;
  const deleted = webhook.data?.status === 'deleted';
  usePageTitle(`History of ${name}`);
  return (
    <section aria-labelledby="history-title">
      <p className="breadcrumb">
        <Link to={deleted ? '/webhooks?status=deleted' : '/webhooks'}>Webhooks</Link> /{' '}
        {webhook.data && !deleted ? <Link to={`/webhooks/${id}/edit`}>{name}</Link> : name} /
        History
      </p>
      <h1 id="history-title">
        History of {name} {deleted && <StatusBadge status="deleted" />}
      </h1>
      <p className="lead">
        Every change to this webhook, and what was done with it without changing it (secret reveals,
        manual sends), as recorded in its event streams. Secrets never appear here, only their last
        characters. Choose an entry to see the webhook as it was then.
      </p>
      <ProblemBanner error={firstPage.error ?? moreError} />
      {firstPage.loading && !firstPage.data && <p role="status">Loading…</p>}
      {selected && <AsOfPanel webhookId={id} entry={selected} onClose={() => select(null)} />}
      <ol className="timeline">
        {entries.map((entry) => {
          const described = describeHistoryEntry(entry.type, entry.details);
          const isSelected = selected?.position === entry.position;
          return (
            <li
              key={entry.position}
              className={`timeline-entry${isSelected ? ' timeline-entry-selected' : ''}`}
            >
              <div className="timeline-head">
                <h2>
                  {described.title}{' '}
                  <span className="muted">
                    {entry.source === 'activity' ? `at v${entry.version}` : `v${entry.version}`}
                  </span>
                </h2>
                <p className="muted">
                  <time dateTime={entry.at} title={entry.at}>
                    {formatDateTime(entry.at)}
                  </time>{' '}
                  by <strong>{entry.actor}</strong>
                </p>
              </div>
              {described.lines.length > 0 && (
                <dl className="changes">
                  {described.lines.map((line) => (
                    <div key={line.label}>
                      <dt>{line.label}</dt>
                      <dd>
                        {line.from !== undefined && (
                          <>
                            <del>{line.from}</del> <span aria-hidden="true">→</span>
                            <span className="visually-hidden">changed to</span>{' '}
                          </>
                        )}
                        {line.isTime ? (
                          <time dateTime={line.to} title={line.to}>
                            {formatDateTime(line.to)}
                          </time>
                        ) : (
                          <ins>{line.to}</ins>
                        )}
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
              <p className="muted small">
                Correlation id {entry.correlationId} ·{' '}
                <button
                  type="button"
                  className="button-link"
                  aria-pressed={isSelected}
                  aria-label={`Show the webhook as of ${described.title}, ${formatDateTime(entry.at)}`}
                  onClick={() => select(isSelected ? null : entry)}
                >
                  {isSelected ? 'Hide as of' : 'Show as of this entry'}
                </button>
              </p>
            </li>
          );
        })}
      </ol>
      {nextAfter !== null && (
        <button type="button" className="button" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
    </section>
  );
}

/**
 * The webhook as it was at one entry: read at the entry's version (`?version=`, one state even
 * when several changes share a millisecond, which a time could not tell apart), with the fields
 * the entry changed marked against the version before. An activity entry changed nothing.
 */
function AsOfPanel(props: { webhookId: string; entry: HistoryEntry; onClose: () => void }) {
  const { webhookId, entry, onClose } = props;
  const { api } = useSession();
  const changedSomething = entry.source === 'webhook' && entry.version > 1;
  const state = useLoad(
    `as-of:${webhookId}:${entry.version}:${changedSomething}`,
    async (signal): Promise<{ at: Webhook; before: Webhook | null }> => {
      const [at, before] = await Promise.all([
        api.webhookAtVersion(webhookId, entry.version, signal),
        changedSomething ? api.webhookAtVersion(webhookId, entry.version - 1, signal) : null,
      ]);
      return { at, before };
    },
  );
  const fields = state.data ? asOfFields(state.data.at, state.data.before) : [];
  const changed = fields.filter((field) => field.before !== undefined);
  return (
    <section className="panel as-of" aria-labelledby="as-of-title">
      <h2 id="as-of-title">
        As of version {entry.version},{' '}
        <time dateTime={entry.at} title={entry.at}>
          {formatDateTime(entry.at)}
        </time>
      </h2>
      <ProblemBanner error={state.error} />
      {state.loading && !state.data && <p role="status">Loading…</p>}
      {state.data && (
        <>
          <p>
            {entry.source === 'activity'
              ? 'This entry changed nothing in the webhook: it records something done with it.'
              : changed.length > 0
                ? `This entry changed ${changed.map((field) => field.label).join(', ')}.`
                : entry.version === 1
                  ? 'This entry created the webhook.'
                  : 'This entry changed none of the fields shown.'}
          </p>
          <dl className="changes as-of-fields">
            {fields.map((field) => (
              <div key={field.label} className={field.before !== undefined ? 'changed' : undefined}>
                <dt>{field.label}</dt>
                <dd>
                  {field.before !== undefined ? (
                    <>
                      <del>{field.before}</del> <span aria-hidden="true">→</span>
                      <span className="visually-hidden">changed to</span> <ins>{field.value}</ins>
                    </>
                  ) : (
                    field.value
                  )}
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <button type="button" className="button" onClick={onClose}>
        Close
      </button>
    </section>
  );
}
