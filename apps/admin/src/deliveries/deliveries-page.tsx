import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { DELIVERY_STATUSES } from '../api/types';
import { useSession } from '../auth/session';
import { StatusBadge } from '../components/badges';
import { ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { capitalise, formatDateTime } from '../lib/format';
import { readDeliveryFilters } from '../lib/list-filters';
import { useUrlFilters } from '../lib/use-url-filters';

const PAGE_SIZE = 25;
/** The first page refreshes itself while open, so a delivery shows up without a reload. */
const REFRESH_MS = 3_000;

/** Webhook Deliveries: every attempt's outcome, filtered by webhook, status and event type. */
export function DeliveriesPage() {
  const { api } = useSession();
  const [filters, change] = useUrlFilters(readDeliveryFilters);
  const [previousCursors, setPreviousCursors] = useState<string[]>([]);
  const catalogue = useLoad('event-types', () => api.eventTypes());
  const webhooks = useLoad('webhook-names', () => api.listWebhooks({ limit: 100 }));
  const query = { ...filters, limit: PAGE_SIZE, cursor: filters.cursor || undefined };
  const list = useLoad(JSON.stringify(query), () => api.listDeliveries(query));
  const { reload } = list;

  useEffect(() => {
    if (filters.cursor) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [filters.cursor, reload]);

  const onChange = useCallback(
    (update: Parameters<typeof change>[0]) => {
      setPreviousCursors([]);
      change(update);
    },
    [change],
  );

  const names = new Map((webhooks.data?.items ?? []).map((webhook) => [webhook.id, webhook.name]));
  const filteredWebhookUnknown =
    filters.webhookId && webhooks.data && !names.has(filters.webhookId);
  const eventTypes = [
    ...(catalogue.data ?? []).flatMap((group) => group.eventTypes),
    'webhook.test',
  ];
  const page = list.data;

  return (
    <section aria-labelledby="deliveries-title">
      <div className="page-header">
        <div>
          <h1 id="deliveries-title">Webhook Deliveries</h1>
          <p className="lead">
            Each platform event sent to each matching webhook, with every attempt and its response.
          </p>
        </div>
        <button type="button" className="button" onClick={reload}>
          Refresh
        </button>
      </div>

      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="delivery-webhook">Webhook</label>
          <select
            id="delivery-webhook"
            value={filters.webhookId}
            onChange={(event) => onChange({ webhookId: event.target.value })}
          >
            <option value="">All webhooks</option>
            {filteredWebhookUnknown && (
              <option value={filters.webhookId}>{filters.webhookId}</option>
            )}
            {(webhooks.data?.items ?? []).map((webhook) => (
              <option key={webhook.id} value={webhook.id}>
                {webhook.name} ({webhook.environment})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="delivery-status">Status</label>
          <select
            id="delivery-status"
            value={filters.status}
            onChange={(event) => onChange({ status: event.target.value })}
          >
            <option value="">Any status</option>
            {DELIVERY_STATUSES.map((status) => (
              <option key={status} value={status}>
                {capitalise(status)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="delivery-event-type">Event type</label>
          <select
            id="delivery-event-type"
            value={filters.eventType}
            onChange={(event) => onChange({ eventType: event.target.value })}
          >
            <option value="">Any event type</option>
            {eventTypes.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
      </form>

      <ProblemBanner error={list.error} />
      {page && page.items.length === 0 && (
        <div className="empty-state">
          <h2>
            No deliveries
            {filters.webhookId || filters.status || filters.eventType ? ' match' : ' yet'}
          </h2>
          <p>
            Deliveries appear here when a platform event matches an active webhook, or when an admin
            sends a test event from a webhook's page.
          </p>
        </div>
      )}
      {page && page.items.length > 0 && (
        <>
          <table className="table responsive-table">
            <caption className="visually-hidden">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event type</th>
                <th scope="col">Webhook</th>
                <th scope="col">Status</th>
                <th scope="col">Response</th>
                <th scope="col">Attempts</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((delivery) => (
                <tr key={delivery.id}>
                  <td data-label="Time">
                    <time dateTime={delivery.createdAt}>{formatDateTime(delivery.createdAt)}</time>
                  </td>
                  <td data-label="Event type">
                    <code>{delivery.eventType}</code>
                  </td>
                  <td data-label="Webhook">
                    {names.get(delivery.webhookId) ?? delivery.webhookId}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={delivery.status} />
                  </td>
                  <td data-label="Response">
                    {delivery.lastAttempt
                      ? (delivery.lastAttempt.responseStatus ??
                        delivery.lastAttempt.error ??
                        'no response')
                      : '—'}
                  </td>
                  <td data-label="Attempts">{delivery.attemptCount}</td>
                  <td data-label="Details">
                    <Link
                      to={`/deliveries/${delivery.id}`}
                      aria-label={`Details of ${delivery.eventType} delivery ${delivery.id}`}
                    >
                      Details
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pagination" aria-label="Pages of deliveries">
            <button
              type="button"
              className="button"
              disabled={!filters.cursor}
              onClick={() => {
                change({ cursor: previousCursors.at(-1) ?? '' });
                setPreviousCursors(previousCursors.slice(0, -1));
              }}
            >
              Newer
            </button>
            <button
              type="button"
              className="button"
              disabled={!page.nextCursor}
              onClick={() => {
                setPreviousCursors([...previousCursors, filters.cursor]);
                change({ cursor: page.nextCursor ?? '' });
              }}
            >
              Older
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
