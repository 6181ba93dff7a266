import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppConfig, DEFAULT_KAFKA_TOPICS } from './app-config';
import { type AuthSettings, loadAuthSettings } from './auth-settings';
import { ConfigurationError } from './configuration.error';
import { parseDnsServers } from './dns-servers';
import { parseEgressIps } from './egress-ips';
import { EnvironmentVariables } from './environment.variables';
import { kafkaSecurityProblems, loadKafkaSecurity } from './kafka-security';
import { localKey } from './local-keys';
import { isLocalMode, missingKeysHint } from './local-mode';
import { SecretsKeyring } from './secrets-keyring';

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export interface LoadConfigOptions {
  /**
   * The caller verifies bearer tokens (the api's runApp): the AUTH_JWT_* settings are resolved now,
   * so a missing token key is named in the same error as a missing SECRETS_ENCRYPTION_KEY.
   * Otherwise they are resolved when `config.auth` is first read (see the end of loadConfig).
   */
  tokens?: boolean;
}

/**
 * Validates the environment and fills in defaults. Throws ConfigurationError naming every bad
 * variable. Never echoes a value of a secret variable. Outside local mode (see isLocalMode) a
 * missing key is an error; in local mode it is generated under LOCAL_STATE_DIR/keys.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): AppConfig {
  const raw = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const vars = plainToInstance(EnvironmentVariables, raw, { excludeExtraneousValues: false });
  const errors = validateSync(vars, { skipMissingProperties: false, forbidUnknownValues: false });
  const problems = [...errors.flatMap(describe), ...kafkaSecurityProblems(vars)];
  if (problems.length > 0) throw new ConfigurationError(problems);
  const deliveryTlsCaPem = readCaFile(vars.DELIVERY_TLS_CA_FILE);
  const kafkaSecurity = loadKafkaSecurity(vars);

  const localDefaults: string[] = [];
  const stateDir = resolve(vars.LOCAL_STATE_DIR ?? '.local');
  // Keys are never made up outside local mode: a missing one stops the app here, before any key
  // file is written, with the api's token settings when it asks, so one message names them all.
  const localMode = vars.LOCAL_MODE ?? isLocalMode({ NODE_ENV: env.NODE_ENV });
  const keyProblems: string[] = [];
  if (!localMode && vars.SECRETS_ENCRYPTION_KEY === undefined) {
    keyProblems.push(
      'SECRETS_ENCRYPTION_KEY is not set (it encrypts webhook secrets at rest; the api and the worker need the same one)',
      missingKeysHint(env),
    );
  }
  const authEnv = { ...env };
  let auth: AuthSettings | undefined;
  if (options.tokens) {
    try {
      auth = loadAuthSettings(authEnv, localDefaults);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      keyProblems.push(...error.problems);
    }
  }
  if (keyProblems.length > 0) {
    // Every missing key first, then once how to fix them.
    const hint = missingKeysHint(env);
    const missing = keyProblems.filter((problem) => problem !== hint);
    throw new ConfigurationError(keyProblems.includes(hint) ? [...missing, hint] : missing);
  }
  const orLocal = <T>(name: string, value: T | undefined, fallback: () => T): T => {
    if (value !== undefined) return value;
    localDefaults.push(name);
    return fallback();
  };

  const config = Object.assign(new AppConfig(), {
    port: vars.PORT ?? 3000,
    mongodbUri: orLocal(
      'MONGODB_URI',
      vars.MONGODB_URI,
      () => `mongodb://127.0.0.1:${vars.LOCAL_MONGO_PORT ?? 27017}/webhooks`,
    ),
    embeddedDatabase: vars.MONGODB_URI === undefined,
    kafkaBrokers: list(
      orLocal(
        'KAFKA_BROKERS',
        vars.KAFKA_BROKERS,
        () => `127.0.0.1:${vars.LOCAL_KAFKA_PORT ?? 9092}`,
      ),
    ),
    embeddedKafka: vars.KAFKA_BROKERS === undefined,
    kafkaTopics: vars.KAFKA_TOPICS ? list(vars.KAFKA_TOPICS) : DEFAULT_KAFKA_TOPICS,
    kafkaOperationalTopic: vars.KAFKA_OPERATIONAL_TOPIC ?? 'platform.webhooks',
    kafkaDeadLetterTopic: vars.KAFKA_DEAD_LETTER_TOPIC ?? 'webhooks.dead-letter',
    kafkaClientId: vars.KAFKA_CLIENT_ID ?? 'lmp-webhooks',
    ...kafkaSecurity,
    localMode,
    secretsKeyring: SecretsKeyring.parse(
      orLocal('SECRETS_ENCRYPTION_KEY', vars.SECRETS_ENCRYPTION_KEY, () =>
        localKey(stateDir, 'secrets-encryption-key', 32),
      ),
    ),
    webhooksAllowHttp: vars.WEBHOOKS_ALLOW_HTTP ?? false,
    deliveryAllowedCidrs: list(vars.DELIVERY_ALLOWED_CIDRS),
    // Validated above, so it parses.
    deliveryEgressIps: parseEgressIps(vars.DELIVERY_EGRESS_IPS ?? '') ?? [],
    deliveryTimeoutMs: vars.DELIVERY_TIMEOUT_MS ?? 15_000,
    deliveryDnsTimeoutMs: vars.DELIVERY_DNS_TIMEOUT_MS ?? 5_000,
    deliveryDnsCacheSeconds: vars.DELIVERY_DNS_CACHE_SECONDS ?? 30,
    // Validated above, so it parses; unset leaves the system's servers.
    deliveryDnsServers: parseDnsServers(vars.DELIVERY_DNS_SERVERS ?? '') ?? undefined,
    deliveryTlsCaPem,
    secretRotationGraceHours: vars.SECRET_ROTATION_GRACE_HOURS ?? 24,
    idempotencyKeyTtlHours: vars.IDEMPOTENCY_KEY_TTL_HOURS ?? 24,
    deliveryDisableAfterHours: vars.DELIVERY_DISABLE_AFTER_HOURS ?? 120,
    deliveryRetentionDays: vars.DELIVERY_RETENTION_DAYS ?? 30,
    deliveryConcurrency: vars.DELIVERY_CONCURRENCY ?? 256,
    deliveryConcurrencyPerEndpoint: vars.DELIVERY_CONCURRENCY_PER_ENDPOINT ?? 16,
    deliveryMaxRetryAfterSeconds: vars.DELIVERY_MAX_RETRY_AFTER_SECONDS ?? 86_400,
    deliveryQueuePollIntervalMs: vars.DELIVERY_QUEUE_POLL_INTERVAL_MS ?? 1000,
    kafkaConsumerGroup: vars.KAFKA_CONSUMER_GROUP ?? 'lmp-webhooks-delivery',
    deliveryConcurrencyPerHost: vars.DELIVERY_CONCURRENCY_PER_HOST ?? 64,
    deliveryMaxInMemory: vars.DELIVERY_MAX_IN_MEMORY ?? 5000,
    deliveryMaxInMemoryBytes: vars.DELIVERY_MAX_IN_MEMORY_BYTES ?? 64 * 1024 * 1024,
    platformEventMaxBytes: vars.PLATFORM_EVENT_MAX_BYTES ?? 256 * 1024,
    platformEventValidation: vars.PLATFORM_EVENT_VALIDATION ?? 'strict',
    shutdownGraceMs: vars.SHUTDOWN_GRACE_MS ?? 25_000,
    workerHealthPort: vars.WORKER_HEALTH_PORT ?? 3001,
    metricsToken: vars.METRICS_TOKEN,
    metricsPort: vars.METRICS_PORT,
    httpHstsMaxAge: vars.HTTP_HSTS_MAX_AGE,
    projectionPollIntervalMs: vars.PROJECTION_POLL_INTERVAL_MS ?? 250,
    projectionLeaseTtlMs: vars.PROJECTION_LEASE_TTL_MS ?? 10_000,
    logLevel: (vars.LOG_LEVEL ?? 'log') as AppConfig['logLevel'],
    localStateDir: stateDir,
    adminUiDir: resolve(vars.ADMIN_UI_DIR ?? 'dist/admin'),
    localDefaults,
  });
  // The bearer-token settings are the api's alone: resolved above when it asks (options.tokens),
  // otherwise when first read, which only AuthModule (the api) and its tests do. The worker has no
  // AuthModule and never reads config.auth, so it ignores AUTH_JWT_* and never reads, generates or
  // needs a token key.
  Object.defineProperty(config, 'auth', {
    get: () => (auth ??= loadAuthSettings(authEnv, localDefaults)),
    enumerable: false,
    configurable: true,
  });
  return config;
}

/**
 * Reads DELIVERY_TLS_CA_FILE once, at start-up: a missing or unreadable file stops the app here, with
 * the variable named, rather than failing every HTTPS delivery later.
 */
function readCaFile(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigurationError([`DELIVERY_TLS_CA_FILE: cannot read ${path} (${code})`]);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigurationError([`DELIVERY_TLS_CA_FILE: ${path} holds no PEM certificate`]);
  }
  return pem;
}

/** A value of the wrong kind is reported as that alone, not also as out of range. */
const KIND_CHECKS = ['isInt', 'isBoolean', 'isNumber', 'matches', 'isIn', 'isString'];

function describe(error: ValidationError): string[] {
  const all = error.constraints ?? {};
  const kind = KIND_CHECKS.find((check) => check in all);
  const constraints = kind ? [all[kind]] : Object.values(all);
  // SECRETS_ENCRYPTION_KEY, AUTH_JWT_SECRET, METRICS_TOKEN, *_PASSWORD; not
  // IDEMPOTENCY_KEY_TTL_HOURS, which is no secret.
  const secret = /SECRET|_KEY$|TOKEN|PASSWORD/.test(error.property);
  const shown = secret ? '' : ` (got ${JSON.stringify(error.value)})`;
  return constraints.map((message) =>
    message.startsWith(error.property)
      ? `${message}${shown}`
      : `${error.property}: ${message}${shown}`,
  );
}
