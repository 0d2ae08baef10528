import { closeSync, openSync, statSync, utimesSync } from 'node:fs';

/**
 * The worker's liveness for a container healthcheck (docker/compose.yml): while its event loop
 * turns, it touches a file every `everyMs`; `isAlive` says whether the file is fresher than
 * `maxAgeMs`. A worker stuck on a blocked loop or gone stops touching it.
 */
export function startHeartbeat(file: string, everyMs = 10_000): () => void {
  const beat = () => {
    const now = new Date();
    try {
      utimesSync(file, now, now);
    } catch {
      closeSync(openSync(file, 'a'));
    }
  };
  beat();
  const timer = setInterval(beat, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export function isAlive(file: string, maxAgeMs = 30_000, now = Date.now()): boolean {
  try {
    return now - statSync(file).mtimeMs <= maxAgeMs;
  } catch {
    return false;
  }
}
