import { EVENT_DATA_SCHEMAS } from '@app/platform-events';
import { useAdminPageRig } from '../../../test/support/admin-page-rig';

/**
 * The admin page shows each event type's data schema and example: from the event picker on the
 * webhook form, and beside a delivery's payload. Chromium against the real api.
 */
describe('the admin page: event payload schemas (real ui.browser)', () => {
  const ui = useAdminPageRig({ label: 'admin_schemas', worker: false });

  const { open } = ui;

  it("given the webhook form and a delivery, when an admin opens a type's payload and a delivery's schema, then each shows the type's description, example and JSON Schema", async () => {
    const { page, errors } = await open('/webhooks/new');
    const item = page.getByRole('listitem').filter({ hasText: 'license.activated' });
    await item.getByText('payload', { exact: true }).click();
    const view = item.getByLabel('Payload of license.activated');
    await view.waitFor();
    const shown = (await view.textContent()) ?? '';
    expect(shown).toContain(EVENT_DATA_SCHEMAS['license.activated'].description);
    expect(shown).toContain('"fingerprint"');
    expect(shown).toContain('https://json-schema.org/draft/2020-12/schema');

    const hook = await ui.rig.createWebhook({
      name: 'Schemas',
      path: '/schemas',
      eventTypes: ['license.created'],
    });
    expect((await ui.rig.call('POST', `/webhooks/${hook.id}/test`)).status).toBeLessThan(300);
    const { body } = await ui.rig.call('GET', `/deliveries?webhookId=${hook.id}`);
    const [delivery] = body.items as { id: string }[];
    await page.goto(`${ui.rig.api.url}/admin/deliveries/${delivery.id}`);
    await page.getByText('Schema of webhook.test data').click();
    const schema = page.getByLabel('Payload of webhook.test');
    await schema.waitFor();
    expect(await schema.textContent()).toContain('"webhookId"');
    expect(errors).toEqual([]);
  });
});
