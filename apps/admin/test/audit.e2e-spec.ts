import { type Role } from '@app/platform';
import { useAdminPageRig } from '../../../test/support/admin-page-rig';

/**
 * Issue 15, the auditor's views on the admin page in Chromium against the real api: the Audit
 * page lists a secret reveal with who did it (never the secret), the history shows the webhook as
 * of any entry with what that entry changed, and the list's Deleted filter shows deleted webhooks,
 * readable only.
 */
describe('the admin page: audit, history as of an entry, deleted webhooks', () => {
  const ui = useAdminPageRig({ label: 'admin_audit', worker: false });

  const open = (path: string, role: Role = 'auditor') => ui.open(path, role);

  const create = async (name: string) =>
    (
      await ui.rig.call('POST', '/webhooks', {
        role: 'admin',
        body: {
          name,
          url: `${ui.rig.receiver.url}/${encodeURIComponent(name)}`,
          environment: 'production',
          eventTypes: ['license.created'],
        },
      })
    ).body as { id: string; secret: string; version: number };

  it('given a revealed secret, then the Audit page (in the nav for auditors) lists the reveal with its actor and webhook, and never the secret', async () => {
    // Given
    const webhook = await create('Revealed Receiver');
    const revealed = await ui.rig.call('GET', `/webhooks/${webhook.id}/secret`, { role: 'admin' });
    expect(revealed.body.secret).toBe(webhook.secret);

    // When
    const { page, errors } = await open('/webhooks');
    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: 'Audit' })
      .click();
    await page.getByRole('heading', { name: 'Audit' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Secret revealed' });
    await row.waitFor();

    // Then
    expect(await row.textContent()).toContain('user:admin-e2e');
    await page.getByLabel('Types').fill('SecretRevealed');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/type=SecretRevealed/);
    // The filtered answer replaces the list: the creation leaves it.
    await page
      .getByRole('row')
      .filter({ hasText: 'WebhookCreated' })
      .waitFor({ state: 'detached' });
    await page.getByRole('row').filter({ hasText: 'Secret revealed' }).waitFor();
    expect(await page.content()).not.toContain(webhook.secret);

    await page.getByRole('link', { name: `History of webhook ${webhook.id}` }).click();
    await page.getByRole('heading', { name: 'History of Revealed Receiver' }).waitFor();
    const entry = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: /Secret revealed/ }) });
    expect(await entry.textContent()).toContain('user:admin-e2e');
    expect(await page.content()).not.toContain(webhook.secret);
    expect(errors).toEqual([]);
  }, 60_000);

  it('given an edited webhook, when an entry of its history is chosen, then the page shows the webhook as it was then and what that entry changed', async () => {
    // Given
    const webhook = await create('Before Rename');
    await ui.rig.call('PATCH', `/webhooks/${webhook.id}`, {
      role: 'admin',
      body: { name: 'After Rename' },
    });

    // When
    const { page, errors } = await open(`/webhooks/${webhook.id}/history`);
    await page.getByRole('heading', { name: 'History of After Rename' }).waitFor();
    await page.getByRole('button', { name: /Show the webhook as of Created/ }).click();
    const asOf = page.getByRole('region', { name: /As of version 1/ });
    await asOf.waitFor();

    // Then
    await asOf.getByText('This entry created the webhook.').waitFor();
    expect(await asOf.textContent()).toContain('Before Rename');
    expect(await asOf.textContent()).not.toContain('After Rename');
    expect(page.url()).toMatch(/entry=\d+/);

    await page.getByRole('button', { name: /Show the webhook as of Updated/ }).click();
    const updated = page.getByRole('region', { name: /As of version 2/ });
    await updated.getByText('This entry changed Name.').waitFor();
    expect(await updated.locator('del').first().textContent()).toBe('Before Rename');
    expect(await updated.locator('ins').first().textContent()).toBe('After Rename');

    // A shared link opens the same view.
    await page.reload();
    await page
      .getByRole('region', { name: /As of version 2/ })
      .getByText('This entry changed Name.')
      .waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('given a deleted webhook, when the list is filtered to Deleted, then it is listed with its history only, no edit actions', async () => {
    // Given
    const doomed = await create('Deleted Receiver');
    await create('Live Receiver');
    expect((await ui.rig.call('DELETE', `/webhooks/${doomed.id}`, { role: 'admin' })).status).toBe(
      204,
    );

    // When
    const { page, errors } = await open('/webhooks', 'admin');
    await page.getByRole('link', { name: 'Live Receiver', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Deleted Receiver', exact: true }).count()).toBe(0);
    await page.getByLabel('Status').selectOption('deleted');
    await page.waitForURL(/status=deleted/);
    await page.getByRole('row').filter({ hasText: 'Live Receiver' }).waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: 'Deleted Receiver' });
    await row.waitFor();

    // Then
    expect(await row.getByRole('link', { name: 'History of Deleted Receiver' }).count()).toBe(1);
    expect(await row.getByRole('link', { name: /Edit|View/ }).count()).toBe(0);
    expect(await row.getByRole('button').count()).toBe(0);
    expect(await row.getByRole('switch').count()).toBe(0);
    await row.getByRole('link', { name: 'Deleted Receiver', exact: true }).click();
    await page.getByRole('heading', { name: /History of Deleted Receiver/ }).waitFor();
    await page.getByRole('heading', { name: /^Deleted/ }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});
