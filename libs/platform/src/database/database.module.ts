import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import mongoose, { Connection } from 'mongoose';
import { AppConfig } from '@app/config';
import { DATABASE_CONNECTION } from './database.tokens';
import { MonitorWatchdog } from './monitor-watchdog';

/**
 * How the app's client watches and reaches the database. A server that stops answering is noticed
 * within a heartbeat (5 s), an unreachable one fails a connect within 10 s; idle connections older
 * than a minute are dropped, so none left over from before a database restart is handed out.
 */
export const DATABASE_CLIENT_OPTIONS = {
  serverSelectionTimeoutMS: 10_000,
  heartbeatFrequencyMS: 5_000,
  connectTimeoutMS: 10_000,
  maxIdleTimeMS: 60_000,
  maxPoolSize: 50,
} as const;

const WATCHDOG = Symbol('DATABASE_MONITOR_WATCHDOG');

/** Opens one mongoose connection for the app (watched by a MonitorWatchdog), and closes it on shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: DATABASE_CONNECTION,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<Connection> => {
        const logger = new Logger('Database');
        const connection = mongoose.createConnection(config.mongodbUri, {
          ...DATABASE_CLIENT_OPTIONS,
          autoIndex: false,
        });
        await connection.asPromise();
        logger.log(
          config.embeddedDatabase
            ? `connected to the embedded local database (MONGODB_URI unset): ${redact(config.mongodbUri)}`
            : `connected to ${redact(config.mongodbUri)}`,
        );
        return connection;
      },
    },
    {
      provide: WATCHDOG,
      inject: [DATABASE_CONNECTION],
      useFactory: (connection: Connection): MonitorWatchdog => {
        const watchdog = new MonitorWatchdog(connection.getClient(), DATABASE_CLIENT_OPTIONS);
        watchdog.start();
        return watchdog;
      },
    },
  ],
  exports: [DATABASE_CONNECTION],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE_CONNECTION) private readonly connection: Connection,
    @Inject(WATCHDOG) private readonly watchdog: MonitorWatchdog,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.watchdog.stop();
    await this.connection.close();
  }
}

/** The URI without its password, for logs. */
export function redact(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
