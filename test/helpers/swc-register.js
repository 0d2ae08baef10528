/**
 * Lets a plain `node` process run the TypeScript sources directly, the way jest does (same
 * @swc/core options as package.json's jest transform), so e2e tests can start the real
 * worker as a separate OS process: `node --require ./test/helpers/swc-register.js apps/worker/src/main.ts`.
 * '@jicai/<lib>[/<path>]' resolves to libs/<lib>/src[/<path>] (tsconfig paths).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..', '..');

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request.startsWith('@jicai/')) {
    const [, lib, ...sub] = request.split('/');
    request = path.join(root, 'libs', lib, 'src', ...sub);
  }
  return resolve.call(this, request, ...rest);
};

Module._extensions['.ts'] = function (module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
