import { INestApplication, Logger, LogLevel } from '@nestjs/common';
import type { Server } from 'node:http';
import { AppConfig, ConfigurationError, loadConfig } from '@app/config';
import { DRAIN_ORDER, GracefulShutdown } from '../lifecycle/graceful-shutdown';
import { closeHttpServer } from './close-http-server';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
/** Closing connections and stores after the drain; past it the process exits anyway. */
const CLOSE_MARGIN_MS = 5_000;

/** Nest's logger levels for LOG_LEVEL: that level and every more severe one. */
export function logLevelsUpTo(level: AppConfig['logLevel']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

export interface RunAppOptions {
  /**
   * The app serves requests (the api): on SIGTERM it stops accepting connections at once and lets
   * the requests in flight finish. Otherwise (the worker) its HTTP port keeps answering probes
   * and /metrics until the end of the drain.
   */
  drainHttp?: boolean;
  /**
   * The app verifies bearer tokens (the api): the AUTH_JWT_* settings are resolved at start-up with
   * the rest, so one error names every missing key. The worker has none: it never needs a token key.
   */
  verifiesTokens?: boolean;
}

/** The local defaults that are keys: generated (local mode only) and kept under the state folder. */
const LOCAL_KEYS = ['AUTH_JWT_SECRET', 'SECRETS_ENCRYPTION_KEY'];

/**
 * Starts an app, turning a configuration error into one clear message and exit code 78 (EX_CONFIG)
 * instead of a stack trace, and other start-up failures into exit code 1.
 *
 * Stops it gracefully on SIGTERM or SIGINT: readiness fails at once, the app's drain steps run in
 * order (stop intake, finish in-flight work, make it durable, hand back the rest) within
 * SHUTDOWN_GRACE_MS, then Nest's shutdown hooks close connections and the process exits 0. A
 * second signal exits at once (130).
 */
export async function runApp(
  name: string,
  create: (config: AppConfig) => Promise<INestApplication>,
  port: (config: AppConfig) => number,
  options: RunAppOptions = {},
): Promise<void> {
  const logger = new Logger(name);
  let app: INestApplication;
  let config: AppConfig;
  try {
    config = loadConfig(process.env, { tokens: options.verifiesTokens });
    if (config.localDefaults.length > 0) {
      const keys = config.localDefaults.filter((name) => LOCAL_KEYS.includes(name));
      const where =
        keys.length > 0
          ? `; local mode: ${keys.join(' and ')} generated under ${config.localStateDir}/keys, never for production`
          : '';
      logger.log(
        `using local defaults for ${config.localDefaults.join(', ')} (set them to use your own${where})`,
      );
      if (config.localDefaults.includes('AUTH_JWT_SECRET')) {
        logger.log('mint a token for the local key: npm run token -- --role admin --sub <you>');
      }
    }
    app = await create(config);
    await app.listen(port(config), '0.0.0.0');
    logger.log(`listening on ${await app.getUrl()}`);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exit(78);
    }
    logger.error(`failed to start: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  }

  const graceMs = config.shutdownGraceMs;
  if (options.drainHttp) {
    const server = app.getHttpServer() as Server;
    app.get(GracefulShutdown).register({
      name: 'http: stop accepting, finish requests in flight',
      order: DRAIN_ORDER.stopIntake,
      run: (deadline) => closeHttpServer(server, deadline),
    });
  }
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting without finishing the drain`);
      process.exit(130);
    }
    stopping = true;
    const started = Date.now();
    logger.log(`${signal}: draining for up to ${graceMs} ms`);
    // Whatever hangs, the process is gone shortly after its grace period.
    setTimeout(() => {
      logger.error(`still stopping ${graceMs + CLOSE_MARGIN_MS} ms after ${signal}: exiting`);
      process.exit(1);
    }, graceMs + CLOSE_MARGIN_MS).unref();
    await app.get(GracefulShutdown).drain(graceMs, started);
    await app.close().catch((error: Error) => logger.error(`closing failed: ${error.message}`));
    logger.log(`stopped ${Date.now() - started} ms after ${signal}`);
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (s) => void stop(s));
}
