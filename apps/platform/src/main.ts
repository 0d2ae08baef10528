import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@jicai/common';
import { runMigrations } from './migrate';

/**
 * `npm start`: validates configuration, creates the database if missing, runs migrations,
 * then runs the api and one worker as two processes, and stops both if either dies.
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
  const children: ChildProcess[] = [
    fork(join(__dirname, '../../api/src/main.js'), { stdio: 'inherit' }),
    fork(join(__dirname, '../../worker/src/main.js'), { stdio: 'inherit' }),
  ];
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    setTimeout(() => process.exit(code), 5000).unref();
  };
  for (const c of children) c.on('exit', (code) => stop(code ?? 1));
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
