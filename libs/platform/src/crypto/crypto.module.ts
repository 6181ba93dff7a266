import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { SecretBox } from './secret-box';

/** Provides a SecretBox keyed with AppConfig.secretsEncryptionKey everywhere (inject it by class). */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new SecretBox(config.secretsEncryptionKey),
    },
  ],
  exports: [SecretBox],
})
export class CryptoModule {}
