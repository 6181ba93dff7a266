import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '@app/config';

/** What express' `res.sendFile` (the `send` library, as express.static uses) is given here. */
export interface SendFileOptions {
  /** Files are looked up under this folder only: `..` is refused, dotfiles are not served. */
  root: string;
  maxAge?: number;
  immutable?: boolean;
  cacheControl?: boolean;
  /** Set only when the file is sent (200 or 304), never on an error. */
  headers?: Record<string, string>;
}

/** An error of `res.sendFile`: an http-errors error (`status`) or a code such as EISDIR. */
export interface SendFileError extends Error {
  status?: number;
  statusCode?: number;
  code?: string;
}

/** The part of express' response the admin page uses. */
export interface FileResponse {
  readonly headersSent: boolean;
  setHeader(name: string, value: string): unknown;
  status(code: number): FileResponse;
  send(body: string): unknown;
  sendFile(path: string, options: SendFileOptions, done: (error?: SendFileError) => void): void;
}

/** How a file was (not) sent. */
export type SendOutcome = 'sent' | 'not-found';

/**
 * The built admin page on disk (ADMIN_UI_DIR: `index.html` and hashed `assets/`). The folder is
 * looked at on every request rather than once, so a page built (or rebuilt) after the api started is
 * served without a restart; a missing page is reported once, at start-up.
 */
@Injectable()
export class AdminPageFiles implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminPage');
  readonly root: string;

  constructor(config: AppConfig) {
    this.root = config.adminUiDir;
  }

  onApplicationBootstrap(): void {
    if (!this.isBuilt()) {
      this.logger.warn(
        `the admin page is not built: no index.html in ${this.root} (ADMIN_UI_DIR). /admin answers 503 until it is; run npm run build:admin`,
      );
    }
  }

  /** Whether the folder holds an index.html. */
  isBuilt(): boolean {
    return statSync(join(this.root, 'index.html'), { throwIfNoEntry: false })?.isFile() ?? false;
  }

  /**
   * Sends `file` (a path relative to the folder, as decoded from the URL) with express' sendFile:
   * content type, ETag / Last-Modified with 304s, ranges and HEAD as express.static does. Resolves
   * 'not-found' when there is no such file (or it is a directory, a dotfile or outside the folder),
   * with nothing written; rejects with other errors (e.g. a failed precondition, 412).
   */
  send(
    response: FileResponse,
    file: string,
    caching: Pick<SendFileOptions, 'maxAge' | 'immutable' | 'cacheControl' | 'headers'>,
  ): Promise<SendOutcome> {
    return new Promise((resolve, reject) => {
      response.sendFile(file, { ...caching, root: this.root }, (error) => {
        if (!error) return resolve('sent');
        const status = error.status ?? error.statusCode;
        // 403: a path that leaves the folder (`..`); say no more about it than about a missing file.
        if (status === 404 || status === 403 || error.code === 'EISDIR')
          return resolve('not-found');
        // The client went away mid-transfer: nothing left to answer.
        if (response.headersSent || error.code === 'ECONNABORTED') return resolve('sent');
        reject(error);
      });
    });
  }
}
