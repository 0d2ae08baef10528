import { INestApplication, Logger } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npm run build:web` writes the console (vite's outDir); WEB_DIST overrides it. */
export function webConsoleDir(): string {
  return resolve(process.env.WEB_DIST ?? join(process.cwd(), 'dist', 'web'));
}

/**
 * Serves the built web console at / from the api's own origin (no CORS; the CSP allows
 * 'self'): static files as they are, and every other GET that is not the API or the OpenAPI
 * document falls back to index.html, so the console's client-side routes survive a reload.
 * Hashed assets are cached for a year; index.html never (a new build is seen at once).
 */
export function serveWebConsole(app: INestApplication, dir = webConsoleDir()): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    new Logger('Jicai').warn(`web console not built (${index} missing): run npm run build:web`);
    return false;
  }
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  http.use(express.static(dir, { index: false, maxAge: 0 }));
  http.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path.startsWith('/api/') || req.path === '/api' || req.path.startsWith('/docs')) return next();
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
