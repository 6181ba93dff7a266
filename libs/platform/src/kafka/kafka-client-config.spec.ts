import { inspect } from 'node:util';
import { logLevel } from 'kafkajs';
import type { AppConfig, KafkaSaslSettings } from '@app/config';
import { describeKafkaConnection, kafkaClientConfig } from './kafka-client-config';

const PASSWORD = 'the-sasl-password-0123456789';

type KafkaSettings = Pick<AppConfig, 'kafkaClientId' | 'kafkaBrokers' | 'kafkaSsl' | 'kafkaSasl'>;

function settings(overrides: Partial<KafkaSettings> = {}): KafkaSettings {
  return { kafkaClientId: 'lmp-webhooks', kafkaBrokers: ['k1:9094', 'k2:9094'], ...overrides };
}

/** As loadConfig builds it: the password is not enumerable. */
function sasl(mechanism: KafkaSaslSettings['mechanism'], username = 'webhooks'): KafkaSaslSettings {
  const value = { mechanism, username } as KafkaSaslSettings;
  Object.defineProperty(value, 'password', { value: PASSWORD, enumerable: false });
  return value;
}

describe('kafkaClientConfig', () => {
  it('given no TLS or SASL settings, when built, then the kafkajs client connects in plain TCP without SASL', () => {
    const options = kafkaClientConfig(settings());

    expect(options).toMatchObject({
      clientId: 'lmp-webhooks',
      brokers: ['k1:9094', 'k2:9094'],
      logLevel: logLevel.WARN,
      retry: { retries: 5, initialRetryTime: 200 },
    });
    expect(options.ssl).toBeUndefined();
    expect(options.sasl).toBeUndefined();
    expect('ssl' in options || 'sasl' in options).toBe(false);
  });

  it("given TLS without files, when built, then ssl is true: Node's root CAs, server name checked", () => {
    expect(kafkaClientConfig(settings({ kafkaSsl: {} })).ssl).toBe(true);
  });

  it('given TLS with a CA and a client certificate, when built, then kafkajs gets them as tls options', () => {
    const options = kafkaClientConfig(
      settings({ kafkaSsl: { caPem: 'CA PEM', certPem: 'CERT PEM', keyPem: 'KEY PEM' } }),
    );

    expect(options.ssl).toEqual({ ca: ['CA PEM'], cert: 'CERT PEM', key: 'KEY PEM' });
  });

  it('given a CA only, when built, then no client certificate is sent and verification stays on', () => {
    const options = kafkaClientConfig(settings({ kafkaSsl: { caPem: 'CA PEM' } }));

    expect(options.ssl).toEqual({ ca: ['CA PEM'] });
    expect(options.ssl).not.toHaveProperty('rejectUnauthorized');
  });

  it.each(['scram-sha-512', 'scram-sha-256', 'plain'] as const)(
    'given SASL %s, when built, then kafkajs gets the mechanism, username and password',
    (mechanism) => {
      const options = kafkaClientConfig(
        settings({ kafkaSsl: { caPem: 'CA PEM' }, kafkaSasl: sasl(mechanism) }),
      );

      expect(options.sasl).toEqual({ mechanism, username: 'webhooks', password: PASSWORD });
    },
  );
});

describe('describeKafkaConnection', () => {
  it('given TLS and SASL, when described for the start-up log, then it says how, as whom, and never the password', () => {
    const config = settings({ kafkaSsl: { caPem: 'CA PEM' }, kafkaSasl: sasl('scram-sha-512') });

    const line = describeKafkaConnection(config);

    expect(line).toBe(
      'Kafka k1:9094,k2:9094 over TLS (CA from KAFKA_SSL_CA_FILE), SASL scram-sha-512 as webhooks',
    );
    expect(line).not.toContain(PASSWORD);
    expect(inspect(kafkaClientConfig(config).sasl)).toContain(PASSWORD); // kafkajs needs it...
    expect(inspect(config)).not.toContain(PASSWORD); // ...the settings never show it
  });

  it('given nothing, when described, then it says plain TCP without authentication', () => {
    expect(describeKafkaConnection(settings({ kafkaBrokers: ['127.0.0.1:9092'] }))).toBe(
      'Kafka 127.0.0.1:9092 over plain TCP, no SASL',
    );
  });

  it('given TLS with a client certificate, when described, then mutual TLS is mentioned', () => {
    expect(
      describeKafkaConnection(settings({ kafkaSsl: { certPem: 'C', keyPem: 'K' } })),
    ).toContain("over TLS (Node's root CAs, client certificate)");
  });
});
