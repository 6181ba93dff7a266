import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** What retention did, on the worker's `/metrics`: deliveries, attempts and events pruned. */
@Injectable()
export class RetentionMetrics {
  readonly pruned: Counter;

  constructor(registry: Registry) {
    this.pruned = new Counter({
      name: 'webhook_delivery_records_pruned_total',
      help: 'Deliveries, attempts and platform events deleted by retention (DELIVERY_RETENTION_DAYS)',
      registers: [registry],
    });
  }
}
