import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
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

export class CreateWebhookDto {
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

export class UpdateWebhookDto {
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

  @ApiPropertyOptional({ enum: ['active', 'inactive'] })
  @IsOptional()
  @IsIn(['active', 'inactive'])
  status?: 'active' | 'inactive';

  @ApiPropertyOptional({ enum: EVENT_TYPES }) @IsOptional() @IsIn(EVENT_TYPES) eventType?: string;

  @ApiPropertyOptional({ enum: ['name', 'updatedAt'], default: 'name' })
  @IsOptional()
  @IsIn(['name', 'updatedAt'])
  sort?: 'name' | 'updatedAt';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) cursor?: string;
}

export class GetWebhookQueryDto {
  @ApiPropertyOptional({ description: 'The webhook as it was at this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ description: 'Entries after this stream version', default: 0 })
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
