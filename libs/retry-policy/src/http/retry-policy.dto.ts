import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsNumber } from 'class-validator';
import { DEFAULT_RETRY_POLICY, RETRY_POLICY_LIMITS } from '../domain/retry-policy';

// The DTO checks shapes and types; the domain (validateRetryPolicy) checks the values, so the limits
// live in one place and every bad value is reported with its field at once.

const { maxIntervals, maxIntervalSeconds } = RETRY_POLICY_LIMITS;

export class SetRetryPolicyDto {
  @ApiProperty({
    description: `The waits, in whole seconds (1 to ${maxIntervalSeconds}), before each retry after the first, immediate attempt; at most ${maxIntervals}; empty for no retries`,
    type: [Number],
    example: DEFAULT_RETRY_POLICY.retryIntervalsSeconds,
  })
  @IsArray()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  retryIntervalsSeconds: number[];

  @ApiProperty({
    description:
      'Each wait is drawn uniformly from (1 - jitter) to (1 + jitter) times its interval',
    minimum: 0,
    maximum: 1,
    example: DEFAULT_RETRY_POLICY.jitter,
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  jitter: number;
}
