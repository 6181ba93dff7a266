import {
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { ENVIRONMENTS, EVENT_ID_MAX_LENGTH, EVENT_TYPES } from './platform-event';

/** The envelope rules, checked with class-validator; messages name the field. */
export class PlatformEventEnvelope {
  @IsString({ message: 'id must be a string' })
  @IsNotEmpty({ message: 'id must not be empty' })
  @MaxLength(EVENT_ID_MAX_LENGTH, {
    message: `id must be at most ${EVENT_ID_MAX_LENGTH} characters`,
  })
  // Printable ASCII only: the id is sent as the webhook-id header and signed.
  @Matches(/^[\x21-\x7e]+$/, { message: 'id must be printable ASCII without spaces' })
  id: string;

  @IsIn(EVENT_TYPES, {
    message: ({ value }) => `type ${JSON.stringify(value)} is not in the catalogue`,
  })
  type: string;

  @IsIn(ENVIRONMENTS, {
    message: ({ value }) =>
      `environment ${JSON.stringify(value)} must be one of ${ENVIRONMENTS.join(', ')}`,
  })
  environment: string;

  @IsISO8601({ strict: true }, { message: 'occurredAt must be an ISO-8601 time' })
  occurredAt: string;

  @IsObject({ message: 'data must be a JSON object' })
  data: Record<string, unknown>;
}
