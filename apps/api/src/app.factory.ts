import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createValidationPipe } from '@jicai/common';

export const API_PREFIX = 'api/v1';

/** Global prefix, validation and OpenAPI: shared by main.ts and the e2e tests. */
export function configureApi(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Jicai API')
      .setDescription('Volume-based drug procurement (带量采购): batches, bids, evaluation, allocation, prepayment, settlement')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json' });
}
