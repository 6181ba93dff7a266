import { INestApplication, Logger, LogLevel } from '@nestjs/common';
import { AppConfig, ConfigurationError, loadConfig } from '@app/config';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's logger levels for LOG_LEVEL: that level and every more severe one. */
export function logLevelsUpTo(level: AppConfig['logLevel']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/**
 * Starts an app, turning a configuration error into one clear message and exit code 78 (EX_CONFIG)
 * instead of a stack trace, and other start-up failures into exit code 1.
 */
export async function runApp(
  name: string,
  create: (config: AppConfig) => Promise<INestApplication>,
  port: (config: AppConfig) => number,
): Promise<void> {
  const logger = new Logger(name);
  try {
    const config = loadConfig();
    if (config.localDefaults.length > 0) {
      logger.log(
        `using local defaults for ${config.localDefaults.join(', ')} (set them to use your own; keys live under ${config.localStateDir}/keys)`,
      );
      if (config.localDefaults.includes('AUTH_JWT_SECRET')) {
        logger.log('mint a token for the local key: npm run token -- --role admin --sub <you>');
      }
    }
    const app = await create(config);
    app.enableShutdownHooks();
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
}
