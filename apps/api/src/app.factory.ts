import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { completeDocument, createValidationPipe, ErrorResponseDto, operationIdOf } from '@jicai/common';

export const API_PREFIX = 'api/v1';

/**
 * The OpenAPI document of the api (served at /docs-json; libs/api-client is generated from it
 * by `npm run client`). Needs the app's modules only, not a database: `NestFactory.create(ApiModule,
 * { preview: true })` is enough (scripts/api-client.ts).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Jicai API')
      .setDescription('Volume-based drug procurement (带量采购): batches, bids, evaluation, allocation, prepayment, settlement')
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { operationIdFactory: operationIdOf, extraModels: [ErrorResponseDto] },
  );
  return completeDocument(doc);
}

/** Global prefix, validation and OpenAPI: shared by main.ts and the e2e tests. */
export function configureApi(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
