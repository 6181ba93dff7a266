import { ApiProperty } from '@nestjs/swagger';

/** The retry policy as the API returns it (RetryPolicyView), for the OpenAPI document. */
export class RetryPolicyResponse {
  @ApiProperty({ type: 'integer', isArray: true, example: [60, 300, 1800, 7200, 21600] })
  retryIntervalsSeconds: number[];

  @ApiProperty({ example: 0.2 })
  jitter: number;

  @ApiProperty({
    type: 'integer',
    description: 'The stream version, also sent as ETag: 0 while the default was never changed.',
  })
  version: number;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  updatedAt: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'user:alice' })
  updatedBy: string | null;
}
