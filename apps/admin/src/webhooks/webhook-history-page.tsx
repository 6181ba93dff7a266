import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { HistoryEntry } from '../api/types';
import { useSession } from '../auth/session';
import { ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { formatDateTime } from '../lib/format';
import { describeHistoryEntry } from './history-entry';
import { usePageTitle } from '../lib/use-page-title';

/** A webhook's audit trail for auditors: every change, oldest first, with who, when and what. */
export function WebhookHistoryPage() {
  const { id = '' } = useParams();
  const { api } = useSession();
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

  const name = webhook.data?.name ?? id;
  usePageTitle(`History of ${name}`);
  return (
    <section aria-labelledby="history-title">
      <p className="breadcrumb">
        <Link to="/webhooks">Webhooks</Link> /{' '}
        {webhook.data ? <Link to={`/webhooks/${id}/edit`}>{name}</Link> : name} / History
      </p>
      <h1 id="history-title">History of {name}</h1>
      <p className="lead">
        Every change to this webhook, as recorded in its event stream. Secrets never appear here,
        only their last characters.
      </p>
      <ProblemBanner error={firstPage.error ?? moreError} />
      {firstPage.loading && !firstPage.data && <p role="status">Loading…</p>}
      <ol className="timeline">
        {entries.map((entry) => {
          const described = describeHistoryEntry(entry.type, entry.details);
          return (
            <li key={entry.version} className="timeline-entry">
              <div className="timeline-head">
                <h2>
                  {described.title} <span className="muted">v{entry.version}</span>
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
              <p className="muted small">Correlation id {entry.correlationId}</p>
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
