/**
 * `npm run screenshots:admin`: pictures of every admin page at 1280 and 390 px wide, for the docs
 * (docs/screenshots/). It runs the whole product like the browser tests do (api and worker against
 * the local FerretDB and Kafka, an HTTPS receiver), seeds a few webhooks and deliveries through the
 * public API and Kafka, and photographs the pages in Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { RetryPolicyFollower } from '@app/retry-policy';
import { signAccessToken } from '@app/platform';
import globalSetup from '../test/support/global-setup';
import {
  buildAdminPage,
  launchChromium,
  signedInContext,
  VIEWPORTS,
} from '../test/support/browser';
import {
  eventually,
  platformEvent,
  RIG_JWT_SECRET,
  startDeliveryRig,
  type DeliveryRig,
} from '../test/support/delivery-rig';

const OUT = join(__dirname, '..', 'docs', 'screenshots');

async function main(): Promise<void> {
  globalSetup(undefined, { displayName: 'e2e' });
  mkdirSync(OUT, { recursive: true });
  const rig = await startDeliveryRig({
    label: 'screenshots',
    env: { ADMIN_UI_DIR: buildAdminPage() },
  });
  const browser = await launchChromium();
  try {
    const seeded = await seed(rig);
    // [name, path, what to do on the page before the picture (open a dialog: nothing is changed)]
    const pages: [string, string, ((page: Page) => Promise<void>)?][] = [
      ['webhooks', '/webhooks'],
      ['webhook-create', '/webhooks/new'],
      ['webhook-edit', `/webhooks/${seeded.crm}/edit`],
      ['webhook-paused', `/webhooks/${seeded.legacy}/edit`],
      [
        'webhook-recover',
        '/webhooks?env=production',
        async (page) => {
          await page
            .getByRole('button', { name: 'Recover failed deliveries of Data Warehouse Stream' })
            .click();
          await page
            .getByRole('dialog')
            .getByText(/failed deliver(y|ies) since/)
            .waitFor();
        },
      ],
      ['webhook-history', `/webhooks/${seeded.crm}/history`],
      ['deliveries', '/deliveries?env=all'],
      [
        'deliveries-search',
        '/deliveries?env=production&status=failed&statusClass=5xx',
        async (page) => {
          await page.getByRole('button', { name: 'Retry failed…' }).click();
          await page
            .getByRole('dialog')
            .getByText(/failed deliver(y|ies) match/)
            .waitFor();
        },
      ],
      ['delivery-failed', `/deliveries/${seeded.failedDelivery}`],
      ['settings', '/settings'],
    ];
    for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
      await signInShot(browser, rig, viewport, `sign-in-${viewport.width}`);
      const context = await signedInContext(browser, ownerToken(), viewport);
      const page = await context.newPage();
      for (const [name, path, before] of pages) {
        await page.goto(`${rig.api.url}/admin${path}`);
        await settle(page);
        await before?.(page);
        await shoot(page, `${name}-${viewport.width}`);
      }
      await context.close();
      console.log(`${viewportName}: ${pages.length + 1} pages`);
    }
  } finally {
    await browser.close();
    await rig.close();
  }
}

const ownerToken = () => signAccessToken(RIG_JWT_SECRET, { id: 'alice', role: 'owner' }, 900);

async function signInShot(
  browser: Browser,
  rig: DeliveryRig,
  viewport: { width: number; height: number },
  name: string,
) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${rig.api.url}/admin/webhooks`);
  await page
    .getByLabel('Bearer token')
    .fill(signAccessToken(RIG_JWT_SECRET, { id: 'vic', role: 'viewer' }, 900));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  await shoot(page, name);
  await context.close();
}

async function settle(page: Page) {
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForLoadState('networkidle');
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

/**
 * A small, believable installation: six webhooks, their deliveries, one failing receiver and one
 * retired (410 Gone), whose webhook the worker has paused.
 */
