import { useEffect } from 'react';
import { Link } from 'react-router';
import { DELIVERY_STATUSES } from '../api/types';
import { useSession } from '../auth/session';
import { StatusBadge } from '../components/badges';
import { CursorPager } from '../components/cursor-pager';
import { FilterSelect } from '../components/filter-select';
import { ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { capitalise, formatDateTime } from '../lib/format';
import { readDeliveryFilters } from '../lib/list-filters';
import { useUrlFilters } from '../lib/use-url-filters';
import { usePageTitle } from '../lib/use-page-title';

const PAGE_SIZE = 25;
/** The first page refreshes itself while open, so a delivery shows up without a reload. */
const REFRESH_MS = 3_000;

/** Webhook Deliveries: every attempt's outcome, filtered by webhook, status and event type. */
export function DeliveriesPage() {
  usePageTitle('Webhook Deliveries');
  const { api } = useSession();
  const { filters, change, nextPage, previousPage } = useUrlFilters(readDeliveryFilters);
  const catalogue = useLoad('event-types', () => api.eventTypes());
  const webhooks = useLoad('webhook-names', () => api.listWebhooks({ limit: 100 }));
  const query = { ...filters, limit: PAGE_SIZE, cursor: filters.cursor || undefined };
  const list = useLoad(JSON.stringify(query), (signal) => api.listDeliveries(query, signal));
  const { reload, refreshIfIdle } = list;

  // A tick while the last answer is still on its way is skipped: one request in flight at most.
  useEffect(() => {
    if (filters.cursor) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refreshIfIdle();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [filters.cursor, refreshIfIdle]);

  const names = new Map((webhooks.data?.items ?? []).map((webhook) => [webhook.id, webhook.name]));
  const filteredWebhookUnknown =
    filters.webhookId && webhooks.data && !names.has(filters.webhookId);
  const eventTypes = [
    ...(catalogue.data ?? []).flatMap((group) => group.eventTypes),
    'webhook.test',
  ];
  // A shared link may name a webhook not among the first 100: it stays selectable by its id.
  const webhookOptions = [
    ...(filteredWebhookUnknown ? [{ value: filters.webhookId, label: filters.webhookId }] : []),
    ...(webhooks.data?.items ?? []).map((webhook) => ({
      value: webhook.id,
      label: `${webhook.name} (${webhook.environment})`,
    })),
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
        <FilterSelect
          id="delivery-webhook"
          label="Webhook"
          value={filters.webhookId}
          anyLabel="All webhooks"
          options={webhookOptions}
          onChange={(webhookId) => change({ webhookId })}
        />
        <FilterSelect
          id="delivery-status"
          label="Status"
          value={filters.status}
          anyLabel="Any status"
          options={DELIVERY_STATUSES.map((value) => ({ value, label: capitalise(value) }))}
          onChange={(status) => change({ status })}
        />
        <FilterSelect
          id="delivery-event-type"
          label="Event type"
          value={filters.eventType}
          anyLabel="Any event type"
          options={eventTypes.map((value) => ({ value, label: value }))}
          onChange={(eventType) => change({ eventType })}
        />
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
          <CursorPager
            label="Pages of deliveries"
            hasPrevious={Boolean(filters.cursor)}
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
