import { useRef, useState, type ReactNode } from 'react';
import { ModalDialog } from '../components/modal-dialog';
import { ProblemBanner } from '../components/problem-banner';
import { runBatches, type BatchAnswer, type BatchOutcome } from './batches';

/** Where a bulk action stands: not started (the dialog's own first view), running, or over. */
export type BatchPhase =
  { name: 'ready' } | { name: 'running'; done: number } | { name: 'over'; outcome: BatchOutcome };

export interface BatchedAction<C> {
  phase: BatchPhase;
  /** Makes the calls until done, cancelled, stalled or failed; resolves with the outcome. */
  start: (call: (cursor: C | undefined) => Promise<BatchAnswer<C>>) => Promise<BatchOutcome>;
  /** Stops before the next call (the one in flight finishes, so the total stays true). */
  cancel: () => void;
}

/**
 * The state of a bulk action the API does in bounded calls (runBatches), for a dialog that shows
 * its own first view (count, confirm) while `ready`, then BatchProgressDialog.
 */
export function useBatchedAction<C>(): BatchedAction<C> {
  const [phase, setPhase] = useState<BatchPhase>({ name: 'ready' });
  const cancelled = useRef(false);
  async function start(call: (cursor: C | undefined) => Promise<BatchAnswer<C>>) {
    cancelled.current = false;
    setPhase({ name: 'running', done: 0 });
    const outcome = await runBatches<C>(call, {
      onProgress: (done) => setPhase({ name: 'running', done }),
      isCancelled: () => cancelled.current,
    });
    setPhase({ name: 'over', outcome });
    return outcome;
  }
  return { phase, start, cancel: () => (cancelled.current = true) };
}

/**
 * The running and the finished views of a bulk action's dialog: "so far" with a progress bar and
 * Cancel, then what was done (and the error that stopped it, if one did) with Close.
 */
export function BatchProgressDialog({
  title,
  phase,
  onCancel,
  onClose,
  running,
  progressMax,
  finished,
}: {
  title: string;
  phase: Exclude<BatchPhase, { name: 'ready' }>;
  onCancel: () => void;
  onClose: () => void;
  /** The running total in words. */
  running: (done: number) => ReactNode;
  /** The bar's end (what was counted), or null to show no bar. */
  progressMax: number | null;
  /** What the action did, in words. */
  finished: (outcome: BatchOutcome) => string;
}) {
  if (phase.name === 'running') {
    return (
      <ModalDialog
        open
        title={title}
        onClose={onCancel}
        actions={
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        }
      >
        <p role="status">{running(phase.done)}</p>
        {progressMax !== null && (
          <progress max={Math.max(progressMax, phase.done, 1)} value={phase.done}>
            {phase.done}
          </progress>
        )}
      </ModalDialog>
    );
  }
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
      <p role="status">{finished(outcome)}</p>
      {outcome.ended === 'failed' && <ProblemBanner error={outcome.error as Error} />}
    </ModalDialog>
  );
}
