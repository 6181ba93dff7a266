import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { runApp } from '@app/platform';
import { ApiModule } from './api.module';
import { configureApi } from './configure-api';

void runApp(
  'api',
  async () => configureApi(await NestFactory.create(ApiModule)),
  (config) => config.port,
);
