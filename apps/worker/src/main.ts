import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { runApp } from '@app/platform';
import { WorkerModule } from './worker.module';

void runApp(
  'worker',
  () => NestFactory.create(WorkerModule),
  (config) => config.workerHealthPort,
);
