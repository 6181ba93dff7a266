import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { logLevelsUpTo, runApp } from '@app/platform';
import { WorkerModule } from './worker.module';

void runApp(
  'worker',
  (config) => NestFactory.create(WorkerModule, { logger: logLevelsUpTo(config.logLevel) }),
  (config) => config.workerHealthPort,
);
