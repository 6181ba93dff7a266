import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { AppConfig } from '@app/config';
import { nestKafkaLogCreator } from './kafka-logger';

export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');

/**
 * The kafkajs client and an admin client (for health and topic set-up). The admin connects on first
 * use, not at start-up: an app whose broker is down still starts and reports it in /health.
 */
@Global()
@Module({
  providers: [
    {
      provide: Kafka,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new Kafka({
          clientId: config.kafkaClientId,
          brokers: config.kafkaBrokers,
          logLevel: logLevel.WARN,
          logCreator: nestKafkaLogCreator,
          retry: { retries: 5, initialRetryTime: 200 },
        }),
    },
    {
      provide: KAFKA_ADMIN,
      inject: [Kafka],
      useFactory: (kafka: Kafka): Admin => kafka.admin(),
    },
  ],
  exports: [Kafka, KAFKA_ADMIN],
})
export class KafkaModule implements OnApplicationShutdown {
  constructor(@Inject(KAFKA_ADMIN) private readonly admin: Admin) {}

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect();
  }
}
