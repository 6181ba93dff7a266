import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { DEFAULT_KAFKA_TOPICS } from './app-config';
import { ConfigurationError } from './configuration.error';
import { loadConfig, type LoadConfigOptions } from './load-config';

/** Calls loadConfig and returns the ConfigurationError it throws (fails the test if it does not). */
function configurationErrorFor(
  env: NodeJS.ProcessEnv,
  options?: LoadConfigOptions,
): ConfigurationError {
  try {
    loadConfig(env, options);
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
    // Local mode on, as under jest (NODE_ENV=test): missing keys are generated in stateDir. The
    // tests of the keys outside local mode set LOCAL_MODE=false themselves.
    env = (overrides = {}) => ({ LOCAL_STATE_DIR: stateDir, LOCAL_MODE: 'true', ...overrides });
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
      expect(config.platformEventValidation).toBe('strict');
      expect(config.shutdownGraceMs).toBe(25_000);
    });

    it('given nothing set, when loaded, then the embedded database and Kafka are used and every local default is listed', () => {
      const config = loadConfig(env(), { tokens: true });

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

    it('given PLATFORM_EVENT_VALIDATION=off, when loaded, then data is not checked against its schema', () => {
      expect(loadConfig(env({ PLATFORM_EVENT_VALIDATION: 'off' })).platformEventValidation).toBe(
        'off',
      );
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
      const config = loadConfig(env(), { tokens: true });
      const files = keyFiles();

      expect(config.localStateDir).toBe(stateDir);
      for (const file of [files.jwt, files.encryption]) {
        expect(existsSync(file)).toBe(true);
        expect(statSync(file).mode & 0o777).toBe(0o600);
      }
      expect(readFileSync(files.jwt, 'utf8').trim()).toBe(config.auth.signingSecret);
      expect(Buffer.from(readFileSync(files.encryption, 'utf8').trim(), 'base64')).toEqual(
        config.secretsKeyring.key('k0'),
      );
      expect(config.secretsKeyring.ids).toEqual(['k0']);
      expect(config.auth.signingSecret?.length).toBeGreaterThanOrEqual(32);
    });

    it('given keys created by an earlier load, when loaded again, then the same keys are reused', () => {
      const first = loadConfig(env(), { tokens: true });
      const createdAt = statSync(keyFiles().jwt).mtimeMs;

      const second = loadConfig(env(), { tokens: true });

      expect(second.auth.signingSecret).toBe(first.auth.signingSecret);
      expect(second.secretsKeyring.key('k0')).toEqual(first.secretsKeyring.key('k0'));
      expect(statSync(keyFiles().jwt).mtimeMs).toBe(createdAt);
    });

    it('given two different state folders, when loaded, then each gets its own keys', () => {
      const otherDir = mkdtempSync(join(tmpdir(), 'load-config-'));
      try {
        const first = loadConfig(env());
        const other = loadConfig(env({ LOCAL_STATE_DIR: otherDir }));

        expect(other.auth.signingSecret).not.toBe(first.auth.signingSecret);
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
      expect(config.auth.signingSecret).toBe(jwt);
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

  describe('keys and local mode', () => {
    const keysDir = () => join(stateDir, 'keys');
    const key = () => randomBytes(32).toString('base64');
    const SECRET = 'a-configured-hs256-secret-of-40-characters';

    it.each([
      ['LOCAL_MODE=false', { LOCAL_MODE: 'false' }],
      ['NODE_ENV=production', { LOCAL_MODE: undefined, NODE_ENV: 'production' }],
      ['neither LOCAL_MODE nor NODE_ENV', { LOCAL_MODE: undefined }],
    ])(
      'Given %s and no keys, When the api loads (tokens), Then one ConfigurationError names SECRETS_ENCRYPTION_KEY and AUTH_JWT_SECRET, says how to fix it, and no key is written',
      (_name, mode) => {
        const error = configurationErrorFor(env({ ...mode }), { tokens: true });

        expect(error.message).toContain('SECRETS_ENCRYPTION_KEY is not set');
        expect(error.message).toContain('AUTH_JWT_SECRET is not set');
        expect(error.message).toContain('LOCAL_MODE=true');
        expect(error.message.match(/local mode is off/g)).toHaveLength(1);
        expect(error.problems.at(-1)).toContain('local mode is off');
        expect(existsSync(keysDir())).toBe(false);
      },
    );

    it.each([
      ['LOCAL_MODE=true', { LOCAL_MODE: 'true', NODE_ENV: 'production' }],
      ['NODE_ENV=development', { LOCAL_MODE: undefined, NODE_ENV: 'development' }],
      ['NODE_ENV=test', { LOCAL_MODE: undefined, NODE_ENV: 'test' }],
    ])('Given %s and no keys, When loaded, Then local mode generates them', (_name, mode) => {
      const config = loadConfig(env({ ...mode }), { tokens: true });

      expect(config.localMode).toBe(true);
      expect(config.localDefaults).toEqual(
        expect.arrayContaining(['SECRETS_ENCRYPTION_KEY', 'AUTH_JWT_SECRET']),
      );
      expect(existsSync(join(keysDir(), 'secrets-encryption-key'))).toBe(true);
      expect(existsSync(join(keysDir(), 'auth-jwt-secret'))).toBe(true);
    });

    it('Given local mode off and both keys set, When the api loads, Then it starts with them and writes nothing', () => {
      const config = loadConfig(
        env({ LOCAL_MODE: 'false', SECRETS_ENCRYPTION_KEY: key(), AUTH_JWT_SECRET: SECRET }),
        { tokens: true },
      );

      expect(config.localMode).toBe(false);
      expect(config.auth.signingSecret).toBe(SECRET);
      expect(config.localDefaults).toEqual(['MONGODB_URI', 'KAFKA_BROKERS']);
      expect(existsSync(keysDir())).toBe(false);
    });

    it('Given LOCAL_MODE=maybe, When loaded, Then it is refused by name', () => {
      expect(configurationErrorFor(env({ LOCAL_MODE: 'maybe' })).message).toContain('LOCAL_MODE');
    });

    describe('the worker (no tokens)', () => {
      it('Given local mode off, SECRETS_ENCRYPTION_KEY set and no AUTH_JWT_*, When loaded, Then it loads and no token key is read or written', () => {
        const config = loadConfig(env({ LOCAL_MODE: 'false', SECRETS_ENCRYPTION_KEY: key() }));

        expect(config.localDefaults).not.toContain('AUTH_JWT_SECRET');
        expect(existsSync(keysDir())).toBe(false);
      });

      it('Given local mode on and no keys, When loaded, Then only the encryption key is generated: no token key', () => {
        const config = loadConfig(env());

        expect(existsSync(join(keysDir(), 'secrets-encryption-key'))).toBe(true);
        expect(existsSync(join(keysDir(), 'auth-jwt-secret'))).toBe(false);
        expect(config.localDefaults).not.toContain('AUTH_JWT_SECRET');
      });

      it('Given AUTH_JWT_* settings that are wrong, When loaded without tokens, Then the worker ignores them', () => {
        expect(() =>
          loadConfig(
            env({ AUTH_JWT_SECRET: 'short', AUTH_JWT_PUBLIC_KEY: 'x', AUTH_JWT_MAX_LIFETIME: '?' }),
          ),
        ).not.toThrow();
      });

      it('Given the config loaded without tokens, When config.auth is read (AuthModule), Then the settings are resolved then, once', () => {
        const config = loadConfig(env({ AUTH_JWT_SECRET: SECRET }));

        expect(config.auth.signingSecret).toBe(SECRET);
        expect(config.auth).toBe(config.auth);
        const outside = loadConfig(env({ LOCAL_MODE: 'false', SECRETS_ENCRYPTION_KEY: key() }));
        expect(() => outside.auth).toThrow(ConfigurationError);
      });
    });
  });

  describe('rejected values', () => {
    it('given a METRICS_TOKEN too short, when loaded, then the error names it without echoing it', () => {
      const error = configurationErrorFor(env({ METRICS_TOKEN: 'short-tok' }));

      expect(error.message).toContain('METRICS_TOKEN');
      expect(error.message).not.toContain('short-tok');
    });

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
      ['DELIVERY_EGRESS_IPS', 'egress.example.com'],
      ['DELIVERY_EGRESS_IPS', '203.0.113.0/33'],
      ['DELIVERY_EGRESS_IPS', '203.0.113.7:443'],
      ['DELIVERY_EGRESS_IPS', '203.0.113.7,,198.51.100.1'],
      ['DELIVERY_CONCURRENCY_PER_HOST', '0'],
      ['SHUTDOWN_GRACE_MS', '-1'],
      ['SHUTDOWN_GRACE_MS', 'a while'],
      ['PLATFORM_EVENT_MAX_BYTES', '100'],
      ['PLATFORM_EVENT_VALIDATION', 'lenient'],
      ['DELIVERY_MAX_IN_MEMORY', '5'],
      ['DELIVERY_MAX_IN_MEMORY_BYTES', '1000'],
      ['LOG_LEVEL', 'loud'],
      ['IDEMPOTENCY_KEY_TTL_HOURS', '0'],
      ['IDEMPOTENCY_KEY_TTL_HOURS', '0.05'],
      ['IDEMPOTENCY_KEY_TTL_HOURS', 'a day'],
      ['IDEMPOTENCY_KEY_TTL_HOURS', '9000'],
      ['METRICS_PORT', '0'],
      ['HTTP_HSTS_MAX_AGE', '-5'],
      ['HTTP_HSTS_MAX_AGE', 'a year'],
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
        // AUTH_JWT_* are checked for the api (tokens) only.
        const error = configurationErrorFor(env({ [name]: value }), { tokens: true });

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

    it('given DELIVERY_ALLOWED_CIDRS with CIDR:port, [IPv6 CIDR]:port, host and host:port entries, when loaded, then each is kept as written', () => {
      const config = loadConfig(
        env({
          DELIVERY_ALLOWED_CIDRS:
            '127.0.0.1/32:8443, [fd00::/8]:8443,receiver.internal:443,crm.lan,10.1.2.3:9000',
        }),
      );

      expect(config.deliveryAllowedCidrs).toEqual([
        '127.0.0.1/32:8443',
        '[fd00::/8]:8443',
        'receiver.internal:443',
        'crm.lan',
        '10.1.2.3:9000',
      ]);
    });

    it.each([
      ['10.0.0.0/33', '"10.0.0.0/33": not a valid CIDR or IP address'],
      ['10.0.0.0/8:0', '"10.0.0.0/8:0": the port must be 1 to 65535'],
      ['receiver.internal:70000', '"receiver.internal:70000": the port must be 1 to 65535'],
      ['10.0.0.0/8, *.internal', '"*.internal": not a CIDR, an IP address or a host name'],
      ['2130706433', '"2130706433": an IP address in a form URLs rewrite'],
    ])(
      'given DELIVERY_ALLOWED_CIDRS=%s, when loaded, then a ConfigurationError names the variable and the bad entry',
      (value, problem) => {
        const error = configurationErrorFor(env({ DELIVERY_ALLOWED_CIDRS: value }));

        expect(error.problems).toHaveLength(1);
        expect(error.problems[0]).toMatch(/^DELIVERY_ALLOWED_CIDRS must be a comma-separated list/);
        expect(error.problems[0]).toContain(problem);
      },
    );

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

    it('given no DELIVERY_EGRESS_IPS, when loaded, then no egress addresses are announced', () => {
      expect(loadConfig(env()).deliveryEgressIps).toEqual([]);
    });

    it('given DELIVERY_EGRESS_IPS, when loaded, then the IPs and CIDRs are split and trimmed, IPv6 kept as written', () => {
      const config = loadConfig(
        env({ DELIVERY_EGRESS_IPS: ' 203.0.113.7, 198.51.100.0/24 ,2001:db8:10::/48,2001:db8::5' }),
      );

      expect(config.deliveryEgressIps).toEqual([
        '203.0.113.7',
        '198.51.100.0/24',
        '2001:db8:10::/48',
        '2001:db8::5',
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

describe('loadConfig: Kafka TLS and SASL', () => {
  const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB-test-ca\n-----END CERTIFICATE-----\n';
  const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIB-test-client\n-----END CERTIFICATE-----\n';
  const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMIIE-test-key\n-----END PRIVATE KEY-----\n';
  const PASSWORD = 'kafka-password-that-must-never-show-0123';
  let dir: string;
  let env: (overrides?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'load-config-kafka-'));
    env = (overrides = {}) => ({ LOCAL_STATE_DIR: dir, LOCAL_MODE: 'true', ...overrides });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given no Kafka security settings, when loaded, then the client uses plain TCP without SASL', () => {
    const config = loadConfig(env());

    expect(config.kafkaSsl).toBeUndefined();
    expect(config.kafkaSasl).toBeUndefined();
  });

  it('given KAFKA_SSL=true alone, when loaded, then TLS is on with Node root CAs (no CA, no client certificate)', () => {
    expect(loadConfig(env({ KAFKA_SSL: 'true' })).kafkaSsl).toEqual({
      caPem: undefined,
      certPem: undefined,
      keyPem: undefined,
    });
    expect(loadConfig(env({ KAFKA_SSL: 'false' })).kafkaSsl).toBeUndefined();
  });

  it('given KAFKA_SSL with a CA file and a client certificate, when loaded, then the files are read once, at start-up', () => {
    const config = loadConfig(
      env({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: file('ca.pem', CA_PEM),
        KAFKA_SSL_CERT_FILE: file('client.pem', CERT_PEM),
        KAFKA_SSL_KEY_FILE: file('client.key', KEY_PEM),
      }),
    );

    expect(config.kafkaSsl).toEqual({ caPem: CA_PEM, certPem: CERT_PEM, keyPem: KEY_PEM });
  });

  it('given a KAFKA_SSL_CA_FILE that does not exist, when loaded, then the error names the variable and the path', () => {
    const missing = join(dir, 'nowhere', 'ca.pem');
    const error = configurationErrorFor(env({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: missing }));

    expect(error.problems).toEqual([`KAFKA_SSL_CA_FILE: cannot read ${missing} (ENOENT)`]);
  });

  it('given files that hold no PEM, when loaded, then the error names the variable without showing the content', () => {
    const secretish = 'not a pem but maybe sensitive';
    const caError = configurationErrorFor(
      env({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: file('ca.txt', secretish) }),
    );
    const keyError = configurationErrorFor(
      env({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CERT_FILE: file('client.pem', CERT_PEM),
        KAFKA_SSL_KEY_FILE: file('client.key', secretish),
      }),
    );

    expect(caError.problems[0]).toMatch(/^KAFKA_SSL_CA_FILE: .*ca\.txt holds no PEM certificate$/);
    expect(keyError.problems[0]).toMatch(
      /^KAFKA_SSL_KEY_FILE: .* holds no PEM unencrypted private key$/,
    );
    expect(`${caError.message}${keyError.message}`).not.toContain(secretish);
  });

  it('given TLS files but no KAFKA_SSL=true, when loaded, then it is refused rather than connecting in plain text', () => {
    const error = configurationErrorFor(env({ KAFKA_SSL_CA_FILE: file('ca.pem', CA_PEM) }));

    expect(error.problems).toEqual([
      'KAFKA_SSL_CA_FILE: only used with KAFKA_SSL=true, which is not set',
    ]);
  });

  it('given a client certificate without its key, when loaded, then both variables are named', () => {
    const error = configurationErrorFor(
      env({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: file('client.pem', CERT_PEM) }),
    );

    expect(error.message).toContain('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE');
  });

  it.each(['scram-sha-512', 'scram-sha-256', 'plain', 'SCRAM-SHA-512'])(
    'given KAFKA_SASL_MECHANISM=%s with a username and password, when loaded, then SASL is configured',
    (mechanism) => {
      const config = loadConfig(
        env({
          KAFKA_SASL_MECHANISM: mechanism,
          KAFKA_SASL_USERNAME: 'webhooks',
          KAFKA_SASL_PASSWORD: PASSWORD,
        }),
      );

      expect(config.kafkaSasl?.mechanism).toBe(mechanism.toLowerCase());
      expect(config.kafkaSasl?.username).toBe('webhooks');
      expect(config.kafkaSasl?.password).toBe(PASSWORD);
    },
  );

  it('given SASL configured, when the configuration is printed or serialised, then the password is not in it', () => {
    const config = loadConfig(
      env({
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'webhooks',
        KAFKA_SASL_PASSWORD: PASSWORD,
      }),
    );

    expect(JSON.stringify(config)).not.toContain(PASSWORD);
    expect(inspect(config, { depth: 5 })).not.toContain(PASSWORD);
    expect(JSON.stringify(config.kafkaSasl)).toContain('webhooks');
  });

  it('given a mechanism without username and password, when loaded, then the error names both', () => {
    const error = configurationErrorFor(env({ KAFKA_SASL_MECHANISM: 'scram-sha-512' }));

    expect(error.problems).toEqual([
      'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: required with KAFKA_SASL_MECHANISM=scram-sha-512',
    ]);
  });

  it('given a mechanism and a password but no username, when loaded, then the username is named and the password not shown', () => {
    const error = configurationErrorFor(
      env({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: PASSWORD }),
    );

    expect(error.problems).toEqual([
      'KAFKA_SASL_USERNAME: required with KAFKA_SASL_MECHANISM=plain',
    ]);
    expect(error.message).not.toContain(PASSWORD);
  });

  it('given credentials without a mechanism, when loaded, then KAFKA_SASL_MECHANISM is required and the password not shown', () => {
    const error = configurationErrorFor(
      env({ KAFKA_SASL_USERNAME: 'webhooks', KAFKA_SASL_PASSWORD: PASSWORD }),
    );

    expect(error.message).toContain('KAFKA_SASL_MECHANISM: required with');
    expect(error.message).not.toContain(PASSWORD);
  });

  it.each([
    ['KAFKA_SSL', 'yes please'],
    ['KAFKA_SASL_MECHANISM', 'gssapi'],
  ])('given %s=%s, when loaded, then a ConfigurationError names the variable', (name, value) => {
    const error = configurationErrorFor(
      env({ [name]: value, KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: PASSWORD }),
    );

    expect(error.problems.some((problem) => problem.startsWith(name))).toBe(true);
    expect(error.message).not.toContain(PASSWORD);
  });
});
