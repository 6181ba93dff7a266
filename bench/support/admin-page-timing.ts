import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser } from 'playwright-core';
import {
  buildAdminPage,
  CHROMIUM_PATH,
  launchChromium,
  signedInContext,
} from '../../test/support/browser';
import { summarize } from './stats';

const REPO_ROOT = join(__dirname, '..', '..');

/**
 * The admin page as a user meets it, in Chromium: how long the Webhook Deliveries view takes from
 * navigation to its first page of rows on screen, loaded afresh each time (a new tab, the page's
 * code cached as a browser would). Chromium is Debian's (`scripts/browser install`); without it the
 * timing is skipped with the reason.
 */
export class AdminPageTiming {
  private constructor(
    private readonly browser: Browser,
    readonly uiDir: string,
  ) {}

  /** Builds the page into a folder of its own (for the api's ADMIN_UI_DIR) and starts Chromium. */
  static async start(): Promise<AdminPageTiming | { skipped: string }> {
    if (!existsSync(CHROMIUM_PATH)) {
      const install = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'browser'), 'install'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      if (install.status !== 0 || !existsSync(CHROMIUM_PATH)) {
        return { skipped: `no Chromium at ${CHROMIUM_PATH} (scripts/browser install failed)` };
      }
    }
    const uiDir = buildAdminPage();
    try {
      return new AdminPageTiming(await launchChromium(), uiDir);
    } catch (error) {
      rmSync(uiDir, { recursive: true, force: true });
      return { skipped: `Chromium did not start: ${(error as Error).message}` };
    }
  }

  /** p50 / max of `loads` loads of `/admin/deliveries` until its first row shows, and rows shown. */
  async deliveriesFirstPage(apiUrl: string, token: string, loads: number) {
    const context = await signedInContext(this.browser, token);
    const times: number[] = [];
    let rows = 0;
    try {
      for (let i = 0; i < loads; i++) {
        const page = await context.newPage();
        const started = performance.now();
        await page.goto(`${apiUrl}/admin/deliveries`);
        await page.locator('tbody tr').first().waitFor({ timeout: 30_000 });
        times.push(performance.now() - started);
        rows = await page.locator('tbody tr').count();
        await page.close();
      }
    } finally {
      await context.close();
    }
    return { ...summarize(times), rows };
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    rmSync(this.uiDir, { recursive: true, force: true });
  }
}
