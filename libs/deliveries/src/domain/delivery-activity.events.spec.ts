import {
  DELIVERY_ACTIVITY_EVENT_TYPES,
  toNewDeliveryActivityEvent,
} from './delivery-activity.events';

const metadata = { actor: 'user:ann', correlationId: 'corr-1', causationId: 'request:1' };

describe('delivery activity events', () => {
  it('given a decided request, when stored, then it keeps its type, data and metadata at schema version 1', () => {
    const stored = toNewDeliveryActivityEvent(
      { type: 'DeliveryRetryRequested', data: { webhookId: 'wh', deliveryId: 'dlv_1' } },
      metadata,
    );
    expect(stored).toEqual({
      type: 'DeliveryRetryRequested',
      data: { webhookId: 'wh', deliveryId: 'dlv_1' },
      schemaVersion: 1,
      metadata,
    });
  });

  it('names each persisted type explicitly', () => {
    expect(DELIVERY_ACTIVITY_EVENT_TYPES).toEqual([
      'DeliveryRetryRequested',
      'DeliveriesRecoveryRequested',
      'TestDeliveryRequested',
      'FailedDeliveriesRetryRequested',
    ]);
  });
});
