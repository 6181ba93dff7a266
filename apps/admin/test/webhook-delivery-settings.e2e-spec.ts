import { useAdminPageRig } from '../../../test/support/admin-page-rig';

/**
 * Issue 15, per-webhook delivery settings, on the admin page in Chromium against the real api:
 * the webhook form's "Delivery settings" section sets a custom retry policy, a rate limit and
 * custom headers, shows them again on edit, refuses a reserved header naming it, and the history
 * words the change with header names only.
 */
describe('the admin page: a webhook’s delivery settings', () => {
  const ui = useAdminPageRig({ label: 'admin_delivery_settings', worker: false });

  const { open } = ui;

  it('given the create form, when a custom policy, a rate limit and a header are set, then the webhook has them', async () => {
    const { page, errors } = await open('/webhooks/new');
    await page.getByRole('heading', { name: 'Create Webhook' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Throttled CRM');
    await page.getByLabel('Target URL').fill(`${ui.rig.receiver.url}/throttled`);
    await page.getByRole('checkbox', { name: 'license.created' }).check();

    const section = page.getByRole('group', { name: 'Delivery settings' });
    await section.getByText(/Default \(Settings\).*retries after 5, 300/).waitFor();
    await section.getByRole('radio', { name: 'Custom for this webhook' }).check();
    // Prefilled from the default policy, to be edited.
    expect(await section.getByLabel('Retry intervals (seconds)').inputValue()).toBe(
      '5, 300, 1800, 7200, 18000, 36000, 36000',
    );
    await section.getByLabel('Retry intervals (seconds)').fill('10, 60');
    await section.getByLabel('Jitter').fill('0');
    await section.getByLabel('Rate limit (requests per second)').fill('5');
    await section.getByRole('button', { name: 'Add header' }).click();
    await section.getByLabel('Header 1 name').fill('Authorization');
    await section.getByLabel('Header 1 value').fill('Bearer ui-token-42');
    await page.getByRole('button', { name: 'Create Webhook' }).click();

    await page.getByText('Webhook "Throttled CRM" created').waitFor();
    const id = /\/admin\/webhooks\/([^/]+)\/edit$/.exec(page.url())?.[1];
    const { body: saved } = await ui.rig.call('GET', `/webhooks/${id}`);
    expect(saved).toMatchObject({
      retryPolicy: { retryIntervalsSeconds: [10, 60], jitter: 0 },
      rateLimitPerSecond: 5,
      headers: { authorization: 'Bearer ui-token-42' },
    });
    // The edit form shows them again.
    expect(await section.getByRole('radio', { name: 'Custom for this webhook' }).isChecked()).toBe(
      true,
    );
    expect(await section.getByLabel('Rate limit (requests per second)').inputValue()).toBe('5');
    expect(await section.getByLabel('Header 1 name').inputValue()).toBe('authorization');
    expect(errors).toEqual([]);
  }, 60_000);

  it('given a webhook with settings, when a reserved header is added, then the save is refused naming it; fixed, the defaults return and the history names the headers only', async () => {
    const { body: created } = await ui.rig.call('POST', '/webhooks', {
      body: {
        name: 'Back To Defaults',
        url: `${ui.rig.receiver.url}/defaults`,
        environment: 'production',
        eventTypes: ['license.created'],
        retryPolicy: { retryIntervalsSeconds: [30], jitter: 0 },
        rateLimitPerSecond: 2,
        headers: { authorization: 'Bearer old-secret-value' },
      },
    });
    const { page, errors } = await open(`/webhooks/${created.id}/edit`);
    await page.getByRole('heading', { name: 'Edit Webhook' }).waitFor();
    const section = page.getByRole('group', { name: 'Delivery settings' });
    expect(await section.getByLabel('Retry intervals (seconds)').inputValue()).toBe('30');

    await section.getByRole('radio', { name: /Default \(Settings\)/ }).check();
    await section.getByLabel('Rate limit (requests per second)').fill('');
    await section.getByRole('button', { name: 'Remove header 1' }).click();
    await section.getByRole('button', { name: 'Add header' }).click();
    await section.getByLabel('Header 1 name').fill('Host');
    await section.getByLabel('Header 1 value').fill('evil.example');
    await page.getByRole('button', { name: 'Save' }).click();

    await section.getByText('"Host" is set by the platform and cannot be set').waitFor();
    const { body: unchanged } = await ui.rig.call('GET', `/webhooks/${created.id}`);
    expect(unchanged).toMatchObject({ version: 2, rateLimitPerSecond: 2 });

    await section.getByRole('button', { name: 'Remove header 1' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved "Back To Defaults".').waitFor();
    const { body: saved } = await ui.rig.call('GET', `/webhooks/${created.id}`);
    expect(saved).toMatchObject({
      retryPolicy: null,
      rateLimitPerSecond: null,
      headers: {},
      version: 3,
    });

    await page.goto(`${ui.rig.api.url}/admin/webhooks/${created.id}/history`);
    const entry = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: /Delivery settings changed/ }) })
      .last();
    await entry.waitFor();
    const text = await entry.textContent();
    expect(text).toContain('Default');
    expect(text).toContain('No limit');
    expect(text).toContain('removed authorization');
    expect(await page.content()).not.toContain('old-secret-value');
    expect(errors).toEqual([]);
  }, 60_000);
});
