import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { logLevelsUpTo, runApp } from '@app/platform';
import { ApiModule } from './api.module';
import { configureApi } from './configure-api';

void runApp(
  'api',
  async (config) =>
    configureApi(await NestFactory.create(ApiModule, { logger: logLevelsUpTo(config.logLevel) })),
  (config) => config.port,
  // The api verifies bearer tokens: their keys are checked at start-up with the others.
  { drainHttp: true, verifiesTokens: true },
);
