import type { Browser, BrowserContext } from 'playwright-core';
import { signAccessToken } from '@app/platform';
import { EVENT_DATA_SCHEMAS } from '@app/platform-events';
import {
  buildAdminPage,
  launchChromium,
  pageErrors,
  signedInContext,
} from '../../../test/support/browser';
import {
  RIG_JWT_SECRET,
  startDeliveryRig,
  type DeliveryRig,
} from '../../../test/support/delivery-rig';

/**
 * The admin page shows each event type's data schema and example: from the event picker on the
 * webhook form, and beside a delivery's payload. Chromium against the real api.
 */
describe('the admin page: event payload schemas (real browser)', () => {
  let rig: DeliveryRig;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function open(path: string) {
    const token = signAccessToken(RIG_JWT_SECRET, { id: 'admin-ui', role: 'admin' }, 900);
    const context = await signedInContext(browser, token);
    contexts.push(context);
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${rig.api.url}/admin${path}`);
    return { page, errors };
  }

  beforeAll(async () => {
    const adminUiDir = buildAdminPage();
    rig = await startDeliveryRig({
      label: 'admin_schemas',
      worker: false,
      env: { ADMIN_UI_DIR: adminUiDir },
    });
    browser = await launchChromium();
  }, 120_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

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

    const hook = await rig.createWebhook({
      name: 'Schemas',
      path: '/schemas',
      eventTypes: ['license.created'],
    });
    expect((await rig.call('POST', `/webhooks/${hook.id}/test`)).status).toBeLessThan(300);
    const { body } = await rig.call('GET', `/deliveries?webhookId=${hook.id}`);
    const [delivery] = body.items as { id: string }[];
    await page.goto(`${rig.api.url}/admin/deliveries/${delivery.id}`);
    await page.getByText('Schema of webhook.test data').click();
    const schema = page.getByLabel('Payload of webhook.test');
    await schema.waitFor();
    expect(await schema.textContent()).toContain('"webhookId"');
    expect(errors).toEqual([]);
  });
});
