import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@jicai/common';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger('Worker', { json: true });
  try {
    loadConfig(process.env, logger);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger });
  app.enableShutdownHooks();
  logger.log('worker started');
}

void bootstrap();
