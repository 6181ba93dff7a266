import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { AppConfig } from '@app/config';

export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');

/** The kafkajs client and a connected admin client (for health and topic set-up). */
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
          retry: { retries: 5, initialRetryTime: 200 },
        }),
    },
    {
      provide: KAFKA_ADMIN,
      inject: [Kafka],
      useFactory: async (kafka: Kafka): Promise<Admin> => {
        const admin = kafka.admin();
        await admin.connect();
        return admin;
      },
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
