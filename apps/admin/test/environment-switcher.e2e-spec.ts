import type { Page } from 'playwright-core';
import { useAdminPageRig } from '../../../test/support/admin-page-rig';

/**
 * The current environment (issue 15) in Chromium against the real api: the header's switcher
 * scopes the webhooks list, its counts and the deliveries log, is in the address and remembered in
 * the browser (the address wins), and a new webhook starts in it. Test events make the deliveries,
 * so no worker is needed: they are listed while pending.
 */
describe('the admin page: current environment (real ui.browser)', () => {
  const ui = useAdminPageRig({ label: 'admin_env', worker: false });
  const hooks: Record<string, string> = {};

  const { newPage } = ui;
  const go = (page: Page, path: string) => page.goto(`${ui.rig.api.url}/admin${path}`);
  const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });
  const summary = (page: Page, text: RegExp) => page.locator('.list-summary', { hasText: text });
  const switcher = (page: Page) => page.getByLabel('Current environment');

  beforeAll(async () => {
    for (const [name, environment, active] of [
      ['Env Production', 'production', true],
      ['Env Staging One', 'staging', true],
      ['Env Staging Two', 'staging', false],
      ['Env Development', 'development', true],
    ] as const) {
      const { status, body } = await ui.rig.call('POST', '/webhooks', {
        body: {
          name,
          url: `${ui.rig.receiver.url}/${environment}`,
          environment,
          eventTypes: ['license.created'],
          active,
        },
      });
      expect(status).toBe(201);
      hooks[name] = body.id;
      expect((await ui.rig.call('POST', `/webhooks/${body.id}/test`)).status).toBe(202);
    }
  }, 120_000);

  it('given no choice yet, when one is picked, then the list, its counts and the deliveries log show only that environment, and the address says so', async () => {
    const { page, errors } = await newPage();
    await go(page, '/webhooks');
    await summary(page, /^4 webhooks · 3 active · 1 inactive/).waitFor();
    expect(await switcher(page).inputValue()).toBe('all');
    expect(page.url()).not.toContain('env=');

    await switcher(page).selectOption('staging');
    await summary(page, /^2 webhooks · 1 active · 1 inactive/).waitFor();
    expect(page.url()).toContain('env=staging');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Webhooks in Staging');
    expect(await row(page, 'Env Staging').count()).toBe(2);
    expect(await row(page, 'Env Production').count()).toBe(0);

    await page.getByRole('link', { name: 'Webhook Deliveries' }).click();
    await page.getByRole('heading', { name: 'Webhook Deliveries in Staging' }).waitFor();
    expect(page.url()).toContain('env=staging');
    await row(page, 'Env Staging One').waitFor();
    await row(page, 'Env Staging Two').waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'webhook.test' }).count()).toBe(2);
    expect(await row(page, 'Env Development').count()).toBe(0);

    await switcher(page).selectOption('development');
    await row(page, 'Env Development').waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'webhook.test' }).count()).toBe(1);
    expect(page.url()).toContain('env=development');
    expect(errors).toEqual([]);
  });

  it('given a choice made before, when the page opens without one in the address, then it is remembered; an address that names another wins and is remembered in turn', async () => {
    const { page } = await newPage();
    await go(page, '/webhooks');
    await switcher(page).selectOption('production');
    await summary(page, /^1 webhook · 1 active · 0 inactive/).waitFor();

    await go(page, '/webhooks');
    await summary(page, /^1 webhook · /).waitFor();
    expect(await switcher(page).inputValue()).toBe('production');
    await page.waitForURL(/env=production/);
    expect(await row(page, 'Env Production').count()).toBe(1);

    await go(page, '/deliveries?env=staging');
    await row(page, 'Env Staging One').waitFor();
    expect(await switcher(page).inputValue()).toBe('staging');
    expect(await page.evaluate(() => localStorage.getItem('lmp-admin.environment'))).toBe(
      'staging',
    );

    await go(page, '/webhooks');
    await summary(page, /^2 webhooks · /).waitFor();
    expect(await switcher(page).inputValue()).toBe('staging');

    // A bookmark from before the switcher, with the list's old environment filter.
    await go(page, '/webhooks?environment=development&status=active');
    await summary(page, /^1 webhook · /).waitFor();
    await page.waitForURL((url) => url.searchParams.get('env') === 'development');
    expect(new URL(page.url()).searchParams.get('status')).toBe('active');
    expect(new URL(page.url()).searchParams.has('environment')).toBe(false);
  });

  it('given a current environment, when an admin creates a webhook, then the form starts in it, and filters and pages keep it in the address', async () => {
    const { page } = await newPage();
    await go(page, '/webhooks?env=staging');
    await summary(page, /^2 webhooks · /).waitFor();

    await page.getByLabel('Status').selectOption('inactive');
    await summary(page, /^1 webhook · /).waitFor();
    expect(new URL(page.url()).searchParams.get('env')).toBe('staging');
    expect(new URL(page.url()).searchParams.get('status')).toBe('inactive');

    await page.getByRole('link', { name: 'Create Webhook' }).click();
    await page.getByRole('heading', { name: 'Create Webhook' }).waitFor();
    expect(await page.getByLabel('Environment', { exact: true }).inputValue()).toBe('staging');
    expect(new URL(page.url()).searchParams.get('env')).toBe('staging');

    // From a webhook of another environment, its deliveries open in that environment.
    await go(page, `/webhooks/${hooks['Env Development']}/edit`);
    await page.getByRole('link', { name: 'Deliveries', exact: true }).click();
    await row(page, 'Env Development').waitFor();
    expect(await switcher(page).inputValue()).toBe('development');
  });

  it('given All chosen, when another browser opens the link, then it shows All even where another environment is remembered', async () => {
    const first = await newPage();
    await go(first.page, '/webhooks?env=production');
    await summary(first.page, /^1 webhook · /).waitFor();
    await switcher(first.page).selectOption('all');
    await summary(first.page, /^4 webhooks · /).waitFor();
    expect(new URL(first.page.url()).searchParams.get('env')).toBe('all');

    const second = await newPage();
    await go(second.page, '/webhooks?env=development');
    await summary(second.page, /^1 webhook · /).waitFor();
    await second.page.goto(first.page.url());
    await summary(second.page, /^4 webhooks · /).waitFor();
    expect(await switcher(second.page).inputValue()).toBe('all');
  });
});
