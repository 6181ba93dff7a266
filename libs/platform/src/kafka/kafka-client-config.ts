import { logLevel } from 'kafkajs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { AppConfig } from '@app/config';
import { nestKafkaLogCreator } from './kafka-logger';

type KafkaSettings = Pick<AppConfig, 'kafkaClientId' | 'kafkaBrokers' | 'kafkaSsl' | 'kafkaSasl'>;

/**
 * The kafkajs client options of the apps: brokers, and TLS and SASL as configured (KAFKA_SSL*,
 * KAFKA_SASL_*), through kafkajs' own `ssl` (Node's tls.connect options: the CA replaces Node's
 * roots, the broker's name or IP is verified) and `sasl` options. The result holds the SASL
 * password: hand it to kafkajs only, never to a logger.
 */
export function kafkaClientConfig(config: KafkaSettings): KafkaConfig {
  const options: KafkaConfig = {
    clientId: config.kafkaClientId,
    brokers: config.kafkaBrokers,
    logLevel: logLevel.WARN,
    logCreator: nestKafkaLogCreator,
    retry: { retries: 5, initialRetryTime: 200 },
  };
  const tls = config.kafkaSsl;
  if (tls) {
    const { caPem, certPem, keyPem } = tls;
    const files = {
      ...(caPem !== undefined ? { ca: [caPem] } : {}),
      ...(certPem !== undefined ? { cert: certPem } : {}),
      ...(keyPem !== undefined ? { key: keyPem } : {}),
    };
    options.ssl = Object.keys(files).length > 0 ? files : true;
  }
  const sasl = config.kafkaSasl;
  if (sasl) {
    // A fresh object: kafkajs keeps its authenticator on it.
    options.sasl = {
      mechanism: sasl.mechanism,
      username: sasl.username,
      password: sasl.password,
    } as SASLOptions;
  }
  return options;
}

/** One line for the start-up log: brokers, TLS and SASL as configured; never the password. */
export function describeKafkaConnection(config: KafkaSettings): string {
  const tls = config.kafkaSsl;
  const transport = tls
    ? `TLS (${[
        tls.caPem !== undefined ? 'CA from KAFKA_SSL_CA_FILE' : "Node's root CAs",
        ...(tls.certPem !== undefined ? ['client certificate'] : []),
      ].join(', ')})`
    : 'plain TCP';
  const auth = config.kafkaSasl
    ? `SASL ${config.kafkaSasl.mechanism} as ${config.kafkaSasl.username}`
    : 'no SASL';
  return `Kafka ${config.kafkaBrokers.join(',')} over ${transport}, ${auth}`;
}
