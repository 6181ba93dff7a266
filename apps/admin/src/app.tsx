import { Navigate, Route, Routes } from 'react-router';
import { useSessionContext } from './auth/session';
import { SignInPage } from './auth/sign-in-page';
import { AuditPage } from './audit/audit-page';
import { Layout } from './layout';
import { DeliveriesPage } from './deliveries/deliveries-page';
import { DeliveryPage } from './deliveries/delivery-page';
import { SettingsPage } from './settings/settings-page';
import { WebhookFormPage } from './webhooks/webhook-form-page';
import { WebhookHistoryPage } from './webhooks/webhook-history-page';
import { WebhooksPage } from './webhooks/webhooks-page';

/** Until a token is accepted every URL shows the sign-in form; afterwards the same URL opens. */
export function App() {
  const { session } = useSessionContext();
  if (!session) return <SignInPage />;
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/webhooks" replace />} />
        <Route path="webhooks" element={<WebhooksPage />} />
        <Route path="webhooks/new" element={<WebhookFormPage />} />
        <Route path="webhooks/:id/edit" element={<WebhookFormPage />} />
        <Route path="webhooks/:id/history" element={<WebhookHistoryPage />} />
        <Route path="deliveries" element={<DeliveriesPage />} />
        <Route path="deliveries/:id" element={<DeliveryPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no admin page at this address. Go to <a href="/admin/webhooks">Webhooks</a>.
      </p>
    </section>
  );
}
