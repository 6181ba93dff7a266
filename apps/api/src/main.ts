import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { runApp } from '@app/platform';
import { ApiModule } from './api.module';

void runApp(
  'api',
  async () => {
    const app = await NestFactory.create(ApiModule, { bufferLogs: false });
    app.setGlobalPrefix('api/v1', { exclude: ['health', 'metrics'] });
    return app;
  },
  (config) => config.port,
);
