import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { ApiError } from '../api/api-error';
import type { Webhook } from '../api/types';
import { useSession } from '../auth/session';
import { EnvironmentBadge } from '../components/badges';
import { ConfirmDialog } from '../components/confirm-dialog';
import { CursorPager } from '../components/cursor-pager';
import { Notice, ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { readWebhookFilters } from '../lib/list-filters';
import { useUrlFilters } from '../lib/use-url-filters';
import { useCurrentEnvironment } from '../environment/environment-context';
import { environmentLabel } from '../environment/environment';
import { useRecovery } from '../recovery/recovery-context';
import { aDayBefore } from '../recovery/recovery-since';
import { useResume, WebhookStatus } from './pause-banner';
import { pauseOf } from './pause';
import { WebhookFiltersBar } from './webhook-filters';
import { WebhookRowActions } from './webhook-row-actions';
import { usePageTitle } from '../lib/use-page-title';

const PAGE_SIZE = 20;

/** The main list (manual §1–2): every webhook, searchable and filtered, with its actions. */
export function WebhooksPage() {
  usePageTitle('Webhooks');
  const { api, can } = useSession();
  const { filters, change, nextPage, previousPage, pagesBefore } =
    useUrlFilters(readWebhookFilters);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);
  const location = useLocation();
  const [notice, setNotice] = useState<string | null>(
    (location.state as { notice?: string } | null)?.notice ?? null,
  );
  const [toDelete, setToDelete] = useState<Webhook | null>(null);
  const current = useCurrentEnvironment();
  const { offerRecovery } = useRecovery();
  const resume = useResume();

  const query = {
    ...filters,
    environment: current.filter,
    limit: PAGE_SIZE,
    cursor: filters.cursor || undefined,
  };
  // The offset travels with its answer, so "Showing 21–40" never labels the previous page's rows.
  const offset = pagesBefore * PAGE_SIZE;
  const list = useLoad(JSON.stringify(query), async (signal) => ({
    ...(await api.listWebhooks(query, signal)),
    offset,
  }));
  const canWrite = can('write');
  const filtered = Boolean(filters.search || filters.status);

  // A row changed here shows its new state at once, until the reloaded list arrives.
  const [changed, setChanged] = useState<Record<string, Webhook>>({});
  useEffect(() => setChanged({}), [list.data]);

  async function run(webhook: Webhook, action: () => Promise<string>) {
    setBusyId(webhook.id);
    setActionError(null);
    setNotice(null);
    try {
      setNotice(await action());
    } catch (error) {
      setActionError(conflictAware(error as Error));
    } finally {
      setBusyId(null);
      list.reload();
    }
  }

  const toggle = (webhook: Webhook) =>
    void run(webhook, async () => {
      const active = webhook.status !== 'active';
      const pause = pauseOf(webhook);
      // Switching on an automatically paused webhook is a Resume: it offers the recovery too.
      const updated =
        active && pause
          ? await resume(webhook, pause, webhook.version, list.reload)
          : await api.setActive(webhook.id, active, webhook.version);
      setChanged((rows) => ({ ...rows, [updated.id]: updated }));
      return `${webhook.name} is now ${active ? 'active' : 'inactive'}.`;
    });

  const confirmDelete = () => {
    const webhook = toDelete;
    if (!webhook) return;
    setToDelete(null);
    void run(webhook, async () => {
      await api.deleteWebhook(webhook.id, webhook.version);
      return `${webhook.name} was deleted. Its history stays readable.`;
    });
  };

  const page = list.data;
  const firstIndex = page?.offset ?? 0;
  return (
    <section aria-labelledby="webhooks-title">
      <div className="page-header">
        <div>
          <h1 id="webhooks-title">
            Webhooks
            {current.filter && (
              <span className="heading-scope"> in {environmentLabel(current.environment)}</span>
            )}
          </h1>
          <p className="lead">
            Real-time HTTP notifications of license, activation, product, contract and telemetry
            events, signed with each webhook's secret.
          </p>
        </div>
        {canWrite && (
          <Link className="button button-primary" to={`/webhooks/new${current.search}`}>
            Create Webhook
          </Link>
        )}
      </div>

      <WebhookFiltersBar filters={filters} onChange={change} />
      <Notice message={notice} />
      <ProblemBanner error={actionError} onDismiss={() => setActionError(null)} />
      <ProblemBanner error={list.error} />

      {page && page.total === 0 && !filtered && current.filter && (
        <div className="empty-state">
          <h2>No webhooks in {environmentLabel(current.environment)}</h2>
          <p>Webhooks of the other environments are not shown while this one is current.</p>
          <button type="button" className="button" onClick={() => current.setEnvironment('all')}>
            Show all environments
          </button>
        </div>
      )}
      {page && page.total === 0 && !filtered && !current.filter && (
        <div className="empty-state">
          <h2>No webhooks yet</h2>
          <p>
            A webhook sends an HTTPS POST to your endpoint whenever a platform event you choose
            happens, such as <code>activation.failed</code>.
          </p>
          {canWrite ? (
            <Link className="button button-primary" to="/webhooks/new">
              Create your first webhook
            </Link>
          ) : (
            <p>An admin can create the first one.</p>
          )}
        </div>
      )}
      {page && page.total === 0 && filtered && (
        <div className="empty-state">
          <h2>No webhooks match</h2>
          <p>Nothing matches these filters.</p>
          <button
            type="button"
            className="button"
            onClick={() => change({ search: '', status: '' })}
          >
            Clear filters
          </button>
        </div>
      )}

      {page && page.total > 0 && (
        <>
          <p className="list-summary" aria-live="polite">
            {page.total} webhook{page.total === 1 ? '' : 's'}
            {list.loading ? ' (updating…)' : ''} · {page.counts.active} active ·{' '}
            {page.counts.inactive} inactive
          </p>
          <table className="table responsive-table">
            <caption className="visually-hidden">Webhooks</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">URL</th>
                <th scope="col">Environment</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.items
                .map((listed) => changed[listed.id] ?? listed)
                .map((webhook) => (
                  <tr key={webhook.id}>
                    <td data-label="Name">
                      <Link
                        to={`/webhooks/${webhook.id}/${webhook.status === 'deleted' ? 'history' : 'edit'}`}
                        className="strong"
                      >
                        {webhook.name}
                      </Link>
                    </td>
                    <td data-label="URL" className="url-cell">
                      {webhook.url}
                    </td>
                    <td data-label="Environment">
                      <EnvironmentBadge environment={webhook.environment} />
                    </td>
                    <td data-label="Events" title={webhook.eventTypes.join(', ')}>
                      {webhook.eventCount}
                    </td>
                    <td data-label="Status">
                      <WebhookStatus webhook={webhook} />
                    </td>
                    <td data-label="Actions">
                      <WebhookRowActions
                        webhook={webhook}
                        canWrite={canWrite}
                        busy={busyId === webhook.id}
                        onToggle={toggle}
                        onDelete={setToDelete}
                        onRecover={(target) =>
                          offerRecovery({
                            webhook: target,
                            since: aDayBefore(),
                            onRecovered: list.reload,
                          })
                        }
                      />
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
          <CursorPager
            label="Pages of webhooks"
            hasPrevious={Boolean(filters.cursor)}
            nextCursor={page.nextCursor}
            onPrevious={previousPage}
            onNext={nextPage}
          >
            Showing {Math.min(firstIndex + 1, page.total)}–
            {Math.min(firstIndex + page.items.length, page.total)} of {page.total}
          </CursorPager>
        </>
      )}

      <ConfirmDialog
        open={toDelete !== null}
        title={`Delete "${toDelete?.name ?? ''}"?`}
        confirmLabel="Delete webhook"
        danger
        onConfirm={confirmDelete}
        onCancel={() => setToDelete(null)}
      >
        <p>
          It stops receiving events at once and cannot be restored. Its history and past deliveries
          stay readable.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** A 412 in the list means someone changed the webhook meanwhile; the list reloads either way. */
function conflictAware(error: Error): Error {
  if (error instanceof ApiError && error.problem.status === 412) {
    return new Error(
      'Someone else changed this webhook a moment ago, so nothing was done. The list now shows its current state; try again.',
    );
  }
  return error;
}
