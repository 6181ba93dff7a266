import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { OptionalInstant, PageCursor, PageLimit } from '@app/platform';
import {
  MAX_CUSTOM_HEADERS,
  RATE_LIMIT_MAX_PER_SECOND,
  REFUSED_HEADER_NAMES,
  REFUSED_HEADER_PREFIXES,
} from '../domain/delivery-settings';
import { ENVIRONMENTS, EVENT_TYPES } from '../domain/event-catalogue';
import { SIGNATURE_SCHEMES, type SignatureScheme } from '../secrets/signing-keys';

/** The signing fields of a create and of a rotation: the same on both. */
const SECRET_PROPERTY = {
  description:
    'symmetric: whsec_ + base64 of 24-64 bytes; asymmetric: whsk_ + base64 of a 32-byte ed25519 seed (your own private key, never shown again). Generated when absent',
};
const SIGNATURE_SCHEME_PROPERTY = {
  enum: SIGNATURE_SCHEMES,
  default: 'symmetric',
  description:
    'symmetric: a whsec_ secret signs v1 (HMAC-SHA256); asymmetric: an ed25519 key pair (generated, or your whsk_ as secret) signs v1a (the whpk_ public key is in the webhook, the private key is never shown)',
};

// The DTOs check shapes and types; the domain rules (webhook.rules.ts) check values and normalise.

/** A webhook's own retry policy: the shape of `PUT /settings/retry-policy`, the same rules. */
export class WebhookRetryPolicyDto {
  @ApiProperty({
    type: [Number],
    description:
      'The waits, in whole seconds (1 to 604800), before each retry after the first, immediate attempt; at most 20; empty for no retries',
    example: [10, 60, 600],
  })
  @IsArray()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  retryIntervalsSeconds: number[];

  @ApiProperty({ minimum: 0, maximum: 1, example: 0.1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  jitter: number;
}

const RETRY_POLICY_PROPERTY = {
  type: WebhookRetryPolicyDto,
  nullable: true,
  description:
    "This webhook's own retry policy; null (the default) follows the default policy of GET /settings/retry-policy",
};
const RATE_LIMIT_PROPERTY = {
  type: 'integer',
  nullable: true,
  minimum: 1,
  maximum: RATE_LIMIT_MAX_PER_SECOND,
  description:
    'At most this many requests per second to this webhook, over every worker together (more wait their turn, they do not fail); null for no cap',
} as const;
const HEADERS_PROPERTY = {
  type: 'object',
  additionalProperties: { type: 'string', maxLength: 1000 },
  maxProperties: MAX_CUSTOM_HEADERS,
  example: { authorization: 'Bearer 3f9a…', 'x-team': 'crm' },
  description: `Extra request headers (names: RFC 9110 tokens, stored lower case; values without CR, LF or NUL), sent after the platform's own. Refused: ${REFUSED_HEADER_NAMES.join(', ')}, and ${REFUSED_HEADER_PREFIXES.map((prefix) => `${prefix}*`).join(', ')}. Replaces the whole set; {} for none`,
} as const;

/** The delivery settings a create or an edit may give; absent ones stay as they are. */
class DeliverySettingsDto {
  @ApiPropertyOptional(RETRY_POLICY_PROPERTY)
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => WebhookRetryPolicyDto)
  retryPolicy?: WebhookRetryPolicyDto | null;

  @ApiPropertyOptional(RATE_LIMIT_PROPERTY)
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  rateLimitPerSecond?: number | null;

  @ApiPropertyOptional(HEADERS_PROPERTY)
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;
}

export class CreateWebhookDto extends DeliverySettingsDto {
  @ApiProperty({ example: 'CRM Sync', maxLength: 100 })
  @IsString()
  @MaxLength(1000)
  name: string;

  @ApiProperty({ example: 'https://crm.example.com/hooks/lmp' })
  @IsString()
  @MaxLength(4096)
  url: string;

  @ApiProperty({ enum: ENVIRONMENTS })
  @IsString()
  environment: string;

  @ApiProperty({ enum: EVENT_TYPES, isArray: true, example: ['license.created'] })
  @IsArray()
  @IsString({ each: true })
  eventTypes: string[];

  @ApiPropertyOptional({ nullable: true, maxLength: 500 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional({
    default: true,
    description: 'Status toggle: active webhooks receive events',
  })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional(SECRET_PROPERTY)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  secret?: string;

  @ApiPropertyOptional(SIGNATURE_SCHEME_PROPERTY)
  @IsOptional()
  @IsIn(SIGNATURE_SCHEMES)
  signatureScheme?: SignatureScheme;
}

export class UpdateWebhookDto extends DeliverySettingsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4096) url?: string;
  @ApiPropertyOptional({ enum: ENVIRONMENTS }) @IsOptional() @IsString() environment?: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(5000)
  description?: string | null;
}

export class RotateSecretDto {
  @ApiPropertyOptional(SECRET_PROPERTY)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  secret?: string;

  @ApiPropertyOptional(SIGNATURE_SCHEME_PROPERTY)
  @IsOptional()
  @IsIn(SIGNATURE_SCHEMES)
  signatureScheme?: SignatureScheme;
}

export class ListWebhooksQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of name or URL' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: ENVIRONMENTS })
  @IsOptional()
  @IsIn(ENVIRONMENTS)
  environment?: string;

  @ApiPropertyOptional({
    enum: ['active', 'inactive', 'deleted'],
    description:
      'Without it, the active and inactive webhooks; `deleted` lists the deleted ones (never in the others or in `counts`)',
  })
  @IsOptional()
  @IsIn(['active', 'inactive', 'deleted'])
  status?: 'active' | 'inactive' | 'deleted';

  @ApiPropertyOptional({ enum: EVENT_TYPES }) @IsOptional() @IsIn(EVENT_TYPES) eventType?: string;

  @ApiPropertyOptional({ enum: ['name', 'updatedAt'], default: 'name' })
  @IsOptional()
  @IsIn(['name', 'updatedAt'])
  sort?: 'name' | 'updatedAt';

  @PageLimit(100, 20)
  limit?: number;

  @PageCursor('The nextCursor of the previous page')
  cursor?: string;
}

export class GetWebhookQueryDto {
  @OptionalInstant('The webhook as it was at this time (ISO 8601)')
  asOf?: string;

  @ApiPropertyOptional({
    description:
      "The webhook as it was at this stream version (a history entry's `version`); not with `asOf`",
    minimum: 1,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({
    description:
      "Entries after this global position (a page's `nextAfter`). A value below 1000, which no position has, is a stream version, as before activity entries: the entries after the webhook's own event of that version",
    default: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
