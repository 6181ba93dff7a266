import { Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { DATABASE_CONNECTION } from '@app/platform';
import { WebhookSecrets } from '../application/webhook-secrets';
import { MongoWebhookSecretStore, WEBHOOK_SECRET_STORE } from './webhook-secret-store';

/**
 * The webhook secrets (WebhookSecrets) over the `webhook_secrets` store, for the api (seal,
 * reveal, shred) and the worker (decrypt to sign). Needs DatabaseModule, CryptoModule and the
 * event store's CLOCK, which the apps provide globally.
 */
@Module({
  providers: [
    {
      provide: WEBHOOK_SECRET_STORE,
      inject: [DATABASE_CONNECTION],
      useFactory: async (connection: Connection) => {
        const store = new MongoWebhookSecretStore(connection);
        await store.ensureIndexes();
        return store;
      },
    },
    WebhookSecrets,
  ],
  exports: [WebhookSecrets],
})
export class WebhookSecretsModule {}
