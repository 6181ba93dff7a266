import { useState } from 'react';
import { useSession } from '../auth/session';
import { ModalDialog } from '../components/modal-dialog';
import { ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { formatDateTime } from '../lib/format';
import { fromLocalInput, toLocalInput } from '../lib/local-time';
import { BatchProgressDialog, useBatchedAction } from './batched-action';
import type { BatchOutcome } from './batches';

export interface RecoveryRequest {
  webhook: { id: string; name: string };
  /** Where the time picker starts (ISO). */
  since: string;
  /** Said first, e.g. that the webhook is active again. */
  intro?: string;
  /** After deliveries were sent again (to reload a list). */
  onRecovered?: () => void;
}

/**
 * "Recover failed deliveries since…": pick the time, see how many failed deliveries of the
 * webhook were created since (a dry run), confirm, and the page sends them again, one bounded
 * call after another while the API says `capped`, with the running total; Cancel stops before
 * the next call.
 */
export function RecoverDialog({
  request,
  onClose,
}: {
  request: RecoveryRequest;
  onClose: () => void;
}) {
  const { api } = useSession();
  const { webhook } = request;
  const [since, setSince] = useState(request.since);
  const action = useBatchedAction<true>();
  const preview = useLoad(`recover-preview:${webhook.id}:${since}`, (signal) =>
    since ? api.previewRecovery(webhook.id, since, signal) : Promise.resolve(null),
  );
  const count = preview.data && !preview.loading ? preview.data : null;

  async function recover() {
    const outcome = await action.start(async () => {
      const answer = await api.recover(webhook.id, since);
      return { done: answer.recovered, next: answer.capped ? true : null };
    });
    if (outcome.done > 0) request.onRecovered?.();
  }

  const title = `Recover failed deliveries of "${webhook.name}"`;
  if (action.phase.name !== 'ready') {
    return (
      <BatchProgressDialog
        title={title}
        phase={action.phase}
        onCancel={action.cancel}
        onClose={onClose}
        running={(done) =>
          `Recovering… ${done} sent again so far${count ? ` of ${count.recoverable}${count.capped ? '+' : ''}` : ''}.`
        }
        progressMax={count ? count.recoverable : null}
        finished={(outcome) => recoveredMessage(outcome.done, outcome.ended)}
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
            disabled={!count || count.recoverable === 0}
            onClick={() => void recover()}
          >
            {count && count.recoverable > 0
              ? `Recover ${count.recoverable}${count.capped ? '+' : ''} deliver${count.recoverable === 1 ? 'y' : 'ies'}`
              : 'Recover'}
          </button>
        </>
      }
    >
      {request.intro && <p>{request.intro}</p>}
      <div className="field">
        <label htmlFor="recover-since">Failed deliveries created since</label>
        <input
          id="recover-since"
          type="datetime-local"
          step={1}
          value={toLocalInput(since)}
          onChange={(event) => {
            const chosen = fromLocalInput(event.target.value);
            if (chosen) setSince(chosen);
          }}
        />
        <p className="field-hint">
          Each is sent once more, now, with a fresh signature. Deliveries that succeeded or are
          still being retried are left alone.
        </p>
      </div>
      <ProblemBanner error={preview.error} />
      <p role="status" aria-live="polite">
        {!count
          ? 'Counting…'
          : count.recoverable === 0
            ? `No failed deliveries since ${formatDateTime(since)}.`
            : `${count.recoverable}${count.capped ? ' or more' : ''} failed deliver${count.recoverable === 1 ? 'y' : 'ies'} since ${formatDateTime(since)}.`}
        {count?.capped &&
          ` One call sends up to ${count.maxPerCall}; the page calls again until all are sent.`}
      </p>
    </ModalDialog>
  );
}

export function recoveredMessage(done: number, ended: BatchOutcome['ended']): string {
  const sent = `${done} failed deliver${done === 1 ? 'y was' : 'ies were'} sent again`;
  switch (ended) {
    case 'finished':
      return done === 0
        ? 'Nothing to recover: no failed deliveries matched.'
        : `Recovered: ${sent}.`;
    case 'cancelled':
      return `Stopped: ${sent} before you cancelled; the rest stay failed.`;
    case 'stalled':
      return `Stopped: ${sent}, then the API had no more to send.`;
    case 'failed':
      return `Stopped by an error after ${sent}.`;
  }
}
