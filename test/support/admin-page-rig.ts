import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signAccessToken, type Role } from '@app/platform';
import { buildAdminPage, launchChromium, pageErrors, signedInContext, VIEWPORTS } from './browser';
import {
  RIG_JWT_SECRET,
  startDeliveryRig,
  type DeliveryRig,
  type RigOptions,
} from './delivery-rig';

type Viewport = { width: number; height: number };

export interface OpenedPage {
  page: Page;
  /** What the page logged as errors, and its uncaught exceptions (pageErrors). */
  errors: string[];
}

export interface AdminPageRig {
  /** The product serving the built page (started in the hook this registers). */
  readonly rig: DeliveryRig;
  readonly browser: Browser;
  /** A token of `role` for `<role>-ui`, as the rig's api accepts it. */
  token(role: Role): string;
  /** A fresh context, signed in with `token` when one is given; closed after the test. */
  context(token?: string, viewport?: Viewport): Promise<BrowserContext>;
  /** A page in a fresh context signed in as `role`, not navigated yet. */
  newPage(role?: Role, viewport?: Viewport): Promise<OpenedPage>;
  /** `/admin<path>` in a fresh context signed in as `role`. */
  open(path: string, role?: Role, viewport?: Viewport): Promise<OpenedPage>;
}

/**
 * What every browser test of the admin page sets up, as jest hooks: the page built, a delivery
 * rig serving it (`ADMIN_UI_DIR`), Chromium, and signed-in contexts that are closed after each
 * test. Call it first in a `describe`: the hooks a suite adds after it find the rig started.
 */
export function useAdminPageRig(options: RigOptions): AdminPageRig {
  let rig: DeliveryRig | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const adminUiDir = buildAdminPage();
    rig = await startDeliveryRig({ ...options, env: { ...options.env, ADMIN_UI_DIR: adminUiDir } });
    browser = await launchChromium();
  }, 120_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} is not started yet (beforeAll)`);
    return value;
  };

  const ui: AdminPageRig = {
    get rig() {
      return started(rig, 'rig');
    },
    get browser() {
      return started(browser, 'browser');
    },
    token: (role) => signAccessToken(RIG_JWT_SECRET, { id: `${role}-ui`, role }, 900),
    async context(token, viewport = VIEWPORTS.desktop) {
      const context = token
        ? await signedInContext(ui.browser, token, viewport)
        : await ui.browser.newContext({ viewport });
      contexts.push(context);
      return context;
    },
    async newPage(role = 'admin', viewport) {
      const page = await (await ui.context(ui.token(role), viewport)).newPage();
      return { page, errors: pageErrors(page) };
    },
    async open(path, role, viewport) {
      const opened = await ui.newPage(role, viewport);
      await opened.page.goto(`${ui.rig.api.url}/admin${path}`);
      return opened;
    },
  };
  return ui;
}