async function seed(rig: DeliveryRig) {
  const receiver = rig.receiver.url;
  rig.receiver.respond((request) =>
    request.path.startsWith('/warehouse')
      ? { status: 503, body: '{"error":"warehouse loading, try later"}' }
      : request.path.startsWith('/legacy')
        ? { status: 410, body: 'this integration was retired' }
        : { status: 200, body: '{"ok":true}' },
  );
  const create = async (body: Record<string, unknown>) => {
    const { status, body: created } = await rig.call('POST', '/webhooks', { body });
    if (status !== 201) throw new Error(`seed: ${status} ${JSON.stringify(created)}`);
    await rig.workerSees(created.id);
    return created.id as string;
  };
  const crm = await create({
    name: 'CRM Sync',
    url: `${receiver}/crm/licenses`,
    environment: 'production',
    eventTypes: ['license.created', 'license.assigned', 'license.updated', 'license.revoked'],
    description: 'Keeps the CRM account licences up to date.',
  });
  await create({
    name: 'Slack Activation Alerts',
    url: `${receiver}/slack/activations`,
    environment: 'production',
    eventTypes: ['activation.created', 'activation.failed'],
  });
  const warehouse = await create({
    name: 'Data Warehouse Stream',
    url: `${receiver}/warehouse/ingest`,
    environment: 'production',
    eventTypes: ['telemetry.received', 'telemetry.flagged', 'activation.created'],
  });
  // Its endpoint answers 410 Gone: the worker pauses it at its first delivery.
  const legacy = await create({
    name: 'Legacy ERP Bridge',
    url: `${receiver}/legacy/erp`,
    environment: 'production',
    eventTypes: ['license.assigned'],
  });
  await create({
    name: 'Fraud Investigation',
    url: `${receiver}/fraud/flags`,
    environment: 'staging',
    eventTypes: ['telemetry.flagged'],
    active: false,
  });
  await create({
    name: 'Provisioning',
    url: `${receiver}/provisioning/contracts`,
    environment: 'development',
    eventTypes: ['contract.created', 'contract.updated'],
  });
  await rig.call('PATCH', `/webhooks/${crm}`, { body: { url: `${receiver}/crm/v2/licenses` } });
  await rig.call('POST', `/webhooks/${crm}/secret/rotate`, { body: {} });

  // One attempt only while seeding, so the warehouse's 503 is a finished, failed delivery.
  await rig.call('PUT', '/settings/retry-policy', {
    body: { retryIntervalsSeconds: [], jitter: 0 },
  });
  const follower = rig.worker!.app.get(RetryPolicyFollower);
  await eventually(
    () => follower.current().retryIntervalsSeconds.length === 0,
    'the worker to follow the policy',
  );
  // The documented example of each type: the worker's schema check (PLATFORM_EVENT_VALIDATION)
  // dead-letters an event whose data breaks its type's schema.
  const publish = (topic: string, types: string[]) =>
    rig.publish(
      topic,
      types.map((type) => ({ value: JSON.stringify(platformEvent(type)) })),
    );
  await publish(rig.topics.licenses, ['license.created', 'license.assigned']);
  await publish(rig.topics.activations, ['activation.created', 'activation.failed']);
  let failedDelivery = '';
  await eventually(async () => {
    const { body } = await rig.call('GET', `/deliveries?webhookId=${warehouse}&status=failed`);
    failedDelivery = body.items[0]?.id ?? '';
    const all = await rig.call('GET', '/deliveries?limit=100');
    const finished = all.body.items.filter(
      (d: { status: string }) => d.status === 'succeeded' || d.status === 'failed',
    );
    const paused = (await rig.call('GET', `/webhooks/${legacy}`)).body.pause;
    return failedDelivery !== '' && finished.length >= 6 && Boolean(paused);
  }, 'the seeded deliveries');
  await rig.call('PUT', '/settings/retry-policy', {
    body: { retryIntervalsSeconds: [10, 60, 300, 1800, 7200, 18000, 36000], jitter: 0.2 },
  });
  return { crm, legacy, failedDelivery };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
