import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { EventStoreModule } from '@app/event-store';
import { DatabaseModule, HealthModule, KafkaModule } from '@app/platform';

@Module({
  imports: [ConfigModule, DatabaseModule, KafkaModule, EventStoreModule.forRoot(), HealthModule],
})
export class ApiModule {}
