import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from './configuration.error';
import { kafkaSecurityFromEnvironment } from './kafka-security';

describe('kafkaSecurityFromEnvironment (the apps’ Kafka TLS and SASL settings, for tools and test rigs)', () => {
  const PASSWORD = 'rig-password-never-shown-42';
  let dir: string;

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kafka-security-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given no Kafka security settings, when read, then there is neither TLS nor SASL', () => {
    expect(kafkaSecurityFromEnvironment({ PORT: 'abc', KAFKA_SSL: '' })).toEqual({
      kafkaSsl: undefined,
    });
  });

  it('given TLS and SCRAM as the apps get them, when read, then they are what loadConfig makes of them', () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');

    const security = kafkaSecurityFromEnvironment({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: ca,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'webhooks',
      KAFKA_SASL_PASSWORD: PASSWORD,
      // Other settings are the apps' business, not checked here.
      MONGODB_URI: 'not a uri',
    });

    expect(security.kafkaSsl?.caPem).toContain('BEGIN CERTIFICATE');
    expect(security.kafkaSasl).toMatchObject({ mechanism: 'scram-sha-512', username: 'webhooks' });
    expect(security.kafkaSasl?.password).toBe(PASSWORD);
    expect(JSON.stringify(security)).not.toContain(PASSWORD);
  });

  it('given a bad mechanism or a mechanism without credentials, when read, then a ConfigurationError names the variables and never the password', () => {
    const bad = () =>
      kafkaSecurityFromEnvironment({
        KAFKA_SASL_MECHANISM: 'gssapi',
        KAFKA_SASL_PASSWORD: PASSWORD,
      });

    expect(bad).toThrow(ConfigurationError);
    expect(bad).toThrow(/KAFKA_SASL_MECHANISM must be scram-sha-512, scram-sha-256 or plain/);
    expect(bad).toThrow(/KAFKA_SASL_USERNAME: required with KAFKA_SASL_MECHANISM/);
    expect(bad).not.toThrow(new RegExp(PASSWORD));
  });
});
