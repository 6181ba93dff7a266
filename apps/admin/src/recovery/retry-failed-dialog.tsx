import type { FailedDeliveriesFilter } from '../api/types';
import { useSession } from '../auth/session';
import { ModalDialog } from '../components/modal-dialog';
import { ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { BatchProgressDialog, useBatchedAction } from './batched-action';
import { MAX_RETRY_BATCH, retryBatchSize, type BatchOutcome } from './batches';

/**
 * "Retry failed (N)" on the deliveries log: how many failed deliveries match the filters (a dry
 * run), then, once confirmed, sends them again batch after batch (the API's cursor), showing
 * "retried so far / count"; Cancel stops before the next batch.
 */
export function RetryFailedDialog({
  filter,
  description,
  onClose,
  onRetried,
}: {
  filter: FailedDeliveriesFilter;
  /** The filters in words, e.g. "webhook CRM Sync, 5xx responses". */
  description: string;
  onClose: () => void;
  onRetried: () => void;
}) {
  const { api } = useSession();
  const action = useBatchedAction<string>();
  const counted = useLoad(`retry-count:${JSON.stringify(filter)}`, (signal) =>
    api.countFailed(filter, signal),
  );
  const count = counted.data;
  const total = count ? `${count.count}${count.capped ? '+' : ''}` : '…';

  async function retry() {
    const batch = retryBatchSize(count?.count ?? 0);
    const outcome = await action.start(async (cursor) => {
      const answer = await api.retryFailed(filter, cursor, batch);
      return { done: answer.retried, next: answer.nextCursor };
    });
    if (outcome.done > 0) onRetried();
  }

  const title = 'Retry failed deliveries';
  if (action.phase.name !== 'ready') {
    return (
      <BatchProgressDialog
        title={title}
        phase={action.phase}
        onCancel={action.cancel}
        onClose={onClose}
        running={(done) => `Retrying… ${done} of ${total} sent again.`}
        progressMax={count?.count ?? 0}
        finished={(outcome) => retriedMessage(outcome, total)}
      />
    );
  }
  return (
    <ModalDialog
      open
      title={title}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!count || count.count === 0}
            onClick={() => void retry()}
          >
            Retry failed ({total})
          </button>
        </>
      }
    >
      <ProblemBanner error={counted.error} />
      <p role="status" aria-live="polite">
        {!count
          ? 'Counting the failed deliveries that match…'
          : count.count === 0
            ? `No failed deliveries match (${description}).`
            : `${count.count}${count.capped ? ' or more' : ''} failed deliver${count.count === 1 ? 'y matches' : 'ies match'}: ${description}.`}
      </p>
      <p className="field-hint">
        Each is sent once more, now, with a fresh signature; no automatic retries follow. They go in
        batches (about a tenth of them, at most {MAX_RETRY_BATCH} a call), and Cancel stops before
        the next batch.
      </p>
    </ModalDialog>
  );
}

function retriedMessage(outcome: BatchOutcome, total: string): string {
  const sent = `${outcome.done} of ${total} failed deliver${outcome.done === 1 ? 'y' : 'ies'} sent again`;
  switch (outcome.ended) {
    case 'finished':
      return `Done: ${sent}.`;
    case 'cancelled':
      return `Cancelled: ${sent}; the rest stay failed.`;
    case 'stalled':
      return `Stopped: ${sent}, then the API had no more to send.`;
    case 'failed':
      return `Stopped by an error: ${sent}.`;
  }
}
