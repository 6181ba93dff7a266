import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import mongoose, { Connection } from 'mongoose';
import { AppConfig } from '@app/config';
import { DATABASE_CONNECTION } from './database.tokens';

/** Opens one mongoose connection for the app, and closes it on shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: DATABASE_CONNECTION,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<Connection> => {
        const logger = new Logger('Database');
        const connection = mongoose.createConnection(config.mongodbUri, {
          serverSelectionTimeoutMS: 10_000,
          maxPoolSize: 50,
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
  ],
  exports: [DATABASE_CONNECTION],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE_CONNECTION) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/** The URI without its password, for logs. */
export function redact(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
