// `npm start` builds the web console only when it is missing or older than its sources, so a
// restart after a server-only change does not pay for a console build.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist/web/index.html');
const sources = [
  join(root, 'apps/web'),
  join(root, 'libs/bidding/src/bidding.rules.ts'),
  join(root, 'libs/catalog/src/catalog.rules.ts'),
  join(root, 'libs/common/src/money.ts'),
  join(root, 'package-lock.json'),
];

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(path)) if (e !== 'node_modules' && e !== 'dist') m = Math.max(m, newest(join(path, e)));
  return m;
}

const built = existsSync(out) ? statSync(out).mtimeMs : 0;
if (built < Math.max(...sources.filter(existsSync).map(newest))) {
  console.log('building the web console (apps/web → dist/web)');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(root, 'apps/web/vite.config.mts'), '--logLevel', 'warn'],
    { stdio: 'inherit' },
  );
}
