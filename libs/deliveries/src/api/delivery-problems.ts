import { ProblemDetailsFilter } from '@app/platform';
import {
  DeliveryNotFoundError,
  DeliveryRetryContentionError,
  InvalidDeliveryCursorError,
} from './delivery-api.errors';

/** How the deliveries API's failures read as RFC 9457 problems. */
export function registerDeliveryProblems(): () => void {
  const unregister = [
    ProblemDetailsFilter.register(DeliveryNotFoundError, (error) => ({
      status: 404,
      type: 'delivery-not-found',
      title: 'Delivery not found',
      detail: `There is no delivery ${error.deliveryId}.`,
    })),
    ProblemDetailsFilter.register(InvalidDeliveryCursorError, (error) => ({
      status: 400,
      type: 'invalid-cursor',
      title: 'Invalid cursor',
      detail: error.message,
    })),
    ProblemDetailsFilter.register(DeliveryRetryContentionError, () => ({
      status: 503,
      type: 'write-contention',
      title: 'The delivery kept changing',
      detail: 'The delivery was being finished by a worker at the same time; try again.',
      headers: { 'Retry-After': '1' },
    })),
  ];
  return () => unregister.forEach((remove) => remove());
}
