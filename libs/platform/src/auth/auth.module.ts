import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import { accessTokenJwtOptions } from './access-token-keys';
import { JwtAuthGuard } from './jwt-auth.guard';

/**
 * Bearer-token auth for every HTTP route: JwtAuthGuard as the global guard and JwtService (keys
 * from AppConfig.auth: AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWT_JWKS_FILE) for whoever
 * needs it. Needs AppConfig (ConfigModule). Only the api imports it: reading AppConfig.auth here is
 * what resolves the token settings; the worker never does.
 */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => accessTokenJwtOptions(config.auth),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }],
  exports: [JwtModule],
})
export class AuthModule {}
