import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readFileSync } from 'node:fs';
import type { KafkaSaslSettings, KafkaTlsSettings } from './app-config';
import { ConfigurationError } from './configuration.error';
import { EnvironmentVariables } from './environment.variables';

type KafkaVariables = Pick<
  EnvironmentVariables,
  | 'KAFKA_SSL'
  | 'KAFKA_SSL_CA_FILE'
  | 'KAFKA_SSL_CERT_FILE'
  | 'KAFKA_SSL_KEY_FILE'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
>;

/**
 * Settings that are only valid together, as one problem per missing partner. Never echoes a value:
 * KAFKA_SASL_PASSWORD is a secret, and the rest is named only.
 */
export function kafkaSecurityProblems(vars: KafkaVariables): string[] {
  const problems: string[] = [];
  const files = (
    ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const
  ).filter((name) => vars[name] !== undefined);
  // A CA file but no KAFKA_SSL would otherwise connect in plain text, silently.
  if (files.length > 0 && vars.KAFKA_SSL !== true) {
    problems.push(`${files.join(', ')}: only used with KAFKA_SSL=true, which is not set`);
  }
  if ((vars.KAFKA_SSL_CERT_FILE === undefined) !== (vars.KAFKA_SSL_KEY_FILE === undefined)) {
    problems.push(
      'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE: a client certificate needs both (got only one)',
    );
  }
  const credentials = (['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const).filter(
    (name) => vars[name] !== undefined,
  );
  if (vars.KAFKA_SASL_MECHANISM !== undefined && credentials.length < 2) {
    const missing = ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'].filter(
      (name) => !credentials.includes(name as (typeof credentials)[number]),
    );
    problems.push(
      `${missing.join(' and ')}: required with KAFKA_SASL_MECHANISM=${vars.KAFKA_SASL_MECHANISM}`,
    );
  }
  if (vars.KAFKA_SASL_MECHANISM === undefined && credentials.length > 0) {
    problems.push(
      `KAFKA_SASL_MECHANISM: required with ${credentials.join(' and ')} (scram-sha-512, scram-sha-256 or plain)`,
    );
  }
  return problems;
}

/**
 * The TLS and SASL settings of the Kafka client. The PEM files are read once, here, at start-up: a
 * missing or unreadable file stops the app with the variable named, rather than failing every
 * connection later. The SASL password is kept out of JSON and util.inspect (non-enumerable).
 */
export function loadKafkaSecurity(vars: KafkaVariables): {
  kafkaSsl?: KafkaTlsSettings;
  kafkaSasl?: KafkaSaslSettings;
} {
  const kafkaSsl: KafkaTlsSettings | undefined =
    vars.KAFKA_SSL === true
      ? {
          caPem: readPem('KAFKA_SSL_CA_FILE', vars.KAFKA_SSL_CA_FILE, 'certificate'),
          certPem: readPem('KAFKA_SSL_CERT_FILE', vars.KAFKA_SSL_CERT_FILE, 'certificate'),
          keyPem: readPem('KAFKA_SSL_KEY_FILE', vars.KAFKA_SSL_KEY_FILE, 'unencrypted private key'),
        }
      : undefined;
  if (vars.KAFKA_SASL_MECHANISM === undefined) return { kafkaSsl };
  const kafkaSasl = {
    mechanism: vars.KAFKA_SASL_MECHANISM as KafkaSaslSettings['mechanism'],
    username: vars.KAFKA_SASL_USERNAME ?? '',
  } as KafkaSaslSettings;
  Object.defineProperty(kafkaSasl, 'password', {
    value: vars.KAFKA_SASL_PASSWORD ?? '',
    enumerable: false,
  });
  return { kafkaSsl, kafkaSasl };
}

const PEM_MARKERS = {
  certificate: /-----BEGIN CERTIFICATE-----/,
  // Not an encrypted one: there is no setting for its passphrase.
  'unencrypted private key': /-----BEGIN (RSA |EC )?PRIVATE KEY-----/,
};

function readPem(
  variable: string,
  path: string | undefined,
  kind: keyof typeof PEM_MARKERS,
): string | undefined {
  if (path === undefined) return undefined;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigurationError([`${variable}: cannot read ${path} (${code})`]);
  }
  // The content itself is never shown: a key file holds a secret.
  if (!PEM_MARKERS[kind].test(pem)) {
    throw new ConfigurationError([`${variable}: ${path} holds no PEM ${kind}`]);
  }
  return pem;
}

const KAFKA_SECURITY_VARIABLE = /^KAFKA_(SSL|SASL)(_|$)/;

/**
 * KAFKA_SSL* and KAFKA_SASL_* alone, checked and read as loadConfig does, for what builds a kafkajs
 * client of its own beside the apps (benchmarks, test rigs) and must reach the same brokers as they
 * do. The other variables are left to the apps. Throws ConfigurationError; never echoes a value.
 */
export function kafkaSecurityFromEnvironment(env: NodeJS.ProcessEnv = process.env): {
  kafkaSsl?: KafkaTlsSettings;
  kafkaSasl?: KafkaSaslSettings;
} {
  const raw = Object.fromEntries(
    Object.entries(env).filter(
      ([name, value]) => KAFKA_SECURITY_VARIABLE.test(name) && value !== undefined && value !== '',
    ),
  );
  const vars = plainToInstance(EnvironmentVariables, raw);
  const problems = [
    ...validateSync(vars, { forbidUnknownValues: false })
      .filter((error) => KAFKA_SECURITY_VARIABLE.test(error.property))
      .flatMap((error) =>
        Object.values(error.constraints ?? {}).map((message) =>
          message.startsWith(error.property) ? message : `${error.property}: ${message}`,
        ),
      ),
    ...kafkaSecurityProblems(vars),
  ];
  if (problems.length > 0) throw new ConfigurationError(problems);
  return loadKafkaSecurity(vars);
}
