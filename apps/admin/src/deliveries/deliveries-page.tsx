import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { DELIVERY_STATUSES } from '../api/types';
import { useSession } from '../auth/session';
import { StatusBadge } from '../components/badges';
import { CursorPager } from '../components/cursor-pager';
import { FilterSelect } from '../components/filter-select';
import { ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { environmentLabel } from '../environment/environment';
import { useCurrentEnvironment } from '../environment/environment-context';
import { capitalise, formatDateTime } from '../lib/format';
import {
  failedDeliveriesFilter,
  readDeliveryFilters,
  STATUS_CLASSES,
  type DeliveryFilters,
} from '../lib/list-filters';
import { fromLocalInput, toLocalInput } from '../lib/local-time';
import { emptyPageState } from '../lib/page-navigation';
import { useUrlFilters } from '../lib/use-url-filters';
import { usePageTitle } from '../lib/use-page-title';
import { RetryFailedDialog } from '../recovery/retry-failed-dialog';
import { WebhookPicker } from './webhook-picker';

const PAGE_SIZE = 25;
/** The first page refreshes itself while open, so a delivery shows up without a reload. */
const REFRESH_MS = 3_000;
const STATUS_CLASS_LABELS: Record<string, string> = {
  '2xx': '2xx (success)',
  '3xx': '3xx (redirect)',
  '4xx': '4xx (refused)',
  '5xx': '5xx (receiver error)',
  none: 'No response',
};

/**
 * Webhook Deliveries: every attempt's outcome in the current environment, searched by webhook,
 * status, event type, event id, time range and response class; "Retry failed (N)" for the lot.
 */
export function DeliveriesPage() {
  usePageTitle('Webhook Deliveries');
  const { api, can } = useSession();
  const current = useCurrentEnvironment();
  const { filters, change, nextPage, previousPage } = useUrlFilters(readDeliveryFilters);
  const catalogue = useLoad('event-types', () => api.eventTypes());
  const query = {
    ...filters,
    environment: current.filter,
    limit: PAGE_SIZE,
    cursor: filters.cursor || undefined,
  };
  const list = useLoad(JSON.stringify(query), (signal) => api.listDeliveries(query, signal));
  const { reload, refreshIfIdle } = list;
  const [retrying, setRetrying] = useState(false);
  const changeEventId = useCallback((eventId: string) => change({ eventId }), [change]);

  // A tick while the last answer is still on its way is skipped: one request in flight at most.
  useEffect(() => {
    if (filters.cursor) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refreshIfIdle();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [filters.cursor, refreshIfIdle]);

  const page = list.data;
  const names = useWebhookNames([
    ...(page?.items ?? []).map((delivery) => delivery.webhookId),
    ...(filters.webhookId ? [filters.webhookId] : []),
  ]);
  const eventTypes = [
    ...(catalogue.data ?? []).flatMap((group) => group.eventTypes),
    'webhook.test',
  ];
  const searched = Boolean(
    filters.webhookId ||
    filters.status ||
    filters.eventType ||
    filters.eventId ||
    filters.from ||
    filters.to ||
    filters.statusClass,
  );
  const empty =
    page && page.items.length === 0 ? emptyPageState(page, Boolean(filters.cursor)) : null;
  const pager = page && (
    <CursorPager
      label="Pages of deliveries"
      hasPrevious={Boolean(filters.cursor)}
      nextCursor={page.nextCursor}
      onPrevious={previousPage}
      onNext={nextPage}
      labels={['Newer', 'Older']}
    />
  );
  const canRetry = can('write') && (filters.status === '' || filters.status === 'failed');

  return (
    <section aria-labelledby="deliveries-title">
      <div className="page-header">
        <div>
          <h1 id="deliveries-title">
            Webhook Deliveries
            {current.filter && (
              <span className="heading-scope"> in {environmentLabel(current.environment)}</span>
            )}
          </h1>
          <p className="lead">
            Each platform event sent to each matching webhook, with every attempt and its response.
          </p>
        </div>
        <div className="toolbar">
          <button type="button" className="button" onClick={reload}>
            Refresh
          </button>
          {canRetry && (
            <button type="button" className="button" onClick={() => setRetrying(true)}>
              Retry failed…
            </button>
          )}
        </div>
      </div>

      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <WebhookPicker
          value={filters.webhookId}
          valueLabel={names.get(filters.webhookId) ?? filters.webhookId}
          environment={current.filter}
          onChange={(webhookId, name) => {
            if (webhookId && name) names.set(webhookId, name);
            change({ webhookId });
          }}
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
        <FilterSelect
          id="delivery-status-class"
          label="Response"
          value={filters.statusClass}
          anyLabel="Any response"
          options={STATUS_CLASSES.map((value) => ({ value, label: STATUS_CLASS_LABELS[value] }))}
          onChange={(statusClass) => change({ statusClass })}
        />
        <EventIdField value={filters.eventId} onChange={changeEventId} />
        <div className="field">
          <label htmlFor="delivery-from">Created from</label>
          <input
            id="delivery-from"
            type="datetime-local"
            step={1}
            value={toLocalInput(filters.from)}
            onChange={(event) => change({ from: fromLocalInput(event.target.value) })}
          />
        </div>
        <div className="field">
          <label htmlFor="delivery-to">Created before</label>
          <input
            id="delivery-to"
            type="datetime-local"
            step={1}
            value={toLocalInput(filters.to)}
            onChange={(event) => change({ to: fromLocalInput(event.target.value) })}
          />
        </div>
        {searched && (
          <div className="field field-action">
            <button type="button" className="button" onClick={() => change(NO_FILTERS)}>
              Clear filters
            </button>
          </div>
        )}
      </form>

      <ProblemBanner error={list.error} />
      {page && empty && !empty.searchedAll && (
        <div className="empty-state">
          <h2>No matches in this part of the history</h2>
          <p>
            One page searches a bounded part of the history; older deliveries may still match. Use
            Older to search on.
          </p>
        </div>
      )}
      {page && empty?.searchedAll && (
        <div className="empty-state">
          <h2>No deliveries{searched ? ' match' : ' yet'}</h2>
          <p>
            Deliveries appear here when a platform event matches an active webhook, or when an admin
            sends a test event from a webhook's page.
            {current.filter &&
              ` Only ${environmentLabel(current.environment)} deliveries are shown; the environment is chosen at the top of the page.`}
          </p>
        </div>
      )}
      {page && empty?.pager && pager}
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
          {pager}
        </>
      )}
      {retrying && (
        <RetryFailedDialog
          filter={failedDeliveriesFilter(filters, current.filter)}
          description={describe(filters, current.filter, names)}
          onClose={() => setRetrying(false)}
          onRetried={reload}
        />
      )}
    </section>
  );
}

