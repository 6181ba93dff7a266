import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { OptionalInstant, PageCursor, PageLimit } from '@app/platform';

/** `type=a&type=b` and `type=a,b` alike: a list of trimmed, non-empty names. */
function toTypeList({ value }: { value: unknown }): unknown {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  return values
    .flatMap((entry) => String(entry).split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

export class ListAuditQueryDto {
  @ApiPropertyOptional({ description: 'Only actions by this actor, e.g. `user:alice`' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({
    description:
      'Only these event types (e.g. `SecretRevealed`): repeat the parameter or give a comma-separated list',
    type: [String],
  })
  @IsOptional()
  @Transform(toTypeList)
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[A-Za-z][A-Za-z0-9.]{0,99}$/, { each: true })
  type?: string[];

  @ApiPropertyOptional({ description: 'Only actions about this webhook (its events and activity)' })
  @IsOptional()
  @IsUUID()
  webhookId?: string;

  @OptionalInstant('Only actions at or after this time (ISO 8601)')
  from?: string;

  @OptionalInstant('Only actions before this time (ISO 8601, exclusive)')
  to?: string;

  @PageLimit(100, 50)
  limit?: number;

  @PageCursor("A page's `nextCursor`: the next, older page", 200)
  cursor?: string;
}
