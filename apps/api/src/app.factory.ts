import { INestApplication } from '@nestjs/common';
import helmet from 'helmet';
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

/**
 * Security headers for every answer (issue 8): nosniff, no framing (frame-ancestors 'none' and
 * X-Frame-Options DENY), no Referer off-site, and a CSP a same-origin console can live with:
 * scripts only from this origin (no inline script), styles from this origin plus inline styles
 * (Ant Design and Swagger UI set style attributes and <style> elements at run time), images and
 * fonts from this origin or data: URLs, fetch/XHR to this origin only. Swagger UI at /docs loads
 * its scripts from files, so it works under the same policy. No upgrade-insecure-requests: a
 * plain-http localhost deployment must keep loading its own assets.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

/** Global prefix, security headers, validation and OpenAPI: shared by main.ts and the e2e tests. */
export function configureApi(app: INestApplication): void {
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
