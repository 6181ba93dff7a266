import { Injectable } from '@nestjs/common';
import type { EventMetadata } from '@app/event-store';
import { WebhookActivityLog } from '@app/webhooks';
import {
  toNewDeliveryActivityEvent,
  type DeliveryActivityEvent,
} from '../../domain/delivery-activity.events';

/**
 * Records what admins asked of the delivery machinery in the webhook's activity stream (through
 * the webhooks' WebhookActivityLog, so its history and the audit log read it): one event per
 * request, with who asked (the metadata's actor) and the request chain; the store stamps each
 * with its clock. Appended after the request is queued: a failed append answers 500, and the
 * attempts themselves still name who asked.
 */
@Injectable()
export class DeliveryActivity {
  constructor(private readonly log: WebhookActivityLog) {}

  async record(event: DeliveryActivityEvent, metadata: EventMetadata): Promise<void> {
    await this.log.record(event.data.webhookId, [toNewDeliveryActivityEvent(event, metadata)]);
  }
}
