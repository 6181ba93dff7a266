import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { AppConfig } from '@app/config';
import { DATABASE_CONNECTION } from '@app/platform';
import { PauseWebhookCommand } from '@app/webhooks';
import {
  ENDPOINT_FAILURES_COLLECTION,
  type EndpointFailureDocument,
} from '../storage/delivery.documents';

/** Who the webhook's history names as having paused it. */
export const DELIVERY_WORKER_ACTOR = 'system:delivery-worker';

/**
 * Remembers which webhooks have failed every attempt, and since when, and pauses a webhook through
 * its own command (reason `automatic`, with the detail) once that has lasted
 * DELIVERY_DISABLE_AFTER_HOURS, or at once when its endpoint answers 410 Gone. Only changes are
 * written (first failure, recovery), so a healthy endpoint costs no database write per attempt.
 */
@Injectable()
export class EndpointHealth implements OnModuleInit {
  private readonly logger = new Logger(EndpointHealth.name);
  private readonly failures: Collection<EndpointFailureDocument>;
  private readonly failingSince = new Map<string, Date>();
  private readonly pausing = new Set<string>();

  constructor(
    @Inject(DATABASE_CONNECTION) connection: Connection,
    private readonly commands: CommandBus,
    private readonly config: AppConfig,
  ) {
    this.failures = connection.collection<EndpointFailureDocument>(ENDPOINT_FAILURES_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    for (const failure of await this.failures.find().toArray()) {
      this.failingSince.set(failure._id, failure.failingSince);
    }
  }

  async succeeded(webhookId: string): Promise<void> {
    if (!this.failingSince.delete(webhookId)) return;
    await this.failures.deleteOne({ _id: webhookId });
  }

  async failed(webhookId: string, error: string, now: Date): Promise<void> {
    let since = this.failingSince.get(webhookId);
    if (since === undefined) {
      since = now;
      this.failingSince.set(webhookId, since);
      const inserted = await this.failures
        .insertOne({ _id: webhookId, failingSince: now, lastFailureAt: now, lastError: error })
        .then(() => true)
        .catch(() => false);
      // Another worker recorded it first: its time counts.
      if (!inserted) {
        since = (await this.failures.findOne({ _id: webhookId }))?.failingSince ?? now;
        this.failingSince.set(webhookId, since);
      }
    }
    const limitMs = this.config.deliveryDisableAfterHours * 3_600_000;
    if (now.getTime() - since.getTime() >= limitMs) {
      await this.pause(
        webhookId,
        `every delivery attempt failed since ${since.toISOString()} (last: ${error})`,
      );
    }
  }

  /** Takes the webhook out of service; its history records why. At most one at a time per webhook. */
  async pause(webhookId: string, detail: string): Promise<void> {
    if (this.pausing.has(webhookId)) return;
    this.pausing.add(webhookId);
    try {
      const causation = randomUUID();
      const changed = await this.commands.execute<PauseWebhookCommand, boolean>(
        new PauseWebhookCommand(webhookId, detail, {
          actor: DELIVERY_WORKER_ACTOR,
          correlationId: causation,
          causationId: causation,
        }),
      );
      if (changed) this.logger.warn(`paused webhook ${webhookId}: ${detail}`);
      this.failingSince.delete(webhookId);
      await this.failures.deleteOne({ _id: webhookId });
    } catch (error) {
      this.logger.error(`could not pause webhook ${webhookId}: ${(error as Error).message}`);
    } finally {
      this.pausing.delete(webhookId);
    }
  }
}
