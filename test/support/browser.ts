/// <reference lib="dom" />
// (DOM types for the functions these tests hand to the page, which run in the browser.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium (installed by `scripts/browser install`, which the e2e global setup runs),
 * driven by playwright-core; never a downloaded browser. The flags keep it off the network this
 * machine does not have (background updates, sync) and let it run as root in a container.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

/**
 * Builds the admin page from the current sources into a fresh folder, for the api to serve with
 * ADMIN_UI_DIR: the browser tests then test the code as it is, never a stale dist/.
 */
export function buildAdminPage(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'admin-ui-'));
  const root = join(__dirname, '..', '..');
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'apps/admin/vite.config.mts',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return outDir;
}

/** The key under which the page keeps the token for the tab's session (auth/session.tsx). */
const TOKEN_KEY = 'lmp-admin.token';

/**
 * A browser context already signed in with `token`, as if the user had pasted it: the page finds
 * it in sessionStorage. Signing in through the form is tested on its own.
 */
export async function signedInContext(
  browser: Browser,
  token: string,
  viewport: { width: number; height: number } = VIEWPORTS.desktop,
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(
    ([key, value]) => {
      if (!sessionStorage.getItem(key)) sessionStorage.setItem(key, value);
    },
    [TOKEN_KEY, token] as const,
  );
  return context;
}

/** Collects what the page logs as errors and its uncaught exceptions, to assert there are none. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) {
      errors.push(message.text());
    }
  });
  return errors;
}
