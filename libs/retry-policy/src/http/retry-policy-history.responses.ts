import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RetryIntervalsChange {
  @ApiProperty({ type: 'integer', isArray: true })
  from: number[];

  @ApiProperty({ type: 'integer', isArray: true })
  to: number[];
}

export class JitterChange {
  @ApiProperty()
  from: number;

  @ApiProperty()
  to: number;
}

/** Only the fields the change changed. */
export class RetryPolicyChangesResponse {
  @ApiPropertyOptional({ type: () => RetryIntervalsChange })
  retryIntervalsSeconds?: RetryIntervalsChange;

  @ApiPropertyOptional({ type: () => JitterChange })
  jitter?: JitterChange;
}

export class RetryPolicyHistoryEntryResponse {
  @ApiProperty({ example: 'RetryPolicySet' })
  type: string;

  @ApiProperty({ type: 'integer', description: "The setting's version after this change" })
  version: number;

  @ApiProperty({ type: 'integer', description: 'The place in the global log' })
  position: number;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ example: 'user:alice' })
  actor: string;

  @ApiProperty()
  correlationId: string;

  @ApiProperty({
    type: () => RetryPolicyChangesResponse,
    description: 'From what to what; the policy before the first change is the default',
  })
  changes: RetryPolicyChangesResponse;
}

export class RetryPolicyHistoryPageResponse {
  @ApiProperty({ type: () => [RetryPolicyHistoryEntryResponse] })
  items: RetryPolicyHistoryEntryResponse[];

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "Pass as `after`: the last entry's version; null at the end.",
  })
  nextAfter: number | null;
}
