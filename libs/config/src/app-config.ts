import type { SecretsKeyring } from './secrets-keyring';
import type { AuthSettings } from './auth-settings';

/** The validated, defaulted configuration every app and library reads. Inject it by class. */
export class AppConfig {
  port: number;
  mongodbUri: string;
  /** True when MONGODB_URI was unset and the embedded local FerretDB is used. */
  embeddedDatabase: boolean;
  kafkaBrokers: string[];
  /** True when KAFKA_BROKERS was unset and the embedded local Kafka is used. */
  embeddedKafka: boolean;
  kafkaTopics: string[];
  /**
   * Where the worker publishes its operational events (`webhook.paused`, `delivery.failed`), and
   * which it consumes beside `kafkaTopics`, so they are delivered like any platform event.
   */
  kafkaOperationalTopic: string;
  kafkaDeadLetterTopic: string;
  kafkaClientId: string;
  /** KAFKA_SSL=true: TLS to the brokers, with the PEM files read at start-up; undefined: plain TCP. */
  kafkaSsl?: KafkaTlsSettings;
  /** KAFKA_SASL_*: authentication to the brokers; undefined: none. Its password is never logged. */
  kafkaSasl?: KafkaSaslSettings;
  /**
   * How the api verifies bearer tokens (AUTH_JWT_*). Resolved when first read (AuthModule) unless
   * loadConfig was asked for it (`tokens`); the worker never reads it. See loadConfig.
   */
  auth: AuthSettings;
  /** LOCAL_MODE, or NODE_ENV development/test: missing keys are generated under localStateDir/keys. */
  localMode: boolean;
  /**
   * The keys that encrypt webhook secrets at rest (SECRETS_ENCRYPTION_KEY), newest first; it never
   * shows a key when logged.
   */
  secretsKeyring: SecretsKeyring;
  webhooksAllowHttp: boolean;
  deliveryAllowedCidrs: string[];
  /**
   * DELIVERY_EGRESS_IPS: the IPs and CIDRs receivers should allow, as written; announced by the api
   * and the admin page only (nothing here picks the source address). Empty: none announced.
   */
  deliveryEgressIps: string[];
  deliveryTimeoutMs: number;
  /** One DNS lookup of a receiver's host name (both families, retransmissions included). */
  deliveryDnsTimeoutMs: number;
  /** The longest a receiver's DNS answer is reused, below its TTL; 0: not at all. */
  deliveryDnsCacheSeconds: number;
  /** DNS servers (`ip` or `ip:port`) for receivers' names; undefined: the system's (resolv.conf). */
  deliveryDnsServers?: string[];
  /**
   * The content of DELIVERY_TLS_CA_FILE, read at start-up: CA certificates (PEM) trusted for
   * receivers in addition to Node's root certificates, e.g. a company CA or a test receiver's.
   */
  deliveryTlsCaPem?: string;
  secretRotationGraceHours: number;
  /** How long a POST's outcome is kept for replay under its Idempotency-Key. */
  idempotencyKeyTtlHours: number;
  /** An endpoint whose every attempt failed for this long is deactivated automatically. */
  deliveryDisableAfterHours: number;
  /**
   * Finished deliveries (with their attempts) and the platform events kept for deduplication are
   * pruned this many days after they were created or received.
   */
  deliveryRetentionDays: number;
  /** HTTP requests in flight at once, over all endpoints, per worker. */
  deliveryConcurrency: number;
  /** HTTP requests in flight at once to one webhook, so a slow endpoint cannot starve the others. */
  deliveryConcurrencyPerEndpoint: number;
  /** The longest `Retry-After` (429/503) that is honoured; longer asks are capped to it. */
  deliveryMaxRetryAfterSeconds: number;
  /** How often a worker looks for due retries and manual sends in the delivery queue. */
  deliveryQueuePollIntervalMs: number;
  /** The Kafka consumer group that the workers share. */
  kafkaConsumerGroup: string;
  /** HTTP requests in flight at once to one receiving host (URL host name), per worker. */
  deliveryConcurrencyPerHost: number;
  /** Deliveries held in memory at most (running, waiting, being recorded) before intake pauses. */
  deliveryMaxInMemory: number;
  /** Platform event bytes held in memory at most before intake pauses. */
  deliveryMaxInMemoryBytes: number;
  /** Larger platform events (their Kafka value) are dead-lettered. */
  platformEventMaxBytes: number;
  /** `strict`: an event whose `data` breaks its type's JSON Schema is dead-lettered; `off`: no check. */
  platformEventValidation: 'strict' | 'off';
  /** How long SIGTERM lets in-flight work drain before the process hands the rest back and exits. */
  shutdownGraceMs: number;
  workerHealthPort: number;
  /** The bearer token /metrics asks for; undefined: it asks for none. Never log it. */
  metricsToken?: string;
  /** The port /metrics is served on instead of the app's own; undefined: the app's own. */
  metricsPort?: number;
  /** Strict-Transport-Security max-age (seconds) sent with every answer; undefined: not sent. */
  httpHstsMaxAge?: number;
  projectionPollIntervalMs: number;
  /**
   * How long a durable projection's writer lease lasts unrenewed: after a crash of the api that
   * writes a projection, another api takes over within this time (renewed every third of it).
   */
  projectionLeaseTtlMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  localStateDir: string;
  /**
   * The built admin page (ADMIN_UI_DIR, an absolute path): index.html and assets/, served by the api
   * under /admin. Not checked here: the api starts without it and answers 503 there.
   */
  adminUiDir: string;
  /** Which settings fell back to local defaults, for a start-up notice (names only, no values). */
  localDefaults: string[];
}

/** TLS to Kafka. Without caPem the brokers' certificates must chain to Node's root CAs. */
export interface KafkaTlsSettings {
  /** KAFKA_SSL_CA_FILE's content: the CA certificates (PEM) trusted for the brokers, instead of Node's. */
  caPem?: string;
  /** KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE's content: a client certificate (mutual TLS). */
  certPem?: string;
  keyPem?: string;
}

/** SASL to Kafka. `password` is not enumerable: JSON.stringify and util.inspect leave it out. */
export interface KafkaSaslSettings {
  mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain';
  username: string;
  /** A secret: never log it. */
  readonly password: string;
}

export const DEFAULT_KAFKA_TOPICS = [
  'platform.licenses',
  'platform.activations',
  'platform.products',
  'platform.contracts',
  'platform.telemetry',
];
