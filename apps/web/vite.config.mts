import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react-swc';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const lib = (path: string) => fileURLToPath(new URL(`../../libs/${path}`, import.meta.url));

// The console runs the server's own pure rule code (the live UCP of a bid as it is typed):
// those modules import only decimal.js and each other, so their library names resolve to the
// pure files here, never to the libraries' Nest modules.
const pureRules = [
  { find: /^@jicai\/common$/, replacement: lib('common/src/money.ts') },
  { find: /^@jicai\/catalog$/, replacement: lib('catalog/src/catalog.rules.ts') },
  { find: /^node:crypto$/, replacement: fileURLToPath(new URL('./src/shims/node-crypto.ts', import.meta.url)) },
];

// The console is built into dist/web, which the api serves at / (same origin: no CORS).
// `npm run dev:web` serves it with a proxy to the api on :3000.
export default defineConfig({
  root,
  plugins: [react()],
  resolve: { alias: pureRules },
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000', '/docs': 'http://localhost:3000' },
  },
});
