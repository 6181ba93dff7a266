import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, problemType, Public } from '@app/platform';
import { AdminPageFiles } from './admin-page.files';
import type { FileResponse } from './admin-page.files';

/** Where the admin page lives: outside the /api/v1 prefix, like /health. */
export const ADMIN_PAGE_PATH = 'admin';

/** The routes to leave out of the global prefix: `/admin` and everything under it. */
export const ADMIN_PAGE_ROUTES = [ADMIN_PAGE_PATH, `${ADMIN_PAGE_PATH}/{*path}`];

/**
 * Headers of every /admin response. The page is one same-origin React bundle that keeps a bearer
 * token in sessionStorage, so the CSP allows scripts, styles, images and API calls from this origin
 * only (`data:` images aside), no inline scripts or style sheets, and no framing.
 */
export const ADMIN_PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Hashed bundle files: a new build has new names, so a file never changes under its name. */
const ASSET_CACHING = { maxAge: 365 * 24 * 3600 * 1000, immutable: true };
/** index.html and other unhashed files: revalidated (ETag) on every load, so a deploy shows at once. */
const PAGE_CACHING = { cacheControl: false, headers: { 'Cache-Control': 'no-cache' } };

interface PageRequest {
  originalUrl: string;
}

/**
 * The admin page, a single-page app built into ADMIN_UI_DIR (`npm run build:admin`):
 *
 * - `GET /admin/assets/<file>`: the hashed bundle files, cached for a year as immutable; a missing
 *   one is a 404 problem, never the page.
 * - `GET /admin` and any other `GET /admin/<path>`: the file at that path if there is one (e.g. a
 *   favicon), otherwise index.html, so the page's own router resolves deep links such as
 *   `/admin/webhooks/42/edit`; both with `Cache-Control: no-cache`.
 * - Not built: 503 problem `admin-page-not-built`, telling how to build it.
 *
 * Public: the page itself holds no data; its API calls carry the bearer token.
 */
@Public()
@ApiExcludeController()
@Controller(ADMIN_PAGE_PATH)
export class AdminPageController {
  constructor(private readonly files: AdminPageFiles) {}

  @Get('assets/*path')
  async asset(
    @Param('path') path: string[],
    @Req() request: PageRequest,
    @Res() response: FileResponse,
  ): Promise<void> {
    setSecurityHeaders(response);
    const outcome = await this.files.send(response, ['assets', ...path].join('/'), ASSET_CACHING);
    if (outcome === 'sent') return;
    if (!this.files.isBuilt()) return notBuilt(request, response);
    // Typically a tab opened before a deploy asking for the previous build's files.
    throw new NotFoundException('The admin page has no such file; reload the page.');
  }

  @Get(['', '*path'])
  async page(
    @Param('path') path: string[] | undefined,
    @Req() request: PageRequest,
    @Res() response: FileResponse,
  ): Promise<void> {
    setSecurityHeaders(response);
    const segments = path ?? [];
    // `/admin/assets` itself, or `/admin/assets/`: a folder of bundle files, not a page.
    if (segments[0] === 'assets') {
      if (!this.files.isBuilt()) return notBuilt(request, response);
      throw new NotFoundException('The admin page assets folder cannot be listed.');
    }
    // A file of the build (e.g. favicon.svg) if the path names one; otherwise the page itself.
    if (segments.length > 0) {
      const file = await this.files.send(response, segments.join('/'), PAGE_CACHING);
      if (file === 'sent') return;
    }
    const page = await this.files.send(response, 'index.html', PAGE_CACHING);
    if (page === 'not-found') notBuilt(request, response);
  }
}

function setSecurityHeaders(response: FileResponse): void {
  for (const [name, value] of Object.entries(ADMIN_PAGE_SECURITY_HEADERS)) {
    response.setHeader(name, value);
  }
}

/**
 * 503 problem details, written here rather than thrown: the filter would log every such request as
 * an unexpected server error, while the start-up warning has already said it once.
 */
function notBuilt(request: PageRequest, response: FileResponse): void {
  const problem: ProblemDetails = {
    type: problemType('admin-page-not-built'),
    title: 'Admin page not built',
    status: 503,
    detail:
      'This server has no built admin page. Run `npm run build:admin` (or point ADMIN_UI_DIR at a built copy), then reload.',
    instance: request.originalUrl.split('?')[0],
  };
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  response.status(problem.status).send(JSON.stringify(problem));
}
