import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../event.types';

/** A minimal valid event for store tests. */
export function testEvent(type = 'TestHappened', data: unknown = {}, schemaVersion = 1): NewEvent {
  const id = randomUUID();
  return {
    id,
    type,
    data,
    schemaVersion,
    metadata: { actor: 'user:test', correlationId: `corr-${id}`, causationId: `cmd-${id}` },
  };
}
