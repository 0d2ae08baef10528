/**
 * The bid sealing keys (domain.md section 4, key rotation). Each ciphertext records the id
 * of the key that sealed it; new bids are sealed under the current key, and every key of
 * the ring still opens the bids it sealed.
 *
 * - `BID_SEALING_KEY=<base64>` alone: one key, id `default`, current.
 * - `BID_SEALING_KEYS=id:<base64>,*id2:<base64>`: a ring; the key marked `*` is current
 *   (a ring of one key needs no mark). `BID_SEALING_KEY`, if also set, joins it as id
 *   `default`, readable only — so rotating away from a single key is adding
 *   `BID_SEALING_KEYS=*k2:<new key>` beside it.
 */
export interface SealingKeyRing {
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/** The id of the key set by BID_SEALING_KEY, and of every ciphertext sealed before ids existed. */
export const DEFAULT_SEALING_KEY_ID = 'default';
export const SEALING_KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

export type SealingKeyParser = (name: string, raw: string) => { key?: Buffer; problems: string[] };

export function parseSealingKeyRing(
  setting: string | undefined,
  defaultKey: Buffer | undefined,
  parseKey: SealingKeyParser,
): { ring?: SealingKeyRing; problems: string[] } {
  const problems: string[] = [];
  const keys = new Map<string, Buffer>();
  if (defaultKey) keys.set(DEFAULT_SEALING_KEY_ID, defaultKey);
  if (setting === undefined || setting.trim() === '') {
    if (!defaultKey) return { problems: ['BID_SEALING_KEY or BID_SEALING_KEYS is required'] };
    return { ring: { currentId: DEFAULT_SEALING_KEY_ID, keys }, problems };
  }
  const marked: string[] = [];
  const listed: string[] = [];
  for (const part of setting.split(',')) {
    const entry = part.trim();
    const colon = entry.indexOf(':');
    const current = entry.startsWith('*');
    const id = colon < 0 ? '' : entry.slice(current ? 1 : 0, colon);
    if (!SEALING_KEY_ID.test(id)) {
      problems.push(`BID_SEALING_KEYS: each entry is id:<base64 key> (id of letters, digits, _ or -, at most 16), one marked *id as current`);
      continue;
    }
    const parsed = parseKey(`BID_SEALING_KEYS key ${id}`, entry.slice(colon + 1));
    problems.push(...parsed.problems);
    if (!parsed.key) continue;
    const known = keys.get(id);
    if (listed.includes(id) || (known && !known.equals(parsed.key))) {
      problems.push(`BID_SEALING_KEYS: key id ${id} is given twice with different keys`);
      continue;
    }
    for (const [otherId, k] of keys)
      if (otherId !== id && k.equals(parsed.key)) problems.push(`BID_SEALING_KEYS: key ${id} is the same key as ${otherId}; give one id per key`);
    keys.set(id, parsed.key);
    listed.push(id);
    if (current) marked.push(id);
  }
  if (marked.length > 1) problems.push(`BID_SEALING_KEYS: only one key may be marked current (*), got ${marked.join(', ')}`);
  if (marked.length === 0 && listed.length > 1) problems.push('BID_SEALING_KEYS: mark the current key with * (e.g. old:<key>,*new:<key>)');
  const currentId = marked[0] ?? (listed.length === 1 ? listed[0] : undefined);
  if (problems.length || !currentId) return { problems: problems.length ? problems : ['BID_SEALING_KEYS names no key'] };
  return { ring: { currentId, keys }, problems };
}
