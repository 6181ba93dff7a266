import { useRef, useState } from 'react';
import type { FailedDeliveriesFilter } from '../api/types';
import { useSession } from '../auth/session';
import { ModalDialog } from '../components/modal-dialog';
import { ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { MAX_RETRY_BATCH, retryBatchSize, runBatches, type BatchOutcome } from './batches';

type Phase =
  { name: 'count' } | { name: 'running'; done: number } | { name: 'over'; outcome: BatchOutcome };

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
  const [phase, setPhase] = useState<Phase>({ name: 'count' });
  const cancelled = useRef(false);
  const counted = useLoad(`retry-count:${JSON.stringify(filter)}`, (signal) =>
    api.countFailed(filter, signal),
  );
  const count = counted.data;
  const total = count ? `${count.count}${count.capped ? '+' : ''}` : '…';

  async function retry() {
    cancelled.current = false;
    const batch = retryBatchSize(count?.count ?? 0);
    setPhase({ name: 'running', done: 0 });
    const outcome = await runBatches<string>(
      async (cursor) => {
        const answer = await api.retryFailed(filter, cursor, batch);
        return { done: answer.retried, next: answer.nextCursor };
      },
      {
        onProgress: (done) => setPhase({ name: 'running', done }),
        isCancelled: () => cancelled.current,
      },
    );
    setPhase({ name: 'over', outcome });
    if (outcome.done > 0) onRetried();
  }

  const title = 'Retry failed deliveries';
  if (phase.name === 'running') {
    return (
      <ModalDialog
        open
        title={title}
        onClose={() => (cancelled.current = true)}
        actions={
          <button type="button" className="button" onClick={() => (cancelled.current = true)}>
            Cancel
          </button>
        }
      >
        <p role="status">
          Retrying… {phase.done} of {total} sent again.
        </p>
        <progress max={Math.max(count?.count ?? 0, phase.done, 1)} value={phase.done}>
          {phase.done}
        </progress>
      </ModalDialog>
    );
  }
  if (phase.name === 'over') {
    const { outcome } = phase;
    return (
      <ModalDialog
        open
        title={title}
        onClose={onClose}
        actions={
          <button type="button" className="button button-primary" onClick={onClose}>
            Close
          </button>
        }
      >
        <p role="status">{retriedMessage(outcome, total)}</p>
        {outcome.ended === 'failed' && <ProblemBanner error={outcome.error as Error} />}
      </ModalDialog>
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
