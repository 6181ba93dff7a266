import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { AppConfig } from '@app/config';
import { describeKafkaConnection, kafkaClientConfig } from './kafka-client-config';

export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');

/**
 * The kafkajs client and an admin client (for health and topic set-up). The admin connects on first
 * use, not at start-up: an app whose broker is down still starts and reports it in /health. TLS and
 * SASL as configured (kafkaClientConfig); the start-up log says which, never the password.
 */
@Global()
@Module({
  providers: [
    {
      provide: Kafka,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('Kafka');
        logger.log(describeKafkaConnection(config));
        if (config.kafkaSasl?.mechanism === 'plain' && !config.kafkaSsl) {
          logger.warn(
            'KAFKA_SASL_MECHANISM=plain without KAFKA_SSL=true sends the password in clear',
          );
        }
        return new Kafka(kafkaClientConfig(config));
      },
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
