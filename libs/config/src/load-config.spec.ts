import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_KAFKA_TOPICS } from './app-config';
import { ConfigurationError } from './configuration.error';
import { loadConfig } from './load-config';

/** Calls loadConfig and returns the ConfigurationError it throws (fails the test if it does not). */
function configurationErrorFor(env: NodeJS.ProcessEnv): ConfigurationError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  // Every test gets its own state folder, so local keys are never written into the repository
  // and no test sees another's keys. process.env is never read or changed: env is passed in.
  let stateDir: string;
  let env: (overrides?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'load-config-'));
    env = (overrides = {}) => ({ LOCAL_STATE_DIR: stateDir, ...overrides });
  });

  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  describe('defaults', () => {
    it('given nothing set, when loaded, then the documented defaults apply', () => {
      const config = loadConfig(env());

      expect(config.port).toBe(3000);
      expect(config.kafkaTopics).toEqual([
        'platform.licenses',
        'platform.activations',
        'platform.products',
        'platform.contracts',
        'platform.telemetry',
      ]);
      expect(config.kafkaTopics).toEqual(DEFAULT_KAFKA_TOPICS);
      expect(config.kafkaDeadLetterTopic).toBe('webhooks.dead-letter');
      expect(config.deliveryTimeoutMs).toBe(15_000);
      expect(config.secretRotationGraceHours).toBe(24);
      expect(config.idempotencyKeyTtlHours).toBe(24);
      expect(config.webhooksAllowHttp).toBe(false);
      expect(config.deliveryAllowedCidrs).toEqual([]);
      expect(config.deliveryDnsTimeoutMs).toBe(5_000);
      expect(config.deliveryDnsCacheSeconds).toBe(30);
      expect(config.deliveryDnsServers).toBeUndefined();
      expect(config.deliveryConcurrencyPerHost).toBe(64);
      expect(config.deliveryMaxInMemory).toBe(5000);
      expect(config.deliveryMaxInMemoryBytes).toBe(64 * 1024 * 1024);
      expect(config.platformEventMaxBytes).toBe(256 * 1024);
      expect(config.shutdownGraceMs).toBe(25_000);
    });

    it('given nothing set, when loaded, then the embedded database and Kafka are used and every local default is listed', () => {
      const config = loadConfig(env());

      expect(config.embeddedDatabase).toBe(true);
      expect(config.embeddedKafka).toBe(true);
      expect(config.mongodbUri).toBe('mongodb://127.0.0.1:27017/webhooks');
      expect(config.kafkaBrokers).toEqual(['127.0.0.1:9092']);
      expect([...config.localDefaults].sort()).toEqual(
        ['AUTH_JWT_SECRET', 'KAFKA_BROKERS', 'MONGODB_URI', 'SECRETS_ENCRYPTION_KEY'].sort(),
      );
    });

    it('given empty strings, when loaded, then they count as unset', () => {
      const config = loadConfig(env({ PORT: '', MONGODB_URI: '', WEBHOOKS_ALLOW_HTTP: '' }));

      expect(config.port).toBe(3000);
      expect(config.embeddedDatabase).toBe(true);
      expect(config.webhooksAllowHttp).toBe(false);
    });

    it('given the database and broker set, when loaded, then they are used and not listed as local defaults', () => {
      const config = loadConfig(
        env({
          MONGODB_URI: 'mongodb://db.internal:27017/webhooks',
          KAFKA_BROKERS: 'k1:9092,k2:9093',
        }),
      );

      expect(config.mongodbUri).toBe('mongodb://db.internal:27017/webhooks');
      expect(config.kafkaBrokers).toEqual(['k1:9092', 'k2:9093']);
      expect(config.embeddedDatabase).toBe(false);
      expect(config.embeddedKafka).toBe(false);
      expect(config.localDefaults).not.toContain('MONGODB_URI');
      expect(config.localDefaults).not.toContain('KAFKA_BROKERS');
    });
  });

  describe('local keys', () => {
    const keyFiles = () => ({
      jwt: join(stateDir, 'keys', 'auth-jwt-secret'),
      encryption: join(stateDir, 'keys', 'secrets-encryption-key'),
    });

    it('given no keys configured, when loaded the first time, then owner-only key files are created under LOCAL_STATE_DIR', () => {
      const config = loadConfig(env());
      const files = keyFiles();

      expect(config.localStateDir).toBe(stateDir);
      for (const file of [files.jwt, files.encryption]) {
        expect(existsSync(file)).toBe(true);
        expect(statSync(file).mode & 0o777).toBe(0o600);
      }
      expect(readFileSync(files.jwt, 'utf8').trim()).toBe(config.authJwtSecret);
      expect(Buffer.from(readFileSync(files.encryption, 'utf8').trim(), 'base64')).toEqual(
        config.secretsKeyring.key('k0'),
      );
      expect(config.secretsKeyring.ids).toEqual(['k0']);
      expect(config.authJwtSecret.length).toBeGreaterThanOrEqual(32);
    });

    it('given keys created by an earlier load, when loaded again, then the same keys are reused', () => {
      const first = loadConfig(env());
      const createdAt = statSync(keyFiles().jwt).mtimeMs;

      const second = loadConfig(env());

      expect(second.authJwtSecret).toBe(first.authJwtSecret);
      expect(second.secretsKeyring.key('k0')).toEqual(first.secretsKeyring.key('k0'));
      expect(statSync(keyFiles().jwt).mtimeMs).toBe(createdAt);
    });

    it('given two different state folders, when loaded, then each gets its own keys', () => {
      const otherDir = mkdtempSync(join(tmpdir(), 'load-config-'));
      try {
        const first = loadConfig(env());
        const other = loadConfig(env({ LOCAL_STATE_DIR: otherDir }));

        expect(other.authJwtSecret).not.toBe(first.authJwtSecret);
        expect(other.secretsKeyring.key('k0')).not.toEqual(first.secretsKeyring.key('k0'));
      } finally {
        rmSync(otherDir, { recursive: true, force: true });
      }
    });

    it('given both keys configured, when loaded, then they are used and no key file is written', () => {
      const key = randomBytes(32);
      const jwt = 'j'.repeat(40);

      const config = loadConfig(
        env({ SECRETS_ENCRYPTION_KEY: key.toString('base64'), AUTH_JWT_SECRET: jwt }),
      );

      expect(config.secretsKeyring.ids).toEqual(['k0']);
      expect(config.secretsKeyring.key('k0')).toEqual(key);
      expect(config.authJwtSecret).toBe(jwt);
      expect(config.localDefaults).not.toContain('SECRETS_ENCRYPTION_KEY');
      expect(config.localDefaults).not.toContain('AUTH_JWT_SECRET');
      expect(existsSync(join(stateDir, 'keys'))).toBe(false);
    });

    it('given a keyring of two keys, when loaded, then the first is the newest and both are kept by id', () => {
      const [newest, older] = [randomBytes(32), randomBytes(32)];

      const config = loadConfig(
        env({
          SECRETS_ENCRYPTION_KEY: `k1:${newest.toString('base64')},k0:${older.toString('base64')}`,
        }),
      );

      expect(config.secretsKeyring.newestId).toBe('k1');
      expect(config.secretsKeyring.key('k1')).toEqual(newest);
      expect(config.secretsKeyring.key('k0')).toEqual(older);
    });
  });

  describe('rejected values', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '0'],
      ['MONGODB_URI', 'postgres://x'],
      ['KAFKA_BROKERS', 'nohostport'],
      ['WEBHOOKS_ALLOW_HTTP', 'maybe'],
      ['DELIVERY_TIMEOUT_MS', '50'],
      ['DELIVERY_DNS_TIMEOUT_MS', '99'],
      ['DELIVERY_DNS_TIMEOUT_MS', 'soon'],
      ['DELIVERY_DNS_CACHE_SECONDS', '-1'],
      ['DELIVERY_DNS_SERVERS', 'dns.example.com'],
      ['DELIVERY_DNS_SERVERS', '10.0.0.53:0'],
      ['DELIVERY_DNS_SERVERS', '10.0.0.53:70000'],
      ['DELIVERY_DNS_SERVERS', '300.0.0.1'],
      ['DELIVERY_DNS_SERVERS', '10.0.0.53,[::1]'],
      ['DELIVERY_DNS_SERVERS', ','],
      ['DELIVERY_CONCURRENCY_PER_HOST', '0'],
      ['SHUTDOWN_GRACE_MS', '-1'],
      ['SHUTDOWN_GRACE_MS', 'a while'],
      ['PLATFORM_EVENT_MAX_BYTES', '100'],
      ['DELIVERY_MAX_IN_MEMORY', '5'],
      ['DELIVERY_MAX_IN_MEMORY_BYTES', '1000'],
      ['LOG_LEVEL', 'loud'],
      ['IDEMPOTENCY_KEY_TTL_HOURS', '0'],
      ['IDEMPOTENCY_KEY_TTL_HOURS', '0.05'],
      ['IDEMPOTENCY_KEY_TTL_HOURS', 'a day'],
      ['IDEMPOTENCY_KEY_TTL_HOURS', '9000'],
    ])('given %s=%s, when loaded, then a ConfigurationError names the variable', (name, value) => {
      const error = configurationErrorFor(env({ [name]: value }));

      expect(error.name).toBe('ConfigurationError');
      expect(error.message).toContain(name);
      expect(error.problems.length).toBeGreaterThan(0);
      for (const problem of error.problems) expect(problem).toContain(name);
    });

    it.each([
      { name: 'SECRETS_ENCRYPTION_KEY', kind: 'a short word', value: 'short' },
      // A plausible real key that is one byte too short must not leak either.
      {
        name: 'SECRETS_ENCRYPTION_KEY',
        kind: 'the base64 of 31 bytes',
        value: randomBytes(31).toString('base64'),
      },
      {
        name: 'SECRETS_ENCRYPTION_KEY',
        kind: 'a keyring whose second key is short',
        value: `k1:${randomBytes(32).toString('base64')},k0:${randomBytes(31).toString('base64')}`,
      },
      { name: 'AUTH_JWT_SECRET', kind: 'under 32 characters', value: 'not-long-enough-secret' },
    ])(
      'given $name set to $kind, when loaded, then the error names it without echoing its value',
      ({ name, value }) => {
        const error = configurationErrorFor(env({ [name]: value }));

        expect(error.message).toContain(name);
        expect(error.message).not.toContain(value);
        expect(error.message).not.toContain('got');
      },
    );

    it('given several bad values at once, when loaded, then every bad variable is listed', () => {
      const error = configurationErrorFor(
        env({
          PORT: '70000',
          MONGODB_URI: 'postgres://x',
          KAFKA_BROKERS: 'nohostport',
          WEBHOOKS_ALLOW_HTTP: 'maybe',
          SECRETS_ENCRYPTION_KEY: 'short',
        }),
      );

      for (const name of [
        'PORT',
        'MONGODB_URI',
        'KAFKA_BROKERS',
        'WEBHOOKS_ALLOW_HTTP',
        'SECRETS_ENCRYPTION_KEY',
      ]) {
        expect(error.message).toContain(name);
        expect(error.problems.some((problem) => problem.includes(name))).toBe(true);
      }
      expect(error.message).not.toContain('short');
    });

    it('given a bad value, when rejected, then no local key is created', () => {
      configurationErrorFor(env({ PORT: 'abc' }));

      expect(existsSync(join(stateDir, 'keys'))).toBe(false);
    });
  });

  describe('values', () => {
    it.each([
      ['true', true],
      ['TRUE', true],
      ['1', true],
      ['false', false],
      ['0', false],
    ])('given WEBHOOKS_ALLOW_HTTP=%s, when loaded, then it is %s', (value, expected) => {
      expect(loadConfig(env({ WEBHOOKS_ALLOW_HTTP: value })).webhooksAllowHttp).toBe(expected);
    });

    it('given numbers as strings, when loaded, then they are numbers', () => {
      const config = loadConfig(
        env({ PORT: '8080', DELIVERY_TIMEOUT_MS: '2500', SECRET_ROTATION_GRACE_HOURS: '1.5' }),
      );

      expect(config.port).toBe(8080);
      expect(config.deliveryTimeoutMs).toBe(2500);
      expect(config.secretRotationGraceHours).toBe(1.5);
    });

    it('given no PROJECTION_LEASE_TTL_MS, when loaded, then projection writers hold their lease 10 s; given one, it is used', () => {
      expect(loadConfig(env()).projectionLeaseTtlMs).toBe(10_000);
      expect(loadConfig(env({ PROJECTION_LEASE_TTL_MS: '3000' })).projectionLeaseTtlMs).toBe(3000);
    });

    it.each(['499', '600001', '2.5', 'soon'])(
      'given PROJECTION_LEASE_TTL_MS=%s, when loaded, then it is refused by name',
      (value) => {
        expect(configurationErrorFor(env({ PROJECTION_LEASE_TTL_MS: value })).message).toContain(
          'PROJECTION_LEASE_TTL_MS',
        );
      },
    );

    it('given IDEMPOTENCY_KEY_TTL_HOURS, when loaded, then it is used, fractions included', () => {
      expect(loadConfig(env({ IDEMPOTENCY_KEY_TTL_HOURS: '48' })).idempotencyKeyTtlHours).toBe(48);
      expect(loadConfig(env({ IDEMPOTENCY_KEY_TTL_HOURS: '0.5' })).idempotencyKeyTtlHours).toBe(
        0.5,
      );
    });

    it('given a bad IDEMPOTENCY_KEY_TTL_HOURS, when rejected, then its value is shown (it is no secret)', () => {
      expect(configurationErrorFor(env({ IDEMPOTENCY_KEY_TTL_HOURS: '0' })).message).toContain(
        'got 0',
      );
    });

    it('given KAFKA_TOPICS, when loaded, then it replaces the default topics, split on commas', () => {
      const config = loadConfig(
        env({ KAFKA_TOPICS: 'platform.licenses,custom_topic,other-topic' }),
      );

      expect(config.kafkaTopics).toEqual(['platform.licenses', 'custom_topic', 'other-topic']);
    });

    it('given DELIVERY_ALLOWED_CIDRS with spaces around commas, when loaded, then it is split and trimmed', () => {
      const config = loadConfig(
        env({ DELIVERY_ALLOWED_CIDRS: '10.0.0.0/8 ,  192.168.0.0/16,fd00::/8' }),
      );

      expect(config.deliveryAllowedCidrs).toEqual(['10.0.0.0/8', '192.168.0.0/16', 'fd00::/8']);
    });

    it('given DNS settings, when loaded, then they are used; servers are split and trimmed, ports and IPv6 kept as written', () => {
      const config = loadConfig(
        env({
          DELIVERY_DNS_TIMEOUT_MS: '100',
          DELIVERY_DNS_CACHE_SECONDS: '0',
          DELIVERY_DNS_SERVERS: '127.0.0.1:5353, 10.0.0.53 ,[2001:db8::53]:5353,2001:db8::54',
        }),
      );

      expect(config.deliveryDnsTimeoutMs).toBe(100);
      expect(config.deliveryDnsCacheSeconds).toBe(0);
      expect(config.deliveryDnsServers).toEqual([
        '127.0.0.1:5353',
        '10.0.0.53',
        '[2001:db8::53]:5353',
        '2001:db8::54',
      ]);
    });

    it('given no ADMIN_UI_DIR, when loaded, then the admin page is dist/admin under the working directory', () => {
      expect(loadConfig(env()).adminUiDir).toBe(join(process.cwd(), 'dist', 'admin'));
    });

    it('given ADMIN_UI_DIR, when loaded, then a relative folder is resolved against the working directory and an absolute one kept', () => {
      expect(loadConfig(env({ ADMIN_UI_DIR: 'build/ui' })).adminUiDir).toBe(
        join(process.cwd(), 'build', 'ui'),
      );
      expect(loadConfig(env({ ADMIN_UI_DIR: stateDir })).adminUiDir).toBe(stateDir);
    });
  });
});
