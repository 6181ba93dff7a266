import { Global, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Kafka } from 'kafkajs';
import { AppConfig, type KafkaSaslSettings } from '@app/config';
import { KafkaModule } from './kafka.module';

const PASSWORD = 'module-spec-password-0123456789';

async function startKafkaModule(settings: Partial<AppConfig>) {
  @Global()
  @Module({
    providers: [
      {
        provide: AppConfig,
        useValue: Object.assign(new AppConfig(), {
          kafkaClientId: 'lmp-webhooks',
          kafkaBrokers: ['kafka-1.internal:9094'],
          ...settings,
        }),
      },
    ],
    exports: [AppConfig],
  })
  class TestConfigModule {}

  const logged: string[] = [];
  const spies = (['log', 'warn', 'error'] as const).map((level) =>
    jest
      .spyOn(Logger.prototype, level)
      .mockImplementation((...args: unknown[]) => void logged.push(`${level}: ${args.join(' ')}`)),
  );
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [TestConfigModule, KafkaModule],
    }).compile();
    return { kafka: moduleRef.get(Kafka), logged };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

function sasl(mechanism: KafkaSaslSettings['mechanism']): KafkaSaslSettings {
  const value = { mechanism, username: 'lmp-webhooks' } as KafkaSaslSettings;
  Object.defineProperty(value, 'password', { value: PASSWORD, enumerable: false });
  return value;
}

describe('KafkaModule', () => {
  it('given TLS and SCRAM settings, when the module starts, then it logs how it connects and as whom, never the password', async () => {
    const { kafka, logged } = await startKafkaModule({
      kafkaSsl: { caPem: 'CA' },
      kafkaSasl: sasl('scram-sha-512'),
    });

    expect(kafka).toBeInstanceOf(Kafka);
    expect(logged.filter((line) => line.includes('Kafka '))).toEqual([
      'log: Kafka kafka-1.internal:9094 over TLS (CA from KAFKA_SSL_CA_FILE), SASL scram-sha-512 as lmp-webhooks',
    ]);
    expect(logged.join('\n')).not.toContain(PASSWORD);
  });

  it('given PLAIN without TLS, when the module starts, then it warns that the password goes in clear (without it)', async () => {
    const { logged } = await startKafkaModule({ kafkaSasl: sasl('plain') });

    expect(logged).toContain(
      'warn: KAFKA_SASL_MECHANISM=plain without KAFKA_SSL=true sends the password in clear',
    );
    expect(logged.join('\n')).not.toContain(PASSWORD);
  });
});
