import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { SecretBox } from './secret-box';

/** Provides a SecretBox on AppConfig.secretsKeyring everywhere (inject it by class). */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new SecretBox(config.secretsKeyring),
    },
  ],
  exports: [SecretBox],
})
export class CryptoModule {}
