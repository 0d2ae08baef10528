import { mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, startHeartbeat } from './heartbeat';

describe('worker heartbeat (container healthcheck)', () => {
  it('is alive while it beats, and not once the file is older than the limit or missing', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hb-')), 'alive');
    expect(isAlive(file)).toBe(false); // never started
    const stop = startHeartbeat(file, 60_000);
    expect(isAlive(file)).toBe(true);
    stop();
    const old = new Date(Date.now() - 31_000);
    utimesSync(file, old, old); // a worker that stopped beating 31 s ago
    expect(isAlive(file, 30_000)).toBe(false);
    expect(isAlive(file, 60_000)).toBe(true);
  });
});
