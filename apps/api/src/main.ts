import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@jicai/common';
import { ApiModule } from './api.module';
import { configureApi } from './app.factory';
import { serveWebConsole } from './web-console';

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger('Jicai', { json: true });
  let port: number;
  try {
    port = loadConfig(process.env, logger).port;
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const app = await NestFactory.create(ApiModule, { logger });
  configureApi(app);
  serveWebConsole(app);
  await app.listen(port);
  // Behind a proxy that keeps upstream connections open (docker/compose.scale.yml's nginx),
  // idle sockets must outlive the proxy's keepalive, or a request is sent on a socket the
  // api is just closing (Node's default is 5 s).
  Object.assign(app.getHttpServer(), { keepAliveTimeout: 65_000, headersTimeout: 66_000 });
  logger.log(`api listening on :${port} (OpenAPI at /docs)`);
}

void bootstrap();