const NO_FILTERS: Omit<DeliveryFilters, 'cursor'> = {
  webhookId: '',
  status: '',
  eventType: '',
  eventId: '',
  from: '',
  to: '',
  statusClass: '',
};

function describe(
  filters: DeliveryFilters,
  environment: string | undefined,
  names: Map<string, string>,
): string {
  const parts = [
    environment ? `in ${capitalise(environment)}` : 'in every environment',
    filters.webhookId && `webhook ${names.get(filters.webhookId) ?? filters.webhookId}`,
    filters.eventType && `event type ${filters.eventType}`,
    filters.eventId && `event ${filters.eventId}`,
    filters.statusClass && STATUS_CLASS_LABELS[filters.statusClass],
    filters.from && `created from ${formatDateTime(filters.from)}`,
    filters.to && `before ${formatDateTime(filters.to)}`,
  ];
  return parts.filter(Boolean).join(', ');
}

/** Event id, sent once typing pauses (or on Enter). */
function EventIdField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => onChange(text.trim()), 400);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <div className="field">
      <label htmlFor="delivery-event-id">Event id</label>
      <input
        id="delivery-event-id"
        type="search"
        className="monospace"
        value={text}
        placeholder="evt_…"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') onChange(text.trim());
        }}
      />
    </div>
  );
}

/**
 * The names of the webhooks on the page, looked up by id once each (GET /webhooks/:id, those not
 * known yet, one batch at a time): the log names any webhook, not only the first hundred.
 */
function useWebhookNames(ids: string[]): Map<string, string> {
  const { api } = useSession();
  const known = useRef(new Map<string, string>());
  const missing = [...new Set(ids)].filter((id) => id && !known.current.has(id)).sort();
  const looked = useLoad(`webhook-names:${missing.join(',')}`, () =>
    Promise.all(
      missing.map(async (id): Promise<[string, string]> => {
        try {
          return [id, (await api.webhook(id)).name];
        } catch {
          return [id, id];
        }
      }),
    ),
  );
  for (const [id, name] of looked.data ?? []) known.current.set(id, name);
  return known.current;
}
