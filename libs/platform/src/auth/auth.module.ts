import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import { ACCESS_TOKEN_ALGORITHM } from './access-token';
import { JwtAuthGuard } from './jwt-auth.guard';

/**
 * Bearer-token auth for every HTTP route: JwtAuthGuard as the global guard and JwtService (HS256,
 * AppConfig.authJwtSecret) for whoever needs it. Needs AppConfig (ConfigModule) to be available.
 */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.authJwtSecret,
        signOptions: { algorithm: ACCESS_TOKEN_ALGORITHM },
        verifyOptions: { algorithms: [ACCESS_TOKEN_ALGORITHM] },
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }],
  exports: [JwtModule],
})
export class AuthModule {}
