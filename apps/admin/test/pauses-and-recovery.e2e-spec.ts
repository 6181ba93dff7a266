import type { Page } from 'playwright-core';
import { RetryPolicyFollower } from '@app/retry-policy';
import { useAdminPageRig } from '../../../test/support/admin-page-rig';
import { eventually, platformEvent } from '../../../test/support/delivery-rig';

/**
 * Automatic pauses and recovery from the admin page (issue 15), in Chromium against the real api,
 * worker and an HTTPS receiver: a receiver answering 410 gets its webhook paused by the worker,
 * the page says why and since when, Resume activates it and offers to send again what failed
 * (counted first); "Recover failed deliveries since…" picks its time and counts before sending.
 */
describe('the admin page: pauses and recovery (real ui.browser)', () => {
  const ui = useAdminPageRig({ label: 'admin_pauses' });
  /** Path → status the receiver answers; anything else 200. */
  const answers = new Map<string, number>();

  const { open } = ui;
  const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });

  /** A webhook whose receiver answered 410 at its first delivery, paused by the worker. */
  async function pausedWebhook(name: string, path: string) {
    answers.set(path, 410);
    const hook = await ui.rig.createWebhook({ name, path, eventTypes: ['license.deleted'] });
    await ui.rig.publish(ui.rig.topics.licenses, [
      { value: JSON.stringify(platformEvent('license.deleted')) },
    ]);
    await eventually(async () => {
      const { body } = await ui.rig.call('GET', `/webhooks/${hook.id}`);
      return body.pause !== null;
    }, `the worker to pause ${name}`);
    await eventually(
      async () => (await deliveriesOf(hook.id)).some((d) => d.status === 'failed'),
      `the delivery of ${name} that met the 410 to be failed`,
    );
    return hook;
  }

  async function deliveriesOf(webhookId: string) {
    const { body } = await ui.rig.call('GET', `/deliveries?webhookId=${webhookId}`);
    return body.items as { id: string; status: string; attemptCount: number }[];
  }

  beforeAll(async () => {
    ui.rig.receiver.respond((request) => ({ status: answers.get(request.path) ?? 200, body: 'x' }));
    // One attempt per delivery: a failure is final at once, so the tests need not wait.
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
  }, 120_000);

  it('given a receiver that answers 410, when the worker pauses its webhook, then the list and the webhook say why and since when, and Resume re-activates it and recovers the failed delivery after counting it', async () => {
    answers.set('/gone', 410);
    const hook = await ui.rig.createWebhook({
      name: 'Gone Receiver',
      path: '/gone',
      eventTypes: ['license.created'],
    });
    await ui.rig.publish(ui.rig.topics.licenses, [
      { value: JSON.stringify(platformEvent('license.created')) },
    ]);
    await eventually(async () => {
      const { body } = await ui.rig.call('GET', `/webhooks/${hook.id}`);
      return body.status === 'inactive' && body.pause !== null;
    }, 'the worker to pause the webhook after the 410');
    const { body: paused } = await ui.rig.call('GET', `/webhooks/${hook.id}`);
    expect(paused.pause).toMatchObject({ kind: 'gone' });
    await eventually(
      async () => (await deliveriesOf(hook.id)).some((d) => d.status === 'failed'),
      'the delivery that met the 410 to be failed',
    );

    const { page, errors } = await open('/webhooks?search=Gone');
    const listed = row(page, 'Gone Receiver');
    await listed.getByText('Paused: endpoint gone').waitFor();
    expect(await listed.textContent()).toContain(paused.pause.reason);
    expect(await listed.locator('.pause-note').getAttribute('title')).toContain(
      paused.pause.reason,
    );

    await listed.getByRole('link', { name: 'Edit Gone Receiver' }).click();
    const banner = page.getByRole('region', { name: 'Automatic pause' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain(paused.pause.reason);
    expect(await banner.locator('time').getAttribute('datetime')).toBe(paused.pause.at);

    // The receiver is fixed; the admin resumes the webhook.
    answers.delete('/gone');
    await banner.getByRole('button', { name: 'Resume' }).click();
    const dialog = page.getByRole('dialog', {
      name: 'Recover failed deliveries of "Gone Receiver"',
    });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Gone Receiver is active again');
    await dialog.getByText('1 failed delivery since').waitFor();
    expect((await ui.rig.call('GET', `/webhooks/${hook.id}`)).body).toMatchObject({
      status: 'active',
      pause: null,
    });
    // Counting sent nothing.
    expect((await deliveriesOf(hook.id))[0].attemptCount).toBe(1);

    await dialog.getByRole('button', { name: 'Recover 1 delivery' }).click();
    await dialog.getByText('Recovered: 1 failed delivery was sent again.').waitFor();
    await eventually(
      async () => (await deliveriesOf(hook.id))[0].status === 'succeeded',
      'the recovered delivery to succeed',
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('region', { name: 'Automatic pause' }).waitFor({ state: 'detached' });

    // The recovered delivery says who asked for its new attempt.
    const [delivery] = await deliveriesOf(hook.id);
    await page.goto(`${ui.rig.api.url}/admin/deliveries/${delivery.id}`);
    await page.getByRole('heading', { name: /Attempt 2: HTTP 200/ }).waitFor();
    expect(await page.locator('.attempt').nth(1).textContent()).toContain(
      'Requested by user:admin-ui',
    );
    expect(errors).toEqual([]);
  }, 90_000);

  it('given failed deliveries, when an admin recovers from the list, then the chosen time decides what is counted and sent, and nothing is sent before confirming', async () => {
    answers.set('/flaky', 503);
    const hook = await ui.rig.createWebhook({
      name: 'Flaky Receiver',
      path: '/flaky',
      eventTypes: ['license.updated'],
    });
    await ui.rig.publish(ui.rig.topics.licenses, [
      { value: JSON.stringify(platformEvent('license.updated')) },
      { value: JSON.stringify(platformEvent('license.updated')) },
    ]);
    await eventually(async () => {
      const deliveries = await deliveriesOf(hook.id);
      return deliveries.length === 2 && deliveries.every((d) => d.status === 'failed');
    }, 'two failed deliveries');
    answers.delete('/flaky');

    const { page, errors } = await open('/webhooks?search=Flaky');
    await row(page, 'Flaky Receiver')
      .getByRole('button', { name: 'Recover failed deliveries of Flaky Receiver' })
      .click();
    const dialog = page.getByRole('dialog', { name: /Flaky Receiver/ });
    await dialog.getByText('2 failed deliveries since').waitFor();

    // A time after both deliveries: none to recover.
    const later = new Date(Date.now() + 60 * 60_000);
    await dialog.getByLabel('Failed deliveries created since').fill(localInput(later));
    await dialog.getByText('No failed deliveries since').waitFor();
    expect(await dialog.getByRole('button', { name: 'Recover' }).isDisabled()).toBe(true);

    const earlier = new Date(Date.now() - 60 * 60_000);
    await dialog.getByLabel('Failed deliveries created since').fill(localInput(earlier));
    await dialog.getByText('2 failed deliveries since').waitFor();
    expect((await deliveriesOf(hook.id)).every((d) => d.attemptCount === 1)).toBe(true);

    await dialog.getByRole('button', { name: 'Recover 2 deliveries' }).click();
    await dialog.getByText('Recovered: 2 failed deliveries were sent again.').waitFor();
    await eventually(
      async () => (await deliveriesOf(hook.id)).every((d) => d.status === 'succeeded'),
      'both recovered deliveries to succeed',
    );
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Cancelling the question sends nothing.
    await row(page, 'Flaky Receiver')
      .getByRole('button', { name: 'Recover failed deliveries of Flaky Receiver' })
      .click();
    await dialog.getByText('No failed deliveries since').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
  }, 90_000);

  it('given a paused webhook, when an admin switches it on in the list, then that is a Resume: the recovery is offered, and declining it sends nothing', async () => {
    const hook = await pausedWebhook('Switched Back', '/switched');
    answers.delete('/switched');
    const { page, errors } = await open('/webhooks?search=Switched');
    await row(page, 'Switched Back').getByText('Paused: endpoint gone').waitFor();

    await page.getByRole('switch', { name: 'Active: Switched Back' }).click();
    const dialog = page.getByRole('dialog', { name: /Switched Back/ });
    await dialog.getByText('1 failed delivery since').waitFor();
    await page.getByText('Switched Back is now active.').waitFor();
    await page.getByRole('switch', { name: 'Active: Switched Back', checked: true }).waitFor();
    expect(await row(page, 'Switched Back').getByText('Paused: endpoint gone').count()).toBe(0);

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await deliveriesOf(hook.id))[0]).toMatchObject({ status: 'failed', attemptCount: 1 });
    expect(errors).toEqual([]);
  }, 90_000);

  it('given a paused webhook, when an auditor looks, then the pause is shown but neither Resume nor Recover is offered', async () => {
    const hook = await pausedWebhook('Audited Pause', '/audited-pause');
    const { page, errors } = await open('/webhooks?search=Audited', 'auditor');
    await row(page, 'Audited Pause').getByText('Paused: endpoint gone').waitFor();
    expect(await page.getByRole('button', { name: /Recover failed deliveries/ }).count()).toBe(0);

    await page.goto(`${ui.rig.api.url}/admin/webhooks/${hook.id}/edit`);
    const banner = page.getByRole('region', { name: 'Automatic pause' });
    await banner.waitFor();
    expect(await banner.getByRole('button', { name: 'Resume' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Recover failed deliveries/ }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

/** A datetime-local input's value for `time` in the browser's zone (the test runs in the same). */
function localInput(time: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}`;
}
