import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { DeliveryAttempt } from '../api/types';
import { useSession } from '../auth/session';
import { StatusBadge } from '../components/badges';
import { PayloadSchemaView } from '../components/payload-schema';
import { Notice, ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { formatDateTime } from '../lib/format';
import { usePageTitle } from '../lib/use-page-title';

/** One delivery: its event, its state, and every attempt with request headers and response. */
export function DeliveryPage() {
  const { id = '' } = useParams();
  usePageTitle(`Delivery ${id}`);
  const { api, can } = useSession();
  const delivery = useLoad(`delivery:${id}`, (signal) => api.delivery(id, signal));
  const webhook = useLoad(`delivery-webhook:${delivery.data?.webhookId ?? ''}`, () =>
    delivery.data ? api.webhook(delivery.data.webhookId) : Promise.resolve(null),
  );
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [retrying, setRetrying] = useState(false);

  async function retry() {
    setRetrying(true);
    setError(null);
    try {
      await api.retryDelivery(id);
      setNotice('Retry queued: the worker makes an attempt now. This page shows it once made.');
      delivery.reload();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setRetrying(false);
    }
  }

  const data = delivery.data;
  return (
    <section aria-labelledby="delivery-title">
      <p className="breadcrumb">
        <Link to="/deliveries">Webhook Deliveries</Link> / {id}
      </p>
      <div className="page-header">
        <h1 id="delivery-title">Delivery {data ? <code>{data.eventType}</code> : null}</h1>
        <div className="toolbar">
          <button type="button" className="button" onClick={delivery.reload}>
            Refresh
          </button>
          {data && can('write') && (
            <button
              type="button"
              className={data.status === 'failed' ? 'button button-primary' : 'button'}
              disabled={retrying}
              onClick={() => void retry()}
            >
              {data.status === 'failed' || data.status === 'succeeded' ? 'Retry' : 'Retry now'}
            </button>
          )}
        </div>
      </div>
      <Notice message={notice} />
      <ProblemBanner error={delivery.error ?? error} />
      {data && (
        <>
          <dl className="summary">
            <div>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={data.status} />
              </dd>
            </div>
            <div>
              <dt>Webhook</dt>
              <dd>
                <Link to={`/webhooks/${data.webhookId}/edit`}>
                  {webhook.data?.name ?? data.webhookId}
                </Link>
              </dd>
            </div>
            <div>
              <dt>Event id</dt>
              <dd>
                <code>{data.eventId}</code>
              </dd>
            </div>
            <div>
              <dt>Environment</dt>
              <dd>{data.environment}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatDateTime(data.createdAt)}</dd>
            </div>
            <div>
              <dt>Attempts</dt>
              <dd>{data.attemptCount}</dd>
            </div>
            {data.requestedBy && (
              // Who asked for the last manual send (a retry, a recovery, a test event).
              <div>
                <dt>Requested by</dt>
                <dd>{data.requestedBy}</dd>
              </div>
            )}
            {data.nextAttemptAt && (
              <div>
                <dt>Next attempt</dt>
                <dd>{formatDateTime(data.nextAttemptAt)}</dd>
              </div>
            )}
          </dl>
          <h2>Attempts</h2>
          {data.attempts.length === 0 && <p>No attempt yet: the worker sends it shortly.</p>}
          <ol className="attempts">
            {data.attempts.map((attempt) => (
              <AttemptCard key={attempt.number} attempt={attempt} />
            ))}
          </ol>
          <details className="payload">
            <summary>Payload sent</summary>
            <pre>{JSON.stringify(data.payload, null, 2)}</pre>
          </details>
          <TypeSchema type={data.eventType} />
        </>
      )}
    </section>
  );
}

/** Beside the payload: its type's data schema and example, loaded when opened. */
function TypeSchema({ type }: { type: string }) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const described = useLoad(`event-type:${open ? type : ''}`, () =>
    open ? api.eventType(type) : Promise.resolve(null),
  );
  return (
    <details className="payload" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        Schema of <code>{type}</code> data
      </summary>
      {described.error && <p role="alert">The schema could not be loaded.</p>}
      {described.data && <PayloadSchemaView type={type} described={described.data} />}
    </details>
  );
}

function AttemptCard({ attempt }: { attempt: DeliveryAttempt }) {
  const ok = attempt.responseStatus !== null && attempt.responseStatus < 300;
  return (
    <li className={ok ? 'attempt attempt-ok' : 'attempt attempt-failed'}>
      <h3>
        Attempt {attempt.number}:{' '}
        {attempt.responseStatus !== null ? `HTTP ${attempt.responseStatus}` : 'no response'}
        {attempt.trigger === 'manual' && <span className="badge">manual</span>}
      </h3>
      {attempt.requestedBy && <p className="requested-by">Requested by {attempt.requestedBy}</p>}
      <p className="muted">
        {formatDateTime(attempt.at)}
        {attempt.durationMs !== null && ` · ${attempt.durationMs} ms`} · <code>{attempt.url}</code>
      </p>
      {attempt.error && <p className="attempt-error">{attempt.error}</p>}
      <details>
        <summary>Request headers</summary>
        <table className="table headers">
          <tbody>
            {Object.entries(attempt.requestHeaders).map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>
                  <code>{value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <details open={!ok}>
        <summary>Response body (first 4 KiB)</summary>
        <pre>{attempt.responseBody || '(empty)'}</pre>
      </details>
    </li>
  );
}
