import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Bid sealing (domain.md section 4): price and capacity are stored only encrypted with
 * AES-256-GCM under the deployment's key (BID_SEALING_KEY), which never enters the database.
 * GCM authenticates as well as hides, so a ciphertext altered in the database fails to
 * unseal instead of yielding a different price.
 */

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12; // the GCM standard nonce size
const TAG_BYTES = 16; // full-length tag

/** What a sealed bid hides until opening. */
export interface SealedContent {
  /** pack price as entered, a decimal string with at most 2 decimals */
  packPrice: string;
  /** measure units per year */
  supplyCapacity: number;
}

export interface Sealed {
  /** base64 of iv (12 bytes) | auth tag (16 bytes) | ciphertext */
  ciphertext: string;
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
 * Seals a bid's price and capacity with a fresh random IV (a GCM IV must never repeat under
 * one key). `associatedData`, if given (e.g. the bid id), is authenticated but not encrypted,
 * and must be given again, identical, to unseal.
 */
export function seal(plain: SealedContent, key: Buffer, associatedData?: string): Sealed {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.from(JSON.stringify({ packPrice: plain.packPrice, supplyCapacity: plain.supplyCapacity }), 'utf8');
  const ct = Buffer.concat([cipher.update(body), cipher.final()]);
  return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64') };
}

/** Opens a sealed bid; throws when the ciphertext was altered or the key (or associated data) is wrong. */
export function unseal(ciphertext: string, key: Buffer, associatedData?: string): SealedContent {
  checkKey(key);
  const raw = Buffer.from(ciphertext, 'base64');
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
