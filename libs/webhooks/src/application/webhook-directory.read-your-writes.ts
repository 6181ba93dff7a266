import { Injectable, Logger } from '@nestjs/common';
import { ProjectionHost } from '@app/event-store';
import { WEBHOOK_DIRECTORY_PROJECTION } from '../read-models/directory/webhook-directory';
import type { ReadYourWrites } from './consistency';

/**
 * How long a read-your-writes command waits for the list view (this api's in-memory webhook
 * directory). The append wakes it at once, so normally it takes one read of the new commit;
 * longer only while the api is still catching up at boot, and then the write answers anyway.
 */
const READ_YOUR_WRITES_WAIT_MS = 3000;

/** Read-your-writes in the api: its lists and details come from the webhook directory. */
@Injectable()
export class WebhookDirectoryReadYourWrites implements ReadYourWrites {
  private readonly logger = new Logger(WebhookDirectoryReadYourWrites.name);

  constructor(private readonly projections: ProjectionHost) {}

  async waitFor(position: number): Promise<void> {
    try {
      await this.projections
        .runner(WEBHOOK_DIRECTORY_PROJECTION)
        .waitFor(position, READ_YOUR_WRITES_WAIT_MS);
    } catch (error) {
      this.logger.warn(
        `answering a committed write before the list view shows it: ${(error as Error).message}`,
      );
    }
  }
}
