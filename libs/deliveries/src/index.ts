export * from './storage/delivery.documents';
export * from './storage/queue-layout';
export * from './domain/delivery-id';
export { nextRetryDelayMs, type RetryDelayOptions } from './domain/retry-schedule';
export { DeliveriesApiModule } from './api/deliveries-api.module';
export {
  DeliveryNotFoundError,
  DeliveryRetryContentionError,
  InvalidDeliveryCursorError,
} from './api/delivery-api.errors';
export type {
  DeliveryAttemptView,
  DeliveryDetail,
  DeliveryListItem,
} from './api/application/delivery.view';
export type { DeliveryPage } from './api/application/delivery-reader';
export type { DeliveryListFilter } from './api/application/delivery-list.filter';
export { ListDeliveriesQuery } from './api/queries/list-deliveries/list-deliveries.query';
export { GetDeliveryQuery } from './api/queries/get-delivery/get-delivery.query';
export { RetryDeliveryCommand } from './api/commands/retry-delivery/retry-delivery.command';
export { RecoverDeliveriesCommand } from './api/commands/recover-deliveries/recover-deliveries.command';
export {
  MAX_RECOVERED_PER_CALL,
  type RecoveryResult,
} from './api/commands/recover-deliveries/recover-deliveries.handler';
export { SendTestEventCommand } from './api/commands/send-test-event/send-test-event.command';
export { AddressPolicy } from './sending/address-policy';
export { HttpSender, type SendRequest, type SendResult } from './sending/http-sender';
export { signWebhook } from './signing/webhook-signature';
export { ATTEMPT_SENDER, type AttemptSender } from './engine/attempt-sender';
export { EndpointHealth, DELIVERY_WORKER_ACTOR } from './engine/endpoint-health';
export { AttemptRunner } from './engine/attempt-runner';
export { AttemptConsequences } from './engine/attempt-consequences';
export {
  announcesFailureOf,
  deliveryFailedEvent,
  failedEventId,
  pausedEventId,
  webhookPausedEvent,
  DELIVERY_FAILED,
  WEBHOOK_PAUSED,
} from './domain/operational-events';
export { SigningSecrets } from './engine/signing-secrets';
export { DeliveryEngine } from './engine/delivery-engine';
export { DeliveryIntake } from './engine/delivery-intake';
export { DeliveryMetrics } from './engine/delivery-metrics';
export { DeliveryReadiness } from './engine/delivery-readiness';
export { ensureDeliveryIndexes } from './storage/delivery-indexes';
export { timeSlotsOf, type TimeSlots } from './storage/time-slots';
export { storedDelivery, deliveryOf, type StoredDelivery } from './storage/stored-delivery';
export { storedAttempt, attemptOf, type StoredAttempt } from './storage/stored-attempt';
export { DeliveryPruner } from './retention/delivery-pruner';
export { RetentionMetrics } from './retention/retention-metrics';
export { DELIVERY_SLOTS_COLLECTION, entriesFor, type SlotEntry } from './storage/slot-directory';
export { ALL_EVENTS, scopesOf } from './storage/delivery-scopes';
export { STATUS_CLASSES, statusClassOf, type StatusClass } from './storage/status-class';
export {
  DELIVERY_ACTIVITY_EVENT_SCHEMA_VERSIONS,
  DELIVERY_ACTIVITY_EVENT_TYPES,
  type DeliveryActivityEvent,
  type DeliveryActivityEventType,
} from './domain/delivery-activity.events';
