import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@app/config';
import { RequireRole } from '@app/platform';
import { WEBHOOK_USER_AGENT } from '../../../signing/webhook-signature';

/** What a receiver's operator needs to let this service's requests in. */
export class DeliverySettingsResponse {
  @ApiProperty({
    description:
      'DELIVERY_EGRESS_IPS: the IP addresses and CIDRs outgoing requests come from, which ' +
      'receivers should allow; empty when none are configured.',
    type: [String],
    example: ['203.0.113.7', '198.51.100.0/24'],
  })
  egressIps!: string[];

  @ApiProperty({
    description: 'The `User-Agent` header of every outgoing request.',
    example: WEBHOOK_USER_AGENT,
  })
  userAgent!: string;
}

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('delivery-settings')
export class GetDeliverySettingsHttp {
  constructor(private readonly config: AppConfig) {}

  /** The egress addresses and the User-Agent, for the receivers' allow-lists: any signed-in role. */
  @Get()
  @RequireRole('viewer')
  @ApiOkResponse({ type: DeliverySettingsResponse })
  get(): DeliverySettingsResponse {
    return { egressIps: [...this.config.deliveryEgressIps], userAgent: WEBHOOK_USER_AGENT };
  }
}
