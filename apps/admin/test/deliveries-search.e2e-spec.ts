import type { Page, Route } from 'playwright-core';
import { RetryPolicyFollower } from '@app/retry-policy';
import { useAdminPageRig } from '../../../test/support/admin-page-rig';
import { eventually, platformEvent } from '../../../test/support/delivery-rig';

/**
 * Searching the deliveries log (issue 15) in Chromium against the real api, worker and receiver:
 * by response class (the receiver answers 200, 418 or 503, and one webhook's address refuses
 * connections), by event id, by time range, by a webhook found by name as you type; and "Retry
 * failed (N)" for what the search found, with progress and Cancel.
 */
describe('the admin page: deliveries search and bulk retry (real ui.browser)', () => {
  const ui = useAdminPageRig({ label: 'admin_search' });
  /** Path → status the receiver answers; anything else 200. */
  const answers = new Map<string, number>([
    ['/teapot', 418],
    ['/down', 503],
  ]);
  const hooks: Record<string, string> = {};
  const events: string[] = [];
  /** Between the first event's deliveries and the later ones'. */
  let boundary = '';

  const { open } = ui;
  const rows = (page: Page) => page.locator('tbody tr');
  /** Waits until the log shows exactly `count` rows, each containing `text`. */
  async function showsOnly(page: Page, count: number, text?: string) {
    await eventually(
      async () => {
        const shown = await rows(page).allTextContents();
        return (
          shown.length === count && (text === undefined || shown.every((r) => r.includes(text)))
        );
      },
      `the log to show ${count} deliveries${text ? ` of ${text}` : ''}`,
    );
  }
  async function deliveriesOf(webhookId: string) {
    const { body } = await ui.rig.call('GET', `/deliveries?webhookId=${webhookId}`);
    return body.items as { id: string; status: string; attemptCount: number }[];
  }
  async function allFinished(expected: number) {
    await eventually(async () => {
      const { body } = await ui.rig.call('GET', '/deliveries?limit=100');
      const items = body.items as { status: string }[];
      return (
        items.length === expected &&
        items.every((d) => d.status === 'succeeded' || d.status === 'failed')
      );
    }, `${expected} finished deliveries`);
  }

  beforeAll(async () => {
    ui.rig.receiver.respond((request) => ({ status: answers.get(request.path) ?? 200, body: 'x' }));
    expect(
      (
        await ui.rig.call('PUT', '/settings/retry-policy', {
          body: { retryIntervalsSeconds: [], jitter: 0 },
        })
      ).status,
    ).toBe(200);
    const follower = ui.rig.worker!.app.get(RetryPolicyFollower);
    await eventually(
      () => follower.current().retryIntervalsSeconds.length === 0,
      'the worker to follow the retry policy',
    );

    for (const [name, path] of [
      ['Needle OK', '/ok'],
      ['Teapot', '/teapot'],
      ['Down Receiver', '/down'],
    ]) {
      hooks[name] = (
        await ui.rig.createWebhook({ name, path, eventTypes: ['license.created'] })
      ).id;
    }
    // Nothing listens on port 1: the connection is refused, no response at all.
    const { status, body } = await ui.rig.call('POST', '/webhooks', {
      body: {
        name: 'Nowhere',
        url: 'https://127.0.0.1:1/none',
        environment: 'production',
        eventTypes: ['license.created'],
      },
    });
    expect(status).toBe(201);
    hooks.Nowhere = body.id;
    await ui.rig.workerSees(body.id);
    // More webhooks than the picker shows at once (10), none with deliveries.
    for (let n = 1; n <= 12; n += 1) {
      await ui.rig.call('POST', '/webhooks', {
        body: {
          name: `Filler ${String(n).padStart(2, '0')}`,
          url: `${ui.rig.receiver.url}/filler`,
          environment: 'production',
          eventTypes: ['product.created'],
        },
      });
    }

    const first = platformEvent('license.created');
    events.push(first.id);
    await ui.rig.publish(ui.rig.topics.licenses, [{ value: JSON.stringify(first) }]);
    await allFinished(4);
    boundary = new Date().toISOString();
    const later = [platformEvent('license.created'), platformEvent('license.created')];
    events.push(...later.map((event) => event.id));
    await ui.rig.publish(
      ui.rig.topics.licenses,
      later.map((event) => ({ value: JSON.stringify(event) })),
    );
    await allFinished(12);
  }, 180_000);

  it('given answers of every class, when searched by response class, then each shows only its own, and the address keeps the search', async () => {
    const { page, errors } = await open('/deliveries');
    await showsOnly(page, 12);
    const response = page.getByLabel('Response');

    await response.selectOption('4xx');
    await showsOnly(page, 3, 'Teapot');
    expect(await rows(page).first().textContent()).toContain('418');
    expect(new URL(page.url()).searchParams.get('statusClass')).toBe('4xx');

    await response.selectOption('5xx');
    await showsOnly(page, 3, 'Down Receiver');
    await response.selectOption('none');
    await showsOnly(page, 3, 'Nowhere');
    await response.selectOption('2xx');
    await showsOnly(page, 3, 'Needle OK');

    await page.reload();
    await showsOnly(page, 3, 'Needle OK');
    expect(await page.getByLabel('Response').inputValue()).toBe('2xx');
    expect(errors).toEqual([]);
  });

  it('given an event id, when typed in, then its deliveries to every webhook are shown; a time range narrows by when they were created', async () => {
    const { page, errors } = await open('/deliveries');
    await showsOnly(page, 12);
    await page.getByLabel('Event id').fill(events[0]);
    await showsOnly(page, 4);
    expect(new URL(page.url()).searchParams.get('eventId')).toBe(events[0]);
    await page.getByLabel('Event id').fill('');
    await showsOnly(page, 12);

    // The time range, as a shared address carries it (instants, to the millisecond)…
    await page.goto(`${ui.rig.api.url}/admin/deliveries?from=${encodeURIComponent(boundary)}`);
    await showsOnly(page, 8);
    expect(await page.getByLabel('Created from').inputValue()).toMatch(/^\d{4}-\d\d-\d\dT/);
    await page.goto(`${ui.rig.api.url}/admin/deliveries?to=${encodeURIComponent(boundary)}`);
    await showsOnly(page, 4);

    // …and typed into the inputs.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await showsOnly(page, 12);
    const inAnHour = new Date(Date.now() + 3_600_000);
    await page.getByLabel('Created from').fill(localInput(inAnHour));
    await page.getByRole('heading', { name: 'No deliveries match' }).waitFor();
    expect(new Date(new URL(page.url()).searchParams.get('from')!).getTime()).toBe(
      new Date(localInput(inAnHour)).getTime(),
    );
    await page.getByLabel('Created from').fill('');
    await page.getByLabel('Created before').fill(localInput(inAnHour));
    await showsOnly(page, 12);
    expect(errors).toEqual([]);
  });

  it('given more webhooks than the picker lists at once, when a name is typed, then any webhook is found, and the keyboard picks it', async () => {
    const { page, errors } = await open('/deliveries');
    await showsOnly(page, 12);
    const picker = page.getByRole('combobox', { name: 'Webhook' });
    const options = page.getByRole('listbox', { name: 'Webhooks' }).getByRole('option');

    await picker.focus();
    await eventually(async () => (await options.count()) === 10, 'the first 10 webhooks');
    expect(await picker.getAttribute('aria-expanded')).toBe('true');

    await picker.fill('Filler 12');
    await eventually(
      async () => (await options.allTextContents()).join() === 'Filler 12 (production)',
      'the search to find Filler 12',
    );
    await picker.fill('tea');
    await eventually(
      async () => (await options.allTextContents()).join() === 'Teapot (production)',
      'the search to find Teapot',
    );
    await page.keyboard.press('ArrowDown');
    expect(await picker.getAttribute('aria-activedescendant')).toBe(
      await options.first().getAttribute('id'),
    );
    await page.keyboard.press('Enter');
    await showsOnly(page, 3, 'Teapot');
    expect(new URL(page.url()).searchParams.get('webhookId')).toBe(hooks.Teapot);
    expect(await picker.inputValue()).toBe('Teapot');
    expect(await picker.getAttribute('aria-expanded')).toBe('false');

    // A shared address names the webhook by id; the picker shows its name.
    const other = await open(`/deliveries?webhookId=${hooks['Down Receiver']}`);
    await showsOnly(other.page, 3, 'Down Receiver');
    await eventually(
      async () =>
        (await other.page.getByRole('combobox', { name: 'Webhook' }).inputValue()) ===
        'Down Receiver',
      'the picker to name the webhook of the address',
    );
    await other.page.getByRole('button', { name: /clear the webhook filter/ }).click();
    await showsOnly(other.page, 12);
    expect(errors).toEqual([]);
  });

  it('given a search that finds failed deliveries, when an admin retries them, then the count comes first, progress shows, Cancel stops before the next call, and the rest can be retried after', async () => {
    const { page, errors } = await open(`/deliveries?webhookId=${hooks['Down Receiver']}`);
    await showsOnly(page, 3, 'Down Receiver');
    answers.delete('/down');

    // The second bulk call is held until the test has clicked Cancel: a slow api, on demand.
    const calls: string[] = [];
    let held: Route | null = null;
    await page.route(/\/api\/v1\/deliveries\/retry$/, (route) => {
      const body = route.request().postDataJSON() as { dryRun?: boolean };
      if (body.dryRun) return void route.continue();
      calls.push(route.request().postData() ?? '');
      if (calls.length === 2) held = route;
      else void route.continue();
    });

    await page.getByRole('button', { name: 'Retry failed…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry failed deliveries' });
    await dialog.getByText('3 failed deliveries match').waitFor();
    expect((await deliveriesOf(hooks['Down Receiver'])).every((d) => d.attemptCount === 1)).toBe(
      true,
    );
    await dialog.getByRole('button', { name: 'Retry failed (3)' }).click();
    await dialog.getByText('Retrying… 1 of 3 sent again.').waitFor();
    await eventually(() => held !== null, 'the second call');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await held!.continue();
    await dialog
      .getByText('Cancelled: 2 of 3 failed deliveries sent again; the rest stay failed.')
      .waitFor();
    expect(calls).toHaveLength(2);
    expect(JSON.parse(calls[0])).toMatchObject({
      filter: { webhookId: hooks['Down Receiver'] },
      limit: 1,
    });
    // All environments are current: the filter names none.
    expect(JSON.parse(calls[0]).filter).not.toHaveProperty('environment');
    await eventually(async () => {
      const deliveries = await deliveriesOf(hooks['Down Receiver']);
      return deliveries.filter((d) => d.status === 'succeeded').length === 2;
    }, 'the two retried deliveries to succeed');
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Retry failed…' }).click();
    await dialog.getByText('1 failed delivery matches').waitFor();
    await dialog.getByRole('button', { name: 'Retry failed (1)' }).click();
    await dialog.getByText('Done: 1 of 1 failed delivery sent again.').waitFor();
    await eventually(
      async () =>
        (await deliveriesOf(hooks['Down Receiver'])).every((d) => d.status === 'succeeded'),
      'every delivery of the webhook to succeed',
    );
    expect(errors).toEqual([]);
  });

  it('given an auditor, then the log can be searched but Retry failed is not offered; nor to an admin looking at succeeded deliveries', async () => {
    // Teapot's 418s: the test before retried the 5xx ones into 2xx.
    const auditor = await open('/deliveries?statusClass=4xx', 'auditor');
    await showsOnly(auditor.page, 3, 'Teapot');
    expect(await auditor.page.getByRole('button', { name: 'Retry failed…' }).count()).toBe(0);

    const admin = await open('/deliveries?status=succeeded');
    await admin.page.getByRole('button', { name: 'Refresh' }).waitFor();
    expect(await admin.page.getByRole('button', { name: 'Retry failed…' }).count()).toBe(0);
    await admin.page.getByLabel('Status').selectOption('failed');
    await admin.page.getByRole('button', { name: 'Retry failed…' }).waitFor();
  });
});

/** A datetime-local input's value for `time` in the browser's zone (the test runs in the same). */
function localInput(time: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
}
