import { useAdminPageRig } from '../../../test/support/admin-page-rig';

/**
 * Issue 14, asymmetric signatures, on the admin page in Chromium against the real api: the scheme
 * is chosen on create and when rotating, and the webhook's page shows its `whpk_` public key with
 * Copy; the history words the scheme change. The private key is never on the page.
 */
describe('the admin page: ed25519 (v1a) signing keys', () => {
  const ui = useAdminPageRig({ label: 'admin_v1a', worker: false });

  const { open } = ui;

  it('given the create form, when Asymmetric is chosen, then no secret is asked for, and the new webhook shows its whpk_ public key with Copy', async () => {
    const { page, errors } = await open('/webhooks/new');
    await page.getByRole('heading', { name: 'Create Webhook' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Ed25519 Receiver');
    await page.getByLabel('Target URL').fill(`${ui.rig.receiver.url}/ed25519`);
    expect(await page.getByLabel('Webhook Secret').count()).toBe(1);
    await page.getByLabel('Signature scheme').selectOption('asymmetric');
    expect(await page.getByLabel('Webhook Secret').count()).toBe(0);
    await page.getByRole('checkbox', { name: 'license.created' }).check();
    await page.getByRole('button', { name: 'Create Webhook' }).click();

    await page.getByText('Webhook "Ed25519 Receiver" created').waitFor();
    const id = /\/admin\/webhooks\/([^/]+)\/edit$/.exec(page.url())?.[1];
    const { body: saved } = await ui.rig.call('GET', `/webhooks/${id}`);
    expect(saved).toMatchObject({ signatureScheme: 'asymmetric' });
    const shown = await page.getByLabel('Public key').inputValue();
    expect(shown).toBe(saved.publicKey);
    expect(shown).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);

    await page.getByRole('button', { name: 'Copy public key' }).click();
    await page.getByText(/Public key copied|the key is selected/).waitFor();
    expect(await page.content()).not.toContain('whsk_');
    expect(errors).toEqual([]);
  }, 60_000);

  it('given a symmetric webhook, when rotated to Asymmetric in the confirmation, then its page shows the new public key and the history the scheme change', async () => {
    const { body: created } = await ui.rig.call('POST', '/webhooks', {
      body: {
        name: 'Switching Scheme',
        url: `${ui.rig.receiver.url}/switching`,
        environment: 'production',
        eventTypes: ['license.created'],
      },
    });
    const { page, errors } = await open(`/webhooks/${created.id}/edit`);
    await page.getByRole('heading', { name: 'Edit Webhook' }).waitFor();
    expect(await page.getByLabel('Public key').count()).toBe(0);

    await page.getByRole('button', { name: 'Generate New Secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate a new secret?' });
    await dialog.waitFor();
    await dialog.getByLabel('Sign from now on with').selectOption('asymmetric');
    await dialog.getByRole('button', { name: 'Generate New Secret' }).click();
    await page.getByText('New ed25519 key pair generated').waitFor();

    const { body: rotated } = await ui.rig.call('GET', `/webhooks/${created.id}`);
    expect(rotated).toMatchObject({ signatureScheme: 'asymmetric', version: 2 });
    expect(await page.getByLabel('Public key').inputValue()).toBe(rotated.publicKey);
    expect(await page.getByLabel('Webhook Secret').count()).toBe(0);

    await page.goto(`${ui.rig.api.url}/admin/webhooks/${created.id}/history`);
    await page.getByRole('heading', { name: /Secret rotated/ }).waitFor();
    const entry = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: /Secret rotated/ }) });
    expect(await entry.textContent()).toContain('Asymmetric (ed25519, v1a)');
    expect(await page.content()).not.toContain('whsk_');
    expect(errors).toEqual([]);
  }, 60_000);
});
