import { INestApplication, Logger } from '@nestjs/common';
import { ConfigurationError, loadConfig } from '@app/config';

/**
 * Starts an app, turning a configuration error into one clear message and exit code 78 (EX_CONFIG)
 * instead of a stack trace, and other start-up failures into exit code 1.
 */
export async function runApp(
  name: string,
  create: () => Promise<INestApplication>,
  port: (config: ReturnType<typeof loadConfig>) => number,
): Promise<void> {
  const logger = new Logger(name);
  try {
    const config = loadConfig();
    if (config.localDefaults.length > 0) {
      logger.log(
        `using local defaults for ${config.localDefaults.join(', ')} (set them to use your own; keys live under ${config.localStateDir}/keys)`,
      );
    }
    const app = await create();
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
