import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@jicai/common';
import { startHeartbeat } from './heartbeat';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger('Worker', { json: true });
  let heartbeatFile: string | null;
  try {
    heartbeatFile = loadConfig(process.env, logger).workerHeartbeatFile;
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger });
  app.enableShutdownHooks();
  // Liveness for container healthchecks (docker/worker-healthcheck.js), only where asked for.
  if (heartbeatFile) startHeartbeat(heartbeatFile);
  logger.log('worker started');
}

void bootstrap();
