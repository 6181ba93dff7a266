import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { PlatformEvent } from './platform-event';
import { PlatformEventEnvelope } from './platform-event.envelope';

export type ParsedMessage = { ok: true; event: PlatformEvent } | { ok: false; reason: string };

/**
 * Reads one Kafka message value as a platform event, or says in words why it is not one (the
 * reason travels with the message to the dead-letter topic). Never throws.
 */
export function parsePlatformEvent(value: Buffer | null): ParsedMessage {
  if (value === null || value.length === 0) return { ok: false, reason: 'empty message value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: 'value is not a JSON object' };
  }
  const envelope = plainToInstance(PlatformEventEnvelope, json);
  const errors = validateSync(envelope, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    return { ok: false, reason: `invalid envelope: ${problems.join('; ')}` };
  }
  const { id, type, environment, occurredAt, data } = json as PlatformEvent;
  // Passed on as received: only the five envelope fields, `data` untouched.
  return { ok: true, event: { id, type, environment, occurredAt, data } };
}
