import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** What retention did, on the worker's `/metrics`: records pruned, by collection. */
@Injectable()
export class RetentionMetrics {
  readonly pruned: Counter<'collection'>;

  constructor(registry: Registry) {
    this.pruned = new Counter({
      name: 'webhook_delivery_records_pruned_total',
      help: 'Records deleted by retention (DELIVERY_RETENTION_DAYS), by collection',
      labelNames: ['collection'],
      registers: [registry],
    });
  }
}
