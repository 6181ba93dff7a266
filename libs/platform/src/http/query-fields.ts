import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/*
 * The query fields every list has, one decorator each (validation and OpenAPI together), so that
 * the lists page and filter by time alike and a change to one reaches all of them.
 */

/** An optional instant in ISO 8601 with a date and a time, e.g. a time range's `from` or `to`. */
export function OptionalInstant(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description }),
    IsOptional(),
    IsISO8601({ strict: true }),
  );
}

/** A query's page size, 1 to `maximum`; the handler applies `defaultLimit` when it is absent. */
export function PageLimit(maximum: number, defaultLimit: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum, default: defaultLimit }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(maximum),
  );
}

/** The previous page's `nextCursor`, opaque to the caller. */
export function PageCursor(description: string, maxLength = 1000): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description }),
    IsOptional(),
    IsString(),
    MaxLength(maxLength),
  );
}
