import { useState } from 'react';
import type { Webhook } from '../api/types';
import { useSession } from '../auth/session';
import { StatusBadge } from '../components/badges';
import { ProblemBanner } from '../components/problem-banner';
import { formatDateTime } from '../lib/format';
import { useRecovery } from '../recovery/recovery-context';
import { recoverySince } from '../recovery/recovery-since';
import { pauseLabel, pauseOf, type WebhookPause } from './pause';

/** The list's Status cell: the status, and for an automatic pause its reason and time. */
export function WebhookStatus({ webhook }: { webhook: Webhook }) {
  const pause = pauseOf(webhook);
  return (
    <>
      <StatusBadge status={webhook.status} />
      {pause && <PauseNote pause={pause} />}
    </>
  );
}

/** The pause's badge, with its reason and time beside it (and in the tooltip). */
export function PauseNote({ pause }: { pause: WebhookPause }) {
  const when = formatDateTime(pause.at);
  return (
    <span className="pause-note" title={`${pause.reason} (${when})`}>
      <span className="badge badge-paused">{pauseLabel(pause)}</span>
      <span className="small muted">
        {pause.reason} · <time dateTime={pause.at}>{when}</time>
      </span>
    </span>
  );
}

/**
 * Resume: activate the webhook again (as of the version shown), then offer to send again what
 * failed meanwhile. The dialog lives above the page (RecoveryProvider), so `onResumed` may reload
 * the page's data at once.
 */
export function useResume() {
  const { api } = useSession();
  const { offerRecovery } = useRecovery();
  return async (
    webhook: Pick<Webhook, 'id' | 'name'>,
    pause: WebhookPause,
    version: number | undefined,
    onRecovered?: () => void,
  ): Promise<Webhook> => {
    const resumed = await api.setActive(webhook.id, true, version);
    offerRecovery({
      webhook,
      since: recoverySince(pause),
      intro: `${webhook.name} is active again and receives new events. Deliveries that failed around the pause can be sent again now.`,
      onRecovered,
    });
    return resumed;
  };
}

/** On a webhook's page: why and since when it is paused, and Resume for admins. */
export function PauseBanner({
  webhook,
  version,
  onResumed,
}: {
  webhook: Webhook;
  version: number;
  onResumed: () => void;
}) {
  const { can } = useSession();
  const resume = useResume();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const pause = pauseOf(webhook);
  if (!pause) return null;

  async function run(paused: WebhookPause) {
    setBusy(true);
    setError(null);
    try {
      await resume(webhook, paused, version);
      onResumed();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="banner banner-warning" role="region" aria-label="Automatic pause">
      <p>
        <strong>{pauseLabel(pause)}</strong> on{' '}
        <time dateTime={pause.at}>{formatDateTime(pause.at)}</time>: {pause.reason}. It receives no
        events until it is resumed.
      </p>
      {can('write') && (
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => void run(pause)}
        >
          {busy ? 'Resuming…' : 'Resume'}
        </button>
      )}
      <ProblemBanner error={error} onDismiss={() => setError(null)} />
    </div>
  );
}
