import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { OptionalInstant, PageCursor, PageLimit } from '@app/platform';
import { ENVIRONMENTS, EVENT_TYPES } from '@app/webhooks';
import {
  DELIVERY_STATUSES,
  TEST_EVENT_TYPE,
  type DeliveryStatus,
} from '../../storage/delivery.documents';
import { STATUS_CLASSES, type StatusClass } from '../../storage/status-class';

const STATUS_CLASS_DESCRIPTION =
  "The latest attempt's answer: `2xx`…`5xx` by HTTP status, `none` when no HTTP answer came " +
  '(network error, timeout, refused connection). A delivery not attempted yet has none.';

const CREATED_FROM = 'Created at or after this time (ISO 8601)';
const CREATED_TO = 'Created before this time (ISO 8601)';

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

  @ApiPropertyOptional({ enum: ENVIRONMENTS, description: "The webhook's environment" })
  @IsOptional()
  @IsIn(ENVIRONMENTS)
  environment?: string;

  @ApiPropertyOptional({ enum: STATUS_CLASSES, description: STATUS_CLASS_DESCRIPTION })
  @IsOptional()
  @IsIn(STATUS_CLASSES)
  statusClass?: StatusClass;

  @OptionalInstant(CREATED_FROM)
  from?: string;

  @OptionalInstant(CREATED_TO)
  to?: string;

  @PageLimit(100, 20)
  limit?: number;

  @PageCursor('The nextCursor of the previous page')
  cursor?: string;
}

export class RecoverDeliveriesDto {
  @ApiProperty({
    description: 'Re-send the failed deliveries created at or after this time (ISO 8601)',
    example: '2026-01-01T00:00:00Z',
  })
  @IsISO8601({ strict: true })
  since: string;

  @ApiPropertyOptional({
    description: 'Only count what would be re-sent (200); nothing is sent or recorded.',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

/** Which failed deliveries a bulk retry re-sends: those matching every field given. */
export class FailedDeliveriesFilterDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  webhookId?: string;

  @ApiPropertyOptional({ enum: DELIVERY_EVENT_TYPES })
  @IsOptional()
  @IsIn(DELIVERY_EVENT_TYPES)
  eventType?: string;

  @ApiPropertyOptional({ enum: ENVIRONMENTS })
  @IsOptional()
  @IsIn(ENVIRONMENTS)
  environment?: string;

  @ApiPropertyOptional({ description: "The platform event's id" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  eventId?: string;

  @OptionalInstant(CREATED_FROM)
  from?: string;

  @OptionalInstant(CREATED_TO)
  to?: string;

  @ApiPropertyOptional({ enum: STATUS_CLASSES, description: STATUS_CLASS_DESCRIPTION })
  @IsOptional()
  @IsIn(STATUS_CLASSES)
  statusClass?: StatusClass;
}

export class RetryFailedDeliveriesDto {
  @ApiProperty({ type: () => FailedDeliveriesFilterDto, description: '`{}` for every failed one' })
  @IsDefined()
  @ValidateNested()
  @Type(() => FailedDeliveriesFilterDto)
  filter: FailedDeliveriesFilterDto;

  @ApiPropertyOptional({
    description: 'Only count the matching failed deliveries (200, up to 10,000); nothing is sent.',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100, description: 'Re-sends per call' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @PageCursor('The nextCursor of the previous call')
  cursor?: string;
}
