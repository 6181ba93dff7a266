import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { ReadinessIndicator } from '@app/platform';
import { WebhookDirectoryHost } from './webhook-directory.host';

/**
 * `webhooks` in the api's readiness: down until the in-memory webhook directory has caught up
 * with the event log once, so a load balancer sends no admin read to an api still rebuilding it.
 */
/** A probe that arrives during a short catch-up (a small log) waits for it rather than failing. */
const CATCH_UP_GRACE_MS = 1000;

@Injectable()
export class WebhookDirectoryReadiness implements ReadinessIndicator {
  constructor(private readonly directory: WebhookDirectoryHost) {}

  async check(): Promise<HealthIndicatorResult> {
    return {
      webhooks: (await this.directory.readyWithin(CATCH_UP_GRACE_MS))
        ? { status: 'up' }
        : { status: 'down', message: 'catching up with the event log' },
    };
  }
}
