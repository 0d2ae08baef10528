import { Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { compare as bcryptCompare } from 'bcryptjs';
import { AppConfig } from '@jicai/common';

/**
 * argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane): the `argon2` package runs it
 * on libuv's threadpool, so hashing never blocks the event loop.
 */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Hashes made before argon2id (bcryptjs, `$2a$`/`$2b$`/`$2y$`): verified, then replaced at login. */
const BCRYPT_RE = /^\$2[aby]\$\d\d\$/;

@Injectable()
export class PasswordHasher implements OnModuleInit {
  constructor(private readonly config: AppConfig) {}

  /**
   * libuv's threadpool also serves fs, dns.lookup (a database or Redis host name) and zlib: at most
   * half of it hashes at once (config.passwordHashConcurrency), so a login storm queues its hashes
   * here instead of starving those.
   */
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.config.passwordHashConcurrency) await new Promise<void>((r) => this.waiting.push(r));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** A hash of a random password with the current cost: unknown users are checked against it, so they take as long as known ones. */
  private dummyHash?: Promise<string>;

  onModuleInit(): void {
    this.dummyHash = argon2.hash(`unknown-user-${Math.random()}-${Date.now()}`, ARGON2_OPTIONS);
  }

  hash(password: string): Promise<string> {
    return this.limited(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  /**
   * Checks a password against a stored hash, or against the dummy hash when there is no user,
   * spending the same argon2id work either way. `rehash` says the stored hash should be replaced
   * (bcrypt, or argon2 with other parameters).
   */
  async verify(stored: string | null | undefined, password: string): Promise<{ ok: boolean; rehash: boolean }> {
    // No user, or one awaiting activation (no password yet): the same work, and no.
    if (!stored) {
      const dummy = await (this.dummyHash ??= argon2.hash('unknown-user', ARGON2_OPTIONS));
      await this.limited(() => argon2.verify(dummy, password)).catch(() => false);
      return { ok: false, rehash: false };
    }
    if (BCRYPT_RE.test(stored)) {
      // bcryptjs only verifies hashes made before argon2id; the next successful login replaces them.
      return { ok: await bcryptCompare(password, stored), rehash: true };
    }
    // A malformed stored hash verifies nothing.
    const ok = await this.limited(() => argon2.verify(stored, password)).catch(() => false);
    return { ok, rehash: ok && argon2.needsRehash(stored, ARGON2_OPTIONS) };
  }
}
