import { extname, join } from 'node:path';
import { ConfigError, loadConfig } from '@jicai/common';
import { runMigrations } from './migrate';
import { Supervisor } from './supervisor';

/**
 * `npm start`: validates configuration, creates the database if missing, runs migrations,
 * then runs the api and one worker as two processes under a Supervisor: a child that dies
 * is logged and restarted with backoff, and the other keeps running.
 */
async function main(): Promise<void> {
  try {
    // First: outside production this creates the local secrets file before api and worker start.
    loadConfig(process.env, console);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  await runMigrations();
  // Compiled: dist/apps/platform/src/main.js forks the .js files; run from source (tests), the .ts ones.
  const ext = extname(__filename);
  const supervisor = new Supervisor([
    { name: 'api', modulePath: join(__dirname, `../../api/src/main${ext}`) },
    { name: 'worker', modulePath: join(__dirname, `../../worker/src/main${ext}`) },
  ]);
  supervisor.start();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void supervisor.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
