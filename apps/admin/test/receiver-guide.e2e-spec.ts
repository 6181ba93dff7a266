import type { Browser, BrowserContext } from 'playwright-core';
import { signAccessToken, type Role } from '@app/platform';
import {
  buildAdminPage,
  launchChromium,
  pageErrors,
  signedInContext,
  VIEWPORTS,
} from '../../../test/support/browser';
import {
  RIG_JWT_SECRET,
  startDeliveryRig,
  type DeliveryRig,
} from '../../../test/support/delivery-rig';

/**
 * The webhook form tells admins what their receivers must allow (DELIVERY_EGRESS_IPS, the
 * User-Agent) and links to the receiver's guide, in Chromium against the real api.
 */
describe('the webhook form: egress addresses and the receiver guide (real browser)', () => {
  let adminUiDir: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const token = (role: Role) => signAccessToken(RIG_JWT_SECRET, { id: `${role}-ui`, role }, 900);

  async function open(rig: DeliveryRig, role: Role, path: string) {
    const context = await signedInContext(browser, token(role));
    contexts.push(context);
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${rig.api.url}/admin${path}`);
    return { page, errors };
  }

  beforeAll(async () => {
    adminUiDir = buildAdminPage();
    browser = await launchChromium();
  }, 120_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(() => browser?.close());

  describe('given DELIVERY_EGRESS_IPS is set', () => {
    let rig: DeliveryRig;

    beforeAll(async () => {
      rig = await startDeliveryRig({
        label: 'admin_egress',
        worker: false,
        env: { ADMIN_UI_DIR: adminUiDir, DELIVERY_EGRESS_IPS: '203.0.113.7,198.51.100.0/24' },
      });
    }, 60_000);

    afterAll(() => rig?.close());

    it('when an admin opens Create Webhook, then the form lists the addresses and the User-Agent, and links the guide, which loads', async () => {
      const { page, errors } = await open(rig, 'admin', '/webhooks/new');

      const note = page.getByRole('region', { name: 'Receiving these webhooks' });
      await note.getByText('203.0.113.7').waitFor();
      const text = await note.textContent();
      expect(text).toContain('Receivers must allow requests from:');
      expect(text).toContain('198.51.100.0/24');
      expect(text).toContain('LMP-Webhooks/1.0 (+https://www.standardwebhooks.com/)');

      const link = note.getByRole('link', { name: 'How to receive webhooks' });
      const href = await link.getAttribute('href');
      expect(href).toMatch(/^\/admin\/assets\/receiving-webhooks-[\w-]+\.md$/);
      const guide = await page.request.get(`${rig.api.url}${href}`);
      expect(guide.status()).toBe(200);
      expect(await guide.text()).toContain('# Receiving webhooks');
      expect(errors).toEqual([]);
      // Followed, it opens in a tab of its own and reads as text there (not a download).
      const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
      await tab.waitForLoadState();
      expect(await tab.locator('body').textContent()).toContain('## Verifying a request');
    });

    it('when opened on a phone, then the note fits the width (no sideways scrolling)', async () => {
      const context = await signedInContext(browser, token('admin'), VIEWPORTS.phone);
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${rig.api.url}/admin/webhooks/new`);
      await page.getByText('203.0.113.7').waitFor();

      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBe(0);
    });

    it('when an auditor opens a webhook read-only, then the note is there too', async () => {
      const created = await rig.call('POST', '/webhooks', {
        body: {
          name: 'Egress note',
          url: 'https://receiver.example.com/hooks',
          environment: 'production',
          eventTypes: ['license.created'],
        },
      });
      expect(created.status).toBe(201);

      const { page } = await open(rig, 'auditor', `/webhooks/${created.body.id}/edit`);

      const note = page.getByRole('region', { name: 'Receiving these webhooks' });
      await note.getByText('203.0.113.7').waitFor();
      expect(await note.getByRole('link', { name: 'How to receive webhooks' }).count()).toBe(1);
    });
  });

  describe('given no DELIVERY_EGRESS_IPS', () => {
    let rig: DeliveryRig;

    beforeAll(async () => {
      rig = await startDeliveryRig({
        label: 'admin_no_egress',
        worker: false,
        env: { ADMIN_UI_DIR: adminUiDir },
      });
    }, 60_000);

    afterAll(() => rig?.close());

    it('when an admin opens Create Webhook, then the form says none are configured, and still links the guide', async () => {
      const { page, errors } = await open(rig, 'admin', '/webhooks/new');

      const note = page.getByRole('region', { name: 'Receiving these webhooks' });
      await note.getByText('No egress addresses are configured').waitFor();
      expect(await note.getByRole('link', { name: 'How to receive webhooks' }).count()).toBe(1);
      expect(errors).toEqual([]);
    });
  });
});
