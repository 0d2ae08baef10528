import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DEFAULT_SEALING_KEY_ID, SEALING_KEY_ID, SealingKeyRing } from '@jicai/common';

/**
 * Bid sealing (domain.md section 4): price and capacity are stored only encrypted with
 * AES-256-GCM under the deployment's key (BID_SEALING_KEY), which never enters the database.
 * GCM authenticates as well as hides, so a ciphertext altered in the database fails to
 * unseal instead of yielding a different price.
 *
 * The plaintext is padded to a fixed length, so the ciphertext's length says nothing about
 * the digits of price or capacity; and the ciphertext names the id of the key that sealed
 * it (`<keyId>:<base64>`), so keys can rotate while old bids still open. A ciphertext
 * without an id predates rotation and was sealed by the key `default`.
 */

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12; // the GCM standard nonce size
const TAG_BYTES = 16; // full-length tag
/** Every plaintext is padded with spaces to this length (JSON ignores trailing white space). */
export const SEALED_PLAINTEXT_BYTES = 128;

/** What a sealed bid hides until opening. */
export interface SealedContent {
  /** pack price as entered, a decimal string with at most 2 decimals */
  packPrice: string;
  /** measure units per year */
  supplyCapacity: number;
}

export interface Sealed {
  /** `<keyId>:` then base64 of iv (12 bytes) | auth tag (16 bytes) | ciphertext (128 bytes) */
  ciphertext: string;
}

/** A single key is a ring of one, id `default`. */
export type SealingKeys = Buffer | SealingKeyRing;

function ringOf(keys: SealingKeys): SealingKeyRing {
  if (Buffer.isBuffer(keys)) return { currentId: DEFAULT_SEALING_KEY_ID, keys: new Map([[DEFAULT_SEALING_KEY_ID, keys]]) };
  return keys;
}

/** The id of the key that sealed this ciphertext. */
export function keyIdOf(ciphertext: string): string {
  const colon = ciphertext.indexOf(':');
  if (colon < 0) return DEFAULT_SEALING_KEY_ID;
  const id = ciphertext.slice(0, colon);
  if (!SEALING_KEY_ID.test(id)) throw new Error('sealed bid names no valid key id');
  return id;
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// Section 4: AES-256 needs exactly 32 bytes; a shorter or mistyped key must stop the app
// at start rather than seal with something weaker.
export function parseSealingKey(base64: string): Buffer {
  const s = base64.trim();
  if (s === '' || !BASE64_RE.test(s)) throw new Error('BID_SEALING_KEY must be base64');
  const key = Buffer.from(s, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(`BID_SEALING_KEY must decode to exactly ${KEY_BYTES} bytes, got ${key.length}`);
  }
  return key;
}

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw new Error(`sealing key must be ${KEY_BYTES} bytes`);
}

/**
 * Seals a bid's price and capacity under the ring's current key, with a fresh random IV (a
 * GCM IV must never repeat under one key). `associatedData`, if given (e.g. the bid id), is
 * authenticated but not encrypted, and must be given again, identical, to unseal.
 */
export function seal(plain: SealedContent, keys: SealingKeys, associatedData?: string): Sealed {
  const ring = ringOf(keys);
  const key = ring.keys.get(ring.currentId)!;
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const json = Buffer.from(JSON.stringify({ packPrice: plain.packPrice, supplyCapacity: plain.supplyCapacity }), 'utf8');
  if (json.length > SEALED_PLAINTEXT_BYTES) throw new Error(`sealed bid content is longer than ${SEALED_PLAINTEXT_BYTES} bytes`);
  const body = Buffer.concat([json, Buffer.alloc(SEALED_PLAINTEXT_BYTES - json.length, ' ')]);
  const ct = Buffer.concat([cipher.update(body), cipher.final()]);
  return { ciphertext: `${ring.currentId}:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}` };
}

/** Opens a sealed bid with the key it names; throws when the ciphertext was altered, or the key (or associated data) is wrong or missing. */
export function unseal(ciphertext: string, keys: SealingKeys, associatedData?: string): SealedContent {
  const id = keyIdOf(ciphertext);
  const key = ringOf(keys).keys.get(id);
  if (!key) throw new Error(`sealed bid was sealed by key ${id}, which is not configured`);
  checkKey(key);
  const raw = Buffer.from(ciphertext.slice(ciphertext.indexOf(':') + 1), 'base64');
  if (raw.length <= IV_BYTES + TAG_BYTES) throw new Error('sealed bid is too short');
  const iv = raw.subarray(0, IV_BYTES);
  const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const ct = raw.subarray(IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  // final() throws "Unsupported state or unable to authenticate data" on any alteration
  const body = Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  const parsed: unknown = JSON.parse(body);
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as SealedContent).packPrice !== 'string' ||
    typeof (parsed as SealedContent).supplyCapacity !== 'number'
  ) {
    throw new Error('sealed bid has an unexpected shape');
  }
  const { packPrice, supplyCapacity } = parsed as SealedContent;
  return { packPrice, supplyCapacity };
}
