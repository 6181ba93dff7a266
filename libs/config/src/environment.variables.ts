import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { parseAllowedTargets } from './allowed-targets';
import { parseDnsServers } from './dns-servers';
import { parseEgressIps } from './egress-ips';
import { secretsKeyringProblem } from './secrets-keyring';

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? ({ true: true, '1': true, false: false, '0': false }[value.trim().toLowerCase()] ?? value)
    : value;
const toInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
    ? Number(value)
    : value;

/**
 * The environment the apps read, as operators write it. Names are part of the product contract
 * (PRODUCT.md part 3); validation failures name the variable. Unset optional values fall back to the
 * embedded local defaults in `loadConfig`.
 */
export class EnvironmentVariables {
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, {
    message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI',
  })
  MONGODB_URI?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, {
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$/, {
    message: 'KAFKA_TOPICS must be a comma-separated list of topic names',
  })
  KAFKA_TOPICS?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'KAFKA_OPERATIONAL_TOPIC must be a topic name' })
  KAFKA_OPERATIONAL_TOPIC?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'KAFKA_DEAD_LETTER_TOPIC must be a topic name' })
  KAFKA_DEAD_LETTER_TOPIC?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @Matches(/^[A-Za-z0-9._-]+$/, {
    message: 'KAFKA_CLIENT_ID must be letters, digits, dot, underscore or dash',
  })
  KAFKA_CLIENT_ID?: string;

  /** TLS to the brokers. The files below are read once at start-up. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'KAFKA_SSL must be true or false' })
  KAFKA_SSL?: boolean;

  /** PEM CA certificates trusted for the brokers (instead of Node's root CAs). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  KAFKA_SSL_CA_FILE?: string;

  /** A client certificate (PEM) for brokers that ask for one (mutual TLS), with its key below. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  KAFKA_SSL_CERT_FILE?: string;

  /** The client certificate's private key (PEM, unencrypted). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  KAFKA_SSL_KEY_FILE?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsIn(['scram-sha-512', 'scram-sha-256', 'plain'], {
    message: 'KAFKA_SASL_MECHANISM must be scram-sha-512, scram-sha-256 or plain',
  })
  KAFKA_SASL_MECHANISM?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  KAFKA_SASL_USERNAME?: string;

  /** A secret: never echoed in a validation error (see describe in load-config.ts). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  KAFKA_SASL_PASSWORD?: string;

  /**
   * Local mode: missing keys are generated under LOCAL_STATE_DIR/keys. Unset: on only when NODE_ENV
   * is development or test (isLocalMode). AUTH_JWT_* are validated by loadAuthSettings, for the api
   * alone: the worker ignores them.
   */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'LOCAL_MODE must be true or false' })
  LOCAL_MODE?: boolean;

  /** A keyring, `<id>:<base64 of 32 bytes>[,...]` newest first, or one bare base64 key (id k0). */
  @IsOptional()
  @IsString()
  @ValidateBy({
    name: 'isSecretsKeyring',
    validator: {
      validate: (value: unknown) => secretsKeyringProblem(value) === null,
      defaultMessage: (args) => `SECRETS_ENCRYPTION_KEY ${secretsKeyringProblem(args?.value)}`,
    },
  })
  SECRETS_ENCRYPTION_KEY?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'WEBHOOKS_ALLOW_HTTP must be true or false' })
  WEBHOOKS_ALLOW_HTTP?: boolean;

  /** What the SSRF guard lets through: `CIDR`, `CIDR:port`, `[IPv6 CIDR]:port`, `host`, `host:port`. */
  @IsOptional()
  @IsString()
  @ValidateBy({
    name: 'isAllowedTargetList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseAllowedTargets(value).ok,
      defaultMessage: (args) => {
        const parsed = parseAllowedTargets(String(args?.value ?? ''));
        return (
          'DELIVERY_ALLOWED_CIDRS must be a comma-separated list of CIDR, CIDR:port ' +
          `([IPv6 CIDR]:port), host or host:port${parsed.ok ? '' : `; ${parsed.reason}`}`
        );
      },
    },
  })
  DELIVERY_ALLOWED_CIDRS?: string;

  /** The addresses receivers should allow (announced only): IPs and CIDRs, comma-separated. */
  @IsOptional()
  @IsString()
  @ValidateBy({
    name: 'isEgressIpList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseEgressIps(value) !== null,
      defaultMessage: () =>
        'DELIVERY_EGRESS_IPS must be a comma-separated list of IP addresses or CIDRs ' +
        '(203.0.113.7, 198.51.100.0/24, 2001:db8::/48)',
    },
  })
  DELIVERY_EGRESS_IPS?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DELIVERY_TIMEOUT_MS?: number;

  /** One DNS lookup of a receiver's host name, both families and retransmissions included. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(60_000)
  DELIVERY_DNS_TIMEOUT_MS?: number;

  /** The longest a DNS answer is reused (below its TTL); 0 turns the answer cache off. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(86_400)
  DELIVERY_DNS_CACHE_SECONDS?: number;

  /** DNS servers for receivers' names instead of the system's (resolv.conf). */
  @IsOptional()
  @IsString()
  @ValidateBy({
    name: 'isDnsServerList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseDnsServers(value) !== null,
      defaultMessage: () =>
        'DELIVERY_DNS_SERVERS must be a comma-separated list of ip or ip:port ([ipv6]:port)',
    },
  })
  DELIVERY_DNS_SERVERS?: string;

  /** A PEM file of CA certificates trusted for receivers in addition to the system roots. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  DELIVERY_TLS_CA_FILE?: string;

  @IsOptional()
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(24 * 365)
  SECRET_ROTATION_GRACE_HOURS?: number;

  /** How long the api keeps a POST's outcome for its Idempotency-Key; at least 6 minutes. */
  @IsOptional()
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(24 * 365)
  IDEMPOTENCY_KEY_TTL_HOURS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(65535)
  WORKER_HEALTH_PORT?: number;

  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  @IsOptional()
  @IsString()
  @Matches(/^\S{16,}$/, { message: 'METRICS_TOKEN must be at least 16 characters, no spaces' })
  METRICS_TOKEN?: string;

  /** When set, /metrics is served on this port only, not on the app's own. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  /** When set, every HTTP answer carries Strict-Transport-Security with this max-age (seconds). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(63_072_000)
  HTTP_HSTS_MAX_AGE?: number;

  @IsOptional()
  @Transform(toNumber)
  @IsNumber()
  @Min(0.0001)
  @Max(24 * 365)
  DELIVERY_DISABLE_AFTER_HOURS?: number;

  @IsOptional()
  @Transform(toNumber)
  @IsNumber()
  @Min(0.01)
  @Max(3650)
  DELIVERY_RETENTION_DAYS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(10_000)
  DELIVERY_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1_000)
  DELIVERY_CONCURRENCY_PER_ENDPOINT?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  DELIVERY_MAX_RETRY_AFTER_SECONDS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  @Max(60_000)
  DELIVERY_QUEUE_POLL_INTERVAL_MS?: number;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'KAFKA_CONSUMER_GROUP must be a group id' })
  KAFKA_CONSUMER_GROUP?: string;

  /** Attempts in flight at once to one receiving host (over all its webhooks), per worker. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(10_000)
  DELIVERY_CONCURRENCY_PER_HOST?: number;

  /** How long a stopping process may drain in-flight work after SIGTERM. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  SHUTDOWN_GRACE_MS?: number;

  /** Platform events whose Kafka value is larger are dead-lettered unread. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  PLATFORM_EVENT_MAX_BYTES?: number;

  /** `strict`: platform events whose `data` breaks its type's schema are dead-lettered; `off`: not checked. */
  @IsOptional()
  @IsIn(['strict', 'off'], { message: 'PLATFORM_EVENT_VALIDATION must be strict or off' })
  PLATFORM_EVENT_VALIDATION?: 'strict' | 'off';

  /** Deliveries a worker holds in memory (running, waiting, being recorded) before it stops reading. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  @Max(10_000_000)
  DELIVERY_MAX_IN_MEMORY?: number;

  /** Bytes of platform events a worker holds in memory before it stops reading. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1024 * 1024)
  @Max(16 * 1024 * 1024 * 1024)
  DELIVERY_MAX_IN_MEMORY_BYTES?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(5)
  @Max(60_000)
  PROJECTION_POLL_INTERVAL_MS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(500)
  @Max(600_000)
  PROJECTION_LEASE_TTL_MS?: number;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  LOCAL_STATE_DIR?: string;

  /** The built admin page (`npm run build:admin`); relative to the working directory. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  ADMIN_UI_DIR?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(65535)
  LOCAL_MONGO_PORT?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(65535)
  LOCAL_KAFKA_PORT?: number;
}
