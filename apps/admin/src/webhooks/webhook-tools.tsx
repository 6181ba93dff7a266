import { useState } from 'react';
import { Link } from 'react-router';
import type { Webhook } from '../api/types';
import { useSession } from '../auth/session';
import { useRecovery } from '../recovery/recovery-context';
import { aDayBefore } from '../recovery/recovery-since';

export interface WebhookToolsProps {
  webhook: Webhook;
  onNotice: (message: string) => void;
  onError: (error: Error) => void;
}

/**
 * Links from one webhook to its deliveries (in the webhook's environment, which becomes the
 * current one) and history, and for admins "Send test event" and "Recover failed deliveries…".
 */
export function WebhookTools({ webhook, onNotice, onError }: WebhookToolsProps) {
  const { api, can } = useSession();
  const [sending, setSending] = useState(false);
  const [testDeliveryId, setTestDeliveryId] = useState<string | null>(null);
  const { offerRecovery } = useRecovery();

  async function sendTest() {
    setSending(true);
    try {
      const delivery = await api.sendTestEvent(webhook.id);
      setTestDeliveryId(delivery.id);
      onNotice('A webhook.test event was queued; the worker sends it within seconds.');
    } catch (error) {
      onError(error as Error);
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="toolbar">
      <Link
        to={`/deliveries?webhookId=${encodeURIComponent(webhook.id)}&env=${webhook.environment}`}
      >
        Deliveries
      </Link>
      <Link to={`/webhooks/${webhook.id}/history`}>History</Link>
      {can('write') && webhook.status !== 'deleted' && (
        <button type="button" className="button" disabled={sending} onClick={() => void sendTest()}>
          {sending ? 'Sending…' : 'Send test event'}
        </button>
      )}
      {can('write') && webhook.status !== 'deleted' && (
        <button
          type="button"
          className="button"
          onClick={() =>
            offerRecovery({
              webhook,
              since: aDayBefore(),
            })
          }
        >
          Recover failed deliveries…
        </button>
      )}
      {testDeliveryId && <Link to={`/deliveries/${testDeliveryId}`}>View the test delivery</Link>}
    </div>
  );
}
