import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { DEFAULT_SEALING_KEY_ID, Dec, Decimal, PRICE_DP, SealingKeyRing } from '@jicai/common';
import { receiptOf, validateCapacity, validatePackPrice } from './bidding.rules';
import { keyIdOf, seal, unseal } from './sealing';

/**
 * Sealing a bid and checking it at opening (domain.md section 4), over the primitives of
 * sealing.ts and bidding.rules.ts. No I/O: the keys come from the caller.
 *
 * The nonce the receipt commits to is not stored before opening. Were it stored next to
 * the receipt, anyone reading the database could find price and capacity by hashing
 * guesses (a few thousand prices × plausible capacities). So each bid stores a random
 * salt and its nonce is HMAC-SHA256(nonceKey, salt) (first 128 bits, hex), where nonceKey
 * is derived by HKDF from the sealing key that sealed the bid (the id its ciphertext
 * names): only the holder of that key can compute it. The bidder receives its nonce at submission; everyone gets it at opening.
 */

export interface BidKeys {
  /** The AES-256-GCM keys of sealing.ts by id, and the current one (BID_SEALING_KEY[S]). */
  ring: SealingKeyRing;
  /** HMAC keys for nonces by sealing key id, each derived from its sealing key (never the same key for two uses). */
  nonceKeys: ReadonlyMap<string, Buffer>;
  /** The current key's nonce key. */
  nonceKey: Buffer;
}

const nonceKeyOf = (sealingKey: Buffer) => Buffer.from(hkdfSync('sha256', sealingKey, Buffer.alloc(0), 'jicai bid nonce v1', 32));

export function bidKeys(keys: Buffer | SealingKeyRing): BidKeys {
  const ring: SealingKeyRing = Buffer.isBuffer(keys) ? { currentId: DEFAULT_SEALING_KEY_ID, keys: new Map([[DEFAULT_SEALING_KEY_ID, keys]]) } : keys;
  const nonceKeys = new Map([...ring.keys].map(([id, k]) => [id, nonceKeyOf(k)] as const));
  return { ring, nonceKeys, nonceKey: nonceKeys.get(ring.currentId)! };
}

/** The nonce of a sealed bid, under the nonce key of the key that sealed it; null if that key is not configured. */
export function nonceFor(keys: BidKeys, ciphertext: string, nonceSalt: string): string | null {
  let id: string;
  try {
    id = keyIdOf(ciphertext);
  } catch {
    return null;
  }
  const k = keys.nonceKeys.get(id);
  return k ? nonceOf(k, nonceSalt) : null;
}

/** What a sealed bid is bound to: its ciphertext will not open under any other identity. */
export interface BidIdentity {
  batchId: number;
  itemId: number;
  supplierId: number;
  productId: number;
  /** 32 hex characters, random per bid version */
  nonceSalt: string;
}

export function newNonceSalt(): string {
  return randomBytes(16).toString('hex');
}

export function nonceOf(nonceKey: Buffer, nonceSalt: string): string {
  return createHmac('sha256', nonceKey).update(nonceSalt, 'utf8').digest('hex').slice(0, 32);
}

/**
 * GCM associated data: a ciphertext copied onto another bid row (another supplier, item,
 * product or salt) fails to decrypt instead of lending that bid its price.
 */
export function associatedDataOf(id: BidIdentity): string {
  return `jicai-bid/v1:${id.batchId}:${id.itemId}:${id.supplierId}:${id.productId}:${id.nonceSalt}`;
}

export interface SealedBid {
  ciphertext: string;
  nonce: string;
  receipt: string;
  /** the price as sealed and hashed: exactly 2 decimals */
  packPrice: string;
}

export function sealBid(keys: BidKeys, id: BidIdentity, packPrice: Decimal.Value, supplyCapacity: number): SealedBid {
  const price = new Dec(packPrice).toFixed(PRICE_DP);
  const nonce = nonceOf(keys.nonceKey, id.nonceSalt);
  const { ciphertext } = seal({ packPrice: price, supplyCapacity }, keys.ring, associatedDataOf(id));
  const receipt = receiptOf({ ...id, packPrice: price, supplyCapacity, nonce });
  return { ciphertext, nonce, receipt, packPrice: price };
}

export type BidCheckFailure = 'DECRYPTION_FAILED' | 'CONTENT_INVALID' | 'RECEIPT_MISMATCH';

export type BidCheck = { ok: true; packPrice: string; supplyCapacity: number; nonce: string } | { ok: false; reason: BidCheckFailure };

/**
 * Section 4, at opening: decrypts a sealed bid and checks that its content hashes to its
 * receipt. Any alteration of ciphertext, salt, identity or receipt gives ok: false.
 */
export function verifySealedBid(keys: BidKeys, id: BidIdentity, ciphertext: string, receipt: string): BidCheck {
  let content: { packPrice: string; supplyCapacity: number };
  try {
    content = unseal(ciphertext, keys.ring, associatedDataOf(id));
  } catch {
    return { ok: false, reason: 'DECRYPTION_FAILED' };
  }
  const price = validatePackPrice(content.packPrice);
  const capacity = validateCapacity(content.supplyCapacity);
  if (!price.ok || !capacity.ok) return { ok: false, reason: 'CONTENT_INVALID' };
  const nonce = nonceFor(keys, ciphertext, id.nonceSalt);
  if (nonce === null) return { ok: false, reason: 'DECRYPTION_FAILED' };
  const packPrice = price.value.toFixed(PRICE_DP);
  const expected = receiptOf({ ...id, packPrice, supplyCapacity: capacity.value, nonce });
  if (expected !== receipt) return { ok: false, reason: 'RECEIPT_MISMATCH' };
  return { ok: true, packPrice, supplyCapacity: capacity.value, nonce };
}

/** Decrypts for the bid's owner (no receipt check); null when the ciphertext does not open. */
export function openForOwner(keys: BidKeys, id: BidIdentity, ciphertext: string): { packPrice: string; supplyCapacity: number } | null {
  try {
    return unseal(ciphertext, keys.ring, associatedDataOf(id));
  } catch {
    return null;
  }
}
