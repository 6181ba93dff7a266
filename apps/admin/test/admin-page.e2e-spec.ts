/// <reference lib="dom" />
// (DOM types for the functions these tests hand to the page, which run in the ui.browser.)
import type { Page, Route } from 'playwright-core';
import { RetryPolicyFollower } from '@app/retry-policy';
import { signAccessToken, type Role } from '@app/platform';
import { useAdminPageRig } from '../../../test/support/admin-page-rig';
import { pageErrors, VIEWPORTS } from '../../../test/support/browser';
import { eventually, platformEvent, RIG_JWT_SECRET } from '../../../test/support/delivery-rig';
import { exampleData } from '../../../test/support/event-data';

/**
 * The admin page (PRODUCT.md part 1) in Debian's Chromium against the real api, worker, FerretDB,
 * Kafka and an HTTPS receiver: the manual's two workflows, the list's search, filters, toggle and
 * delete, roles, field errors, conflicts, the deliveries log and settings.
 */
describe('the admin page in a real browser', () => {
  const ui = useAdminPageRig({ label: 'admin_ui' });

  const token = (role: Role, who = `${role}-ui`) =>
    signAccessToken(RIG_JWT_SECRET, { id: who, role }, 900);

  const open = (role: Role, path: string, viewport?: { width: number; height: number }) =>
    ui.open(path, role, viewport);

  async function createViaApi(name: string, fields: Record<string, unknown> = {}) {
    const { status, body } = await ui.rig.call('POST', '/webhooks', {
      body: {
        name,
        url: `${ui.rig.receiver.url}/${name.toLowerCase().replace(/\W+/g, '-')}`,
        environment: 'production',
        eventTypes: ['license.created'],
        ...fields,
      },
    });
    expect(status).toBe(201);
    return body as { id: string; secret: string; url: string; version: number };
  }

  const row = (page: Page, name: string) => page.getByRole('row').filter({ hasText: name });
  /** Waits until the list shows `total` webhooks and is not loading another answer. */
  const listShows = (page: Page, total: number) =>
    page.locator('.list-summary', { hasText: new RegExp(`^${total} webhooks? · `) }).waitFor();

  beforeAll(() => {
    ui.rig.receiver.respond((request) =>
      request.path.startsWith('/broken')
        ? { status: 500, body: 'boom: database down' }
        : { status: 200, body: 'ok' },
    );
  });

  describe('signing in', () => {
    async function signInPage() {
      const context = await ui.context();
      const page = await context.newPage();
      await page.goto(`${ui.rig.api.url}/admin/webhooks`);
      return page;
    }

    it("refuses a viewer's token, saying which role is needed, and keeps asking", async () => {
      const page = await signInPage();
      await page.getByLabel('Bearer token').fill(token('viewer'));
      await page.getByRole('button', { name: 'Sign in' }).click();

      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('Your role "viewer" may not use the admin page');
      expect(await alert.textContent()).toContain('auditor or higher');
      expect(await page.getByRole('heading', { name: 'Sign in to Webhooks' }).isVisible()).toBe(
        true,
      );
    });

    it('refuses a token the API does not accept (401), saying so plainly', async () => {
      const page = await signInPage();
      const forged = signAccessToken(
        'another-key-that-is-long-enough-0123456789abcdef',
        { id: 'mallory', role: 'owner' },
        600,
      );
      await page.getByLabel('Bearer token').fill(forged);
      await page.getByRole('button', { name: 'Sign in' }).click();

      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('did not accept your token (401)');
    });

    it("accepts an admin's token, keeps it for the tab, and shows the empty list's invitation", async () => {
      const page = await signInPage();
      await page.getByLabel('Bearer token').fill(token('admin', 'alice'));
      await page.getByRole('button', { name: 'Sign in' }).click();

      await page.getByRole('heading', { name: 'No webhooks yet' }).waitFor();
      expect(await page.getByText('alice (admin)').isVisible()).toBe(true);
      expect(await page.getByRole('link', { name: 'Create your first webhook' }).isVisible()).toBe(
        true,
      );

      await page.reload();
      await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
      expect(await page.getByLabel('Bearer token').count()).toBe(0);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Bearer token').waitFor();
    });
  });

  it('Workflow 1: creates "Slack Activation Alerts" for production, and an activation event shows in the deliveries log', async () => {
    const { page, errors } = await open('admin', '/webhooks');
    await page.getByRole('link', { name: 'Create your first webhook' }).press('Enter');
    await page.getByRole('heading', { name: 'Create Webhook' }).waitFor();
    expect(await page.title()).toBe('Create Webhook · LMP Admin');
    // A new page puts keyboard focus on its content, as a full page load would.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    await page.getByLabel('Name', { exact: true }).fill('Slack Activation Alerts');
    await page.getByLabel('Target URL').fill(`${ui.rig.receiver.url}/slack/activations`);
    await page.getByLabel('Environment', { exact: true }).selectOption('production');
    expect(await page.getByLabel('Webhook Secret').getAttribute('type')).toBe('password');
    await page.getByRole('checkbox', { name: 'activation.created' }).check();
    await page.getByRole('checkbox', { name: 'activation.failed' }).check();
    await page.getByText('2 event types selected').waitFor();
    expect(
      await page
        .getByRole('group', { name: /Activation/ })
        .getByText('(2 of 3)')
        .isVisible(),
    ).toBe(true);
    await page.getByRole('button', { name: 'Create Webhook' }).click();

    await page.getByText('Webhook "Slack Activation Alerts" created').waitFor();
    const id = /\/admin\/webhooks\/([^/]+)\/edit$/.exec(page.url())?.[1];
    expect(id).toBeDefined();
    const { body: saved } = await ui.rig.call('GET', `/webhooks/${id}`);
    expect(saved).toMatchObject({
      name: 'Slack Activation Alerts',
      environment: 'production',
      eventTypes: ['activation.created', 'activation.failed'],
      status: 'active',
    });

    await ui.rig.workerSees(id!);
    const event = platformEvent('activation.created', {
      data: exampleData('activation.created', 'LIC-42'),
    });
    await ui.rig.publish(ui.rig.topics.activations, [{ value: JSON.stringify(event) }]);

    await page.getByRole('link', { name: 'Webhook Deliveries' }).click();
    const delivery = row(page, 'Slack Activation Alerts').filter({ hasText: 'activation.created' });
    await delivery.filter({ hasText: 'Succeeded' }).waitFor({ timeout: 30_000 });
    expect(await delivery.textContent()).toContain('200');
    const received = await ui.rig.receiver.waitFor(
      (request) => request.path === '/slack/activations',
    );
    expect(received.headers['webhook-id']).toBe(event.id);

    await delivery.getByRole('link', { name: /Details/ }).click();
    await page.getByRole('heading', { name: 'Attempt 1: HTTP 200' }).waitFor();
    await page.getByText('Request headers').click();
    expect(
      await page.getByRole('rowheader', { name: 'webhook-signature', exact: true }).isVisible(),
    ).toBe(true);
    expect(errors).toEqual([]);
  }, 90_000);

  it('Workflow 2: finds the webhook, edits its Target URL and generates a new secret after confirming', async () => {
    const created = await createViaApi('CRM Sync', { eventTypes: ['license.assigned'] });
    const { page, errors } = await open('admin', '/webhooks');
    await page.getByLabel('Search by name or URL').fill('CRM');
    await page.waitForURL(/search=CRM/);
    await page.getByRole('link', { name: 'Edit CRM Sync' }).click();
    await page.getByRole('heading', { name: 'Edit Webhook' }).waitFor();

    const newUrl = `${ui.rig.receiver.url}/crm/v2`;
    await page.getByLabel('Target URL').fill(newUrl);

    await page.getByRole('button', { name: 'Generate New Secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate a new secret?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('stays valid for the grace window');
    await dialog.getByRole('button', { name: 'Generate New Secret' }).click();
    await page.getByText('New secret generated').waitFor();

    await page.getByRole('button', { name: 'Reveal' }).click();
    const secretInput = page.getByLabel('Webhook Secret');
    expect(await secretInput.getAttribute('type')).toBe('text');
    const newSecret = await secretInput.inputValue();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(created.secret);

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved "CRM Sync".').waitFor();
    expect(await row(page, 'CRM Sync').textContent()).toContain('/crm/v2');

    const { body: webhook } = await ui.rig.call('GET', `/webhooks/${created.id}`);
    expect(webhook.url).toBe(newUrl);
    const { body: secrets } = await ui.rig.call('GET', `/webhooks/${created.id}/secret`);
    expect(secrets.secret).toBe(newSecret);
    expect(secrets.previous.secret).toBe(created.secret);

    await page.getByRole('link', { name: 'History of CRM Sync' }).click();
    await page.getByRole('heading', { name: /Secret rotated/ }).waitFor();
    const updated = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: /Updated/ }) });
    expect(await updated.textContent()).toContain('/crm/v2');
    expect(await updated.textContent()).toContain('admin-ui');
    expect(errors).toEqual([]);
  }, 60_000);

  it('searches by name or URL, scopes to the current environment and filters by status, and a shared URL restores the view', async () => {
    await createViaApi('Filter Alpha', { environment: 'production' });
    await createViaApi('Filter Beta', {
      environment: 'staging',
      url: `${ui.rig.receiver.url}/beta-endpoint`,
    });
    await createViaApi('Filter Gamma', { environment: 'development', active: false });
    const { page } = await open('auditor', '/webhooks');

    await page.getByLabel('Search by name or URL').fill('beta-endpoint');
    await listShows(page, 1);
    expect(await row(page, 'Filter Beta').count()).toBe(1);

    await page.getByLabel('Search by name or URL').fill('Filter');
    await listShows(page, 3);
    await page.getByLabel('Current environment').selectOption('staging');
    await listShows(page, 1);
    expect(await row(page, 'Filter Beta').count()).toBe(1);
    expect(page.url()).toContain('env=staging');

    await page.getByLabel('Current environment').selectOption('all');
    await page.getByLabel('Status').selectOption('inactive');
    await listShows(page, 1);
    expect(await row(page, 'Filter Gamma').count()).toBe(1);

    const shared = page.url();
    expect(shared).toMatch(/search=Filter.*status=inactive|status=inactive.*search=Filter/);
    const other = await open('auditor', shared.replace(`${ui.rig.api.url}/admin`, ''));
    await row(other.page, 'Filter Gamma').waitFor();
    expect(await other.page.getByLabel('Status').inputValue()).toBe('inactive');
    expect(await other.page.getByLabel('Search by name or URL').inputValue()).toBe('Filter');
    expect(await row(other.page, 'Filter Alpha').count()).toBe(0);
  });

  it('pages through the list 20 at a time, and the page is part of the URL', async () => {
    for (let n = 1; n <= 22; n += 1) {
      await createViaApi(`Paged ${String(n).padStart(2, '0')}`);
    }
    const { page } = await open('auditor', '/webhooks?search=Paged');
    await page.getByText('Showing 1–20 of 22').waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Paged' }).count()).toBe(20);

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Showing 21–22 of 22').waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Paged' }).count()).toBe(2);
    expect(page.url()).toContain('cursor=');
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Showing 1–20 of 22').waitFor();
    expect(page.url()).not.toContain('cursor=');
  });

  it('signs out with the reason when the API stops accepting the token mid-session (401)', async () => {
    const revoked = signAccessToken(
      'a-key-this-api-never-had-0123456789abcdefghij',
      { id: 'eve', role: 'admin' },
      600,
    );
    const context = await ui.context(revoked);
    const page = await context.newPage();
    await page.goto(`${ui.rig.api.url}/admin/deliveries`);

    const reason = page.getByText('You were signed out.');
    await reason.waitFor();
    expect(await reason.textContent()).toContain('did not accept your token (401)');
    expect(await page.getByLabel('Bearer token').isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('toggles a webhook off and on from the list, with the mouse and with the keyboard', async () => {
    const created = await createViaApi('Toggle Me');
    const { page } = await open('admin', '/webhooks?search=Toggle');
    const toggle = page.getByRole('switch', { name: 'Active: Toggle Me' });
    expect(await toggle.getAttribute('aria-checked')).toBe('true');

    await toggle.click();
    await page.getByText('Toggle Me is now inactive.').waitFor();
    await page.getByRole('switch', { name: 'Active: Toggle Me', checked: false }).waitFor();
    await row(page, 'Toggle Me').getByText('Inactive').waitFor();
    expect((await ui.rig.call('GET', `/webhooks/${created.id}`)).body.status).toBe('inactive');

    await toggle.focus();
    await page.keyboard.press('Space');
    await page.getByText('Toggle Me is now active.').waitFor();
    await page.getByRole('switch', { name: 'Active: Toggle Me', checked: true }).waitFor();
    expect((await ui.rig.call('GET', `/webhooks/${created.id}`)).body.status).toBe('active');
  });

  it('deletes a webhook only once the confirmation is accepted', async () => {
    const created = await createViaApi('Delete Me');
    const { page } = await open('admin', '/webhooks?search=Delete');

    await page.getByRole('button', { name: 'Delete Delete Me' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete "Delete Me"?' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await ui.rig.call('GET', `/webhooks/${created.id}`)).body.status).toBe('active');

    await page.getByRole('button', { name: 'Delete Delete Me' }).click();
    await dialog.getByRole('button', { name: 'Delete webhook' }).click();
    await page.getByText('Delete Me was deleted.').waitFor();
    await row(page, 'Delete Me').waitFor({ state: 'detached' });
    expect((await ui.rig.call('GET', `/webhooks/${created.id}`)).body.status).toBe('deleted');
  });

  it("shows the API's field errors next to their fields, all at once", async () => {
    const { page } = await open('admin', '/webhooks/new');
    await page.getByLabel('Target URL').fill('http://insecure.example.com/hook');
    await page.getByRole('button', { name: 'Create Webhook' }).click();

    await page.getByText(/Some fields need attention/).waitFor();
    const fieldErrors = (label: string) =>
      page
        .locator('.field', { has: page.getByLabel(label, { exact: true }) })
        .locator('.field-errors');
    expect(await fieldErrors('Name').textContent()).toMatch(/empty/i);
    expect(await fieldErrors('Target URL').textContent()).toMatch(/https/i);
    expect(await page.locator('#event-errors').textContent()).toMatch(/event/i);
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect((await ui.rig.call('GET', '/webhooks?search=insecure')).body.total).toBe(0);
  });

  it('shows the 412 conflict when someone else saved first, and reloads their version', async () => {
    const created = await createViaApi('Conflict Hook');
    const { page } = await open('admin', `/webhooks/${created.id}/edit`);
    await page.getByLabel('Description').fill('my change');

    const theirs = await ui.rig.call('PATCH', `/webhooks/${created.id}`, {
      body: { name: 'Conflict Hook (renamed)' },
    });
    expect(theirs.status).toBe(200);
    await page.getByRole('button', { name: 'Save' }).click();

    const banner = page.getByRole('alert').filter({ hasText: 'Someone else changed this webhook' });
    await banner.waitFor();
    expect((await ui.rig.call('GET', `/webhooks/${created.id}`)).body.description).toBeNull();
    await banner.getByRole('button', { name: 'Reload latest version' }).click();
    await page.waitForFunction(
      () => document.querySelector('input')?.value === 'Conflict Hook (renamed)',
    );
    expect(await page.getByLabel('Description').inputValue()).toBe('');
  });

  it('gives an auditor a read-only list and form, and the timeline of a webhook', async () => {
    const created = await createViaApi('Audited Hook', { description: 'first' });
    await ui.rig.call('PATCH', `/webhooks/${created.id}`, { body: { description: 'second' } });
    await ui.rig.call('POST', `/webhooks/${created.id}/deactivate`);
    const { page, errors } = await open('auditor', '/webhooks?search=Audited');

    await row(page, 'Audited Hook').waitFor();
    expect(await page.getByRole('link', { name: 'Create Webhook' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete Audited Hook' }).count()).toBe(0);
    expect(await page.getByRole('switch', { name: 'Active: Audited Hook' }).isDisabled()).toBe(
      true,
    );

    await page.getByRole('link', { name: 'View Audited Hook' }).click();
    await page.getByText('Read-only: changing webhooks needs the admin role.').waitFor();
    expect(await page.getByLabel('Name', { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Reveal' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Send test event' }).count()).toBe(0);

    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: /Deactivated/ }).waitFor();
    const titles = await page.locator('.timeline-entry h2').allTextContents();
    expect(titles.map((title) => title.replace(/\s*v\d+$/, ''))).toEqual([
      'Created',
      'Updated',
      'Deactivated',
    ]);
    const updated = page.locator('.timeline-entry').nth(1);
    expect(await updated.locator('del').textContent()).toBe('first');
    expect(await updated.locator('ins').textContent()).toBe('second');
    expect(await updated.textContent()).toContain('owner-e2e');
    expect(errors).toEqual([]);
  });

  it('lists a failed delivery with its response code, shows its attempts, and retries it', async () => {
    const broken = await createViaApi('Broken Receiver', { eventTypes: ['license.revoked'] });
    await ui.rig.workerSees(broken.id);
    await setRetryPolicy([]);
    try {
      await ui.rig.publish(ui.rig.topics.licenses, [
        { value: JSON.stringify(platformEvent('license.revoked')) },
      ]);
      const { page } = await open('admin', '/deliveries');
      await page.getByRole('combobox', { name: 'Webhook' }).fill('Broken');
      await page.getByRole('option', { name: /Broken Receiver/ }).click();
      await page.getByLabel('Status').selectOption('failed');
      expect(page.url()).toContain(`webhookId=${broken.id}`);
      const failed = row(page, 'license.revoked');
      await failed.filter({ hasText: 'Failed' }).waitFor({ timeout: 30_000 });
      expect(await failed.textContent()).toContain('500');

      await failed.getByRole('link', { name: /Details/ }).click();
      await page.getByRole('heading', { name: 'Attempt 1: HTTP 500' }).waitFor();
      expect(await page.getByText('boom: database down').isVisible()).toBe(true);

      ui.rig.receiver.respond(() => ({ status: 204 }));
      await page.getByRole('button', { name: 'Retry', exact: true }).click();
      await page.getByText('Retry queued').waitFor();
      await pollUntilVisible(page, page.getByRole('heading', { name: /Attempt 2: HTTP 204/ }));
      expect(await page.getByText('manual').isVisible()).toBe(true);
    } finally {
      await setRetryPolicy([5, 300, 1800, 7200, 18000, 36000, 36000]);
      ui.rig.receiver.respond((request) =>
        request.path.startsWith('/broken')
          ? { status: 500, body: 'boom: database down' }
          : { status: 200, body: 'ok' },
      );
    }
  }, 90_000);

  it('never has a second refresh of the deliveries log in flight while a slow answer is on its way', async () => {
    const context = await ui.context(token('auditor'));
    // The page's own count of the log's requests in flight: a request counts from its fetch until
    // its answer arrives or the page aborts it (a request aborted is no longer the page's).
    await context.addInitScript(() => {
      const stats = { inFlight: 0, most: 0, started: 0 };
      Object.assign(window, { deliveryLoads: stats });
      const original = window.fetch.bind(window);
      window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
        const url = input instanceof Request ? input.url : String(input);
        if (!url.includes('/api/v1/deliveries?')) return original(input, init);
        let open = true;
        const done = () => {
          if (open) stats.inFlight--;
          open = false;
        };
        stats.inFlight++;
        stats.started++;
        stats.most = Math.max(stats.most, stats.inFlight);
        init?.signal?.addEventListener('abort', done);
        return original(input, init).finally(done);
      };
    });
    const page = await context.newPage();
    const errors = pageErrors(page);
    const loads = () =>
      page.evaluate(
        () => (window as unknown as { deliveryLoads: Record<string, number> }).deliveryLoads,
      );
    // The page's timers run only when the test moves its clock: the poll ticks are the test's.
    await page.clock.install();
    // The log's answers are held until the test lets them through: a slow api, on demand.
    const held: Route[] = [];
    await page.route(/\/api\/v1\/deliveries\?/, (route) => void held.push(route));
    const releaseLatest = () => held.at(-1)!.continue();

    await page.goto(`${ui.rig.api.url}/admin/deliveries`);
    await page.getByRole('heading', { name: 'Webhook Deliveries' }).waitFor();
    await eventually(() => held.length > 0, 'the first load');
    const first = await loads();
    expect(first.inFlight).toBe(1);

    // Three poll intervals and three clicks on Refresh while the first answer is held.
    await page.clock.runFor(3 * 3_000 + 500);
    for (let click = 0; click < 3; click++) {
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    expect(await loads()).toMatchObject({ inFlight: 1, started: first.started });

    // Once it is answered, the clicks asked for one more load: exactly one, after it, and the
    // poll ticks during that one start nothing either.
    await releaseLatest();
    await eventually(async () => (await loads()).started === first.started + 1, 'the refresh');
    await page.clock.runFor(3 * 3_000 + 500);
    expect(await loads()).toMatchObject({ inFlight: 1, started: first.started + 1 });
    await releaseLatest();
    await eventually(async () => (await loads()).inFlight === 0, 'the last answer');
    expect((await loads()).most).toBe(1);
    expect(errors).toEqual([]);
  });

  it('sends a test event from a webhook and shows its delivery', async () => {
    const created = await createViaApi('Test Target');
    await ui.rig.workerSees(created.id);
    const { page } = await open('admin', `/webhooks/${created.id}/edit`);
    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByRole('link', { name: 'View the test delivery' }).click();
    await page.getByRole('heading', { name: 'Delivery webhook.test' }).waitFor();
    await pollUntilVisible(page, page.getByRole('heading', { name: 'Attempt 1: HTTP 200' }));
  }, 60_000);

  it('lets an owner change the default retry policy and shows it read-only to an admin', async () => {
    const owner = await open('owner', '/settings');
    await owner.page.getByLabel('Retry 1 after (seconds)').fill('10');
    await owner.page.getByLabel('Jitter (percent)').fill('10');
    await owner.page.getByRole('button', { name: 'Remove retry 7' }).click();
    await owner.page.getByRole('button', { name: 'Save retry policy' }).click();
    await owner.page.getByText(/Retry policy saved/).waitFor();
    const { body: policy } = await ui.rig.call('GET', '/settings/retry-policy');
    expect(policy).toMatchObject({
      retryIntervalsSeconds: [10, 300, 1800, 7200, 18000, 36000],
      jitter: 0.1,
    });

    await owner.page.getByLabel('Retry 2 after (seconds)').fill('0');
    await owner.page.getByRole('button', { name: 'Save retry policy' }).click();
    const intervalErrors = owner.page.locator('li.field-invalid .field-errors');
    await intervalErrors.waitFor();
    expect(await intervalErrors.textContent()).toMatch(/1/);

    const admin = await open('admin', '/settings');
    await admin.page.getByText('Read-only: changing settings needs the owner role.').waitFor();
    expect(await admin.page.getByLabel('Retry 1 after (seconds)').isDisabled()).toBe(true);
    expect(await admin.page.getByRole('button', { name: 'Save retry policy' }).count()).toBe(0);
    await setRetryPolicy([5, 300, 1800, 7200, 18000, 36000, 36000]);
  });

  it('fits a 390 px wide phone screen: no sideways scrolling on the list, the form or the log', async () => {
    await createViaApi('A webhook with quite a long name for a small screen', {
      url: `${ui.rig.receiver.url}/a/very/long/path/that/would/overflow/a/narrow/table/cell/on/a/phone`,
    });
    for (const path of ['/webhooks', '/webhooks/new', '/deliveries', '/settings']) {
      const { page } = await open('admin', path, VIEWPORTS.phone);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
    }
  });

  async function setRetryPolicy(retryIntervalsSeconds: number[]) {
    const { status } = await ui.rig.call('PUT', '/settings/retry-policy', {
      body: { retryIntervalsSeconds, jitter: 0.2 },
    });
    expect(status).toBe(200);
    const worker = ui.rig.worker!.app.get(RetryPolicyFollower);
    await eventually(
      () => worker.current().retryIntervalsSeconds.join() === retryIntervalsSeconds.join(),
      'the worker to follow the retry policy',
    );
  }
});

/** Reloads the page until `locator` shows: for pages that do not refresh themselves. */
async function pollUntilVisible(
  page: Page,
  locator: ReturnType<Page['locator']>,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await locator.waitFor({ timeout: 1_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
  }
}
