import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { EVENT_TYPES } from '@app/webhooks';
import {
  DELIVERY_STATUSES,
  TEST_EVENT_TYPE,
  type DeliveryStatus,
} from '../../storage/delivery.documents';

/** Every type a delivery can carry: the catalogue's, and the test event's. */
const DELIVERY_EVENT_TYPES: readonly string[] = [...EVENT_TYPES, TEST_EVENT_TYPE];

export class ListDeliveriesQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  webhookId?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ enum: DELIVERY_EVENT_TYPES })
  @IsOptional()
  @IsIn(DELIVERY_EVENT_TYPES)
  eventType?: string;

  @ApiPropertyOptional({ description: "The platform event's id: its deliveries to every webhook" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  eventId?: string;

  @ApiPropertyOptional({ description: 'Created at or after this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Created before this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

export class RecoverDeliveriesDto {
  @ApiProperty({
    description: 'Re-send the failed deliveries created at or after this time (ISO 8601)',
    example: '2026-01-01T00:00:00Z',
  })
  @IsISO8601({ strict: true })
  since: string;
}
