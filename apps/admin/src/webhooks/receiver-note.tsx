import guideUrl from '../../../../docs/receiving-webhooks.md?url';
import { useSession } from '../auth/session';
import { useLoad } from '../components/use-load';

/**
 * What a receiver must allow and how it verifies (docs/receiving-webhooks.md, bundled with the page):
 * the egress addresses (DELIVERY_EGRESS_IPS) and the User-Agent, from GET /delivery-settings.
 */
export function ReceiverNote() {
  const { api } = useSession();
  const settings = useLoad('delivery-settings', () => api.deliverySettings());
  const egressIps = settings.data?.egressIps ?? [];
  return (
    // Long addresses and the User-Agent wrap anywhere rather than widen a phone's page.
    <section
      className="banner banner-info"
      style={{ overflowWrap: 'anywhere' }}
      aria-labelledby="receiver-note-title"
    >
      <h2 id="receiver-note-title">Receiving these webhooks</h2>
      {settings.error ? (
        <p>The egress addresses could not be loaded.</p>
      ) : !settings.data ? (
        <p className="muted">Loading…</p>
      ) : egressIps.length > 0 ? (
        <p>
          Receivers must allow requests from:{' '}
          {egressIps.map((ip, index) => (
            <span key={ip}>
              {index > 0 && ', '}
              <code>{ip}</code>
            </span>
          ))}
          .
        </p>
      ) : (
        <p>
          No egress addresses are configured (<code>DELIVERY_EGRESS_IPS</code>): requests do not
          come from a fixed list, so receivers rely on the signature.
        </p>
      )}
      {settings.data && (
        <p>
          Every request carries <code>User-Agent: {settings.data.userAgent}</code> and is signed
          (Standard Webhooks): verify it on the raw body.
        </p>
      )}
      <p>
        <a href={guideUrl} target="_blank" rel="noreferrer">
          How to receive webhooks
        </a>
      </p>
    </section>
  );
}
