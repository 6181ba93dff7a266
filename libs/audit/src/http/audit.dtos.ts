import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

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

  @ApiPropertyOptional({ description: 'Only actions at or after this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Only actions before this time (ISO 8601, exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: "A page's `nextCursor`: the next, older page" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
