import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Secrets generated for one machine when the environment gives none (never in production). */
export interface LocalSecrets {
  jwtSecret: string;
  /** 32 bytes, base64: the BID_SEALING_KEY format. */
  bidSealingKey: string;
}

/** The project root: the nearest directory above this file that holds package.json. */
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** `JICAI_SECRETS_FILE`, else `.jicai/secrets.json` beside package.json. */
export function localSecretsPath(env: NodeJS.ProcessEnv): string {
  const given = env.JICAI_SECRETS_FILE;
  return given ? resolve(given) : join(projectRoot(), '.jicai', 'secrets.json');
}

function parse(path: string): LocalSecrets {
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) throw new Error(`${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 ${path}`);
  let v: Partial<LocalSecrets>;
  try {
    v = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new Error(`${path} is not valid JSON; restore it (bids sealed under its key open only with it) or set JWT_SECRET and BID_SEALING_KEY`);
  }
  if (typeof v.jwtSecret !== 'string' || typeof v.bidSealingKey !== 'string')
    throw new Error(`${path} lacks jwtSecret or bidSealingKey; restore it or set JWT_SECRET and BID_SEALING_KEY`);
  return { jwtSecret: v.jwtSecret, bidSealingKey: v.bidSealingKey };
}

/**
 * Reads the local secrets file, creating it on first use. api and worker may start at the same
 * moment: each writes a complete candidate to a private temporary file and links it to the final
 * name, which fails if the name exists; the loser reads the winner's file, so both processes
 * (and every restart) use the same secrets. Directory 0700, file 0600.
 */
export function loadOrCreateLocalSecrets(path: string, logger?: { warn(m: string): unknown }): LocalSecrets {
  if (existsSync(path)) return parse(path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const candidate: LocalSecrets = { jwtSecret: randomBytes(48).toString('base64'), bidSealingKey: randomBytes(32).toString('base64') };
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(candidate, null, 2) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  try {
    linkSync(tmp, path);
    logger?.warn(`JWT_SECRET / BID_SEALING_KEY not set: generated local development secrets in ${path} (keep it: bids sealed under its key open only with it)`);
    return candidate;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return parse(path);
  } finally {
    unlinkSync(tmp);
  }
}
