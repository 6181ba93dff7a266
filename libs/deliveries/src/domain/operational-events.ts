import type { PlatformEvent } from '@app/platform-events';
import type { Environment, PauseKind } from '@app/webhooks';

/**
 * The operational events the worker emits about its own work (catalogue group "Operational"), as
 * platform events: published to the operational topic and delivered by the same intake, matching,
 * signing, recording and retries as any other. Built here without side effects.
 *
 * Ids are derived, never random, so that announcing the same fact twice (the step that announced
 * it repeated after a crash) is one event: the intake deduplicates by event id.
 */

export const WEBHOOK_PAUSED = 'webhook.paused';
export const DELIVERY_FAILED = 'delivery.failed';

/** A pause is named by its webhook and the stream version of its deactivation (unique per pause). */
export function pausedEventId(webhookId: string, version: number): string {
  return `evt_paused_${webhookId}_${version}`;
}

/** A delivery fails for good at most once. */
export function failedEventId(deliveryId: string): string {
  return `evt_failed_${deliveryId}`;
}

export interface PausedWebhookFacts {
  webhook: { id: string; name: string; url: string; environment: Environment };
  kind: PauseKind;
  reason: string;
  pausedAt: Date;
  /** The stream version of the deactivation. */
  version: number;
}

/** `webhook.paused`, in the paused webhook's environment. */
export function webhookPausedEvent(pause: PausedWebhookFacts): PlatformEvent {
  const { webhook } = pause;
  return {
    id: pausedEventId(webhook.id, pause.version),
    type: WEBHOOK_PAUSED,
    environment: webhook.environment,
    occurredAt: pause.pausedAt.toISOString(),
    data: {
      webhook: {
        id: webhook.id,
        name: webhook.name,
        url: webhook.url,
        environment: webhook.environment,
      },
      kind: pause.kind,
      reason: pause.reason,
      pausedAt: pause.pausedAt.toISOString(),
    },
  };
}

export interface FailedDeliveryFacts {
  delivery: {
    id: string;
    attempts: number;
    lastResponseStatus: number | null;
    lastError: string | null;
  };
  webhook: { id: string; name: string; url: string };
  event: { id: string; type: string; environment: Environment };
  failedAt: Date;
}

/** `delivery.failed`, in the failed delivery's environment. */
export function deliveryFailedEvent(facts: FailedDeliveryFacts): PlatformEvent {
  const { delivery, webhook, event } = facts;
  return {
    id: failedEventId(delivery.id),
    type: DELIVERY_FAILED,
    environment: event.environment,
    occurredAt: facts.failedAt.toISOString(),
    data: {
      delivery: {
        id: delivery.id,
        attempts: delivery.attempts,
        lastResponseStatus: delivery.lastResponseStatus,
        lastError: delivery.lastError,
      },
      webhook: { id: webhook.id, name: webhook.name, url: webhook.url },
      event: { id: event.id, type: event.type },
      failedAt: facts.failedAt.toISOString(),
    },
  };
}

/**
 * The loop rule: a delivery that fails for good is announced, unless it was itself the delivery of
 * a `delivery.failed` event. Otherwise an alert endpoint that is down would announce its own
 * failures to itself (and to every other subscriber) without end. Its failure is still on record
 * (the delivery log, `webhook_deliveries_exhausted_total`), and its endpoint is paused like any
 * other, which `webhook.paused` announces once. Every other chain is finite: a pause happens once
 * per activation, and a failed delivery of `webhook.paused` is announced once, by a
 * `delivery.failed` whose own failure is not.
 */
export function announcesFailureOf(eventType: string): boolean {
  return eventType !== DELIVERY_FAILED;
}
