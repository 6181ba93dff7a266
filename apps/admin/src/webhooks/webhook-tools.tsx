import { useState } from 'react';
import { Link } from 'react-router';
import type { Webhook } from '../api/types';
import { useSession } from '../auth/session';

export interface WebhookToolsProps {
  webhook: Webhook;
  onNotice: (message: string) => void;
  onError: (error: Error) => void;
}

/** Links from one webhook to its deliveries and history, and "Send test event" for admins. */
export function WebhookTools({ webhook, onNotice, onError }: WebhookToolsProps) {
  const { api, can } = useSession();
  const [sending, setSending] = useState(false);
  const [testDeliveryId, setTestDeliveryId] = useState<string | null>(null);

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
      <Link to={`/deliveries?webhookId=${encodeURIComponent(webhook.id)}`}>Deliveries</Link>
      <Link to={`/webhooks/${webhook.id}/history`}>History</Link>
      {can('write') && webhook.status !== 'deleted' && (
        <button type="button" className="button" disabled={sending} onClick={() => void sendTest()}>
          {sending ? 'Sending…' : 'Send test event'}
        </button>
      )}
      {testDeliveryId && <Link to={`/deliveries/${testDeliveryId}`}>View the test delivery</Link>}
    </div>
  );
}
