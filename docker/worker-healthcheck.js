// Container healthcheck of the worker: healthy while its heartbeat file is fresher than 30 s
// (apps/worker/src/heartbeat.ts touches it every 10 s while the event loop turns).
const { statSync } = require('node:fs');
const file = process.env.WORKER_HEARTBEAT_FILE || '/tmp/jicai-worker.alive';
try {
  process.exit(Date.now() - statSync(file).mtimeMs <= 30000 ? 0 : 1);
} catch {
  process.exit(1);
}
