import { Injectable, type PipeTransform } from '@nestjs/common';
import { RequestValidationError } from '@app/platform';

/**
 * Delivery ids are `dlv_` + base64url (see deliveryIdOf). Anything else is refused before it costs
 * a lookup, which FerretDB answers by scanning the collection.
 */
const DELIVERY_ID = /^dlv_[A-Za-z0-9_-]{1,64}$/;

@Injectable()
export class ParseDeliveryIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!DELIVERY_ID.test(value)) {
      throw new RequestValidationError([
        { field: 'id', message: 'id must be a delivery id (dlv_ followed by base64url)' },
      ]);
    }
    return value;
  }
}
