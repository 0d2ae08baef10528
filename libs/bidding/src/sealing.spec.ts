import { createCipheriv, randomBytes } from 'node:crypto';
import { keyIdOf, parseSealingKey, seal, SEALED_PLAINTEXT_BYTES, unseal } from './sealing';

/** The bytes after the key id: iv | tag | ciphertext. */
const rawOf = (ciphertext: string) => Buffer.from(ciphertext.slice(ciphertext.indexOf(':') + 1), 'base64');
const withRaw = (id: string, raw: Buffer) => `${id}:${raw.toString('base64')}`;

describe('bid sealing, AES-256-GCM (domain.md section 4)', () => {
  const key = randomBytes(32);
  const plain = { packPrice: '3.33', supplyCapacity: 15000 };

  it('round-trips price and capacity', () => {
    const { ciphertext } = seal(plain, key);
    expect(unseal(ciphertext, key)).toEqual(plain);
  });

  it('lays out keyId:base64(iv(12) | tag(16) | ciphertext), the plaintext padded to a fixed length', () => {
    const { ciphertext } = seal(plain, key);
    expect(ciphertext.startsWith('default:')).toBe(true);
    expect(keyIdOf(ciphertext)).toBe('default');
    const raw = rawOf(ciphertext);
    expect(withRaw('default', raw)).toBe(ciphertext);
    expect(raw.length).toBe(12 + 16 + 128);
    expect(SEALED_PLAINTEXT_BYTES).toBe(128);
  });

  it('is as long for a one-digit price and capacity as for the longest ones (no length oracle)', () => {
    const lengths = new Set(
      [
        { packPrice: '1', supplyCapacity: 1 },
        { packPrice: '3.33', supplyCapacity: 15000 },
        { packPrice: '999999999999999999.99', supplyCapacity: Number.MAX_SAFE_INTEGER },
      ].map((p) => seal(p, key).ciphertext.length),
    );
    expect([...lengths]).toEqual([8 + Math.ceil((12 + 16 + 128) / 3) * 4]);
  });

  it('uses a fresh IV each time', () => {
    const a = seal(plain, key).ciphertext;
    const b = seal(plain, key).ciphertext;
    expect(a).not.toBe(b);
    expect(rawOf(a).subarray(0, 12).equals(rawOf(b).subarray(0, 12))).toBe(false);
  });

  it('contains no plaintext', () => {
    const { ciphertext } = seal(plain, key);
    const raw = rawOf(ciphertext);
    for (const needle of ['3.33', '15000', 'packPrice', 'supplyCapacity']) {
      expect(ciphertext.includes(needle)).toBe(false);
      expect(raw.includes(Buffer.from(needle, 'utf8'))).toBe(false);
    }
  });

  it('detects tampering anywhere: iv, tag, body, length', () => {
    const raw = rawOf(seal(plain, key).ciphertext);
    for (const at of [0, 11, 12, 27, 28, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[at] ^= 0x01;
      expect(() => unseal(withRaw('default', bad), key)).toThrow();
    }
    expect(() => unseal(withRaw('default', raw.subarray(0, raw.length - 1)), key)).toThrow();
    expect(() => unseal(withRaw('default', raw.subarray(0, 28)), key)).toThrow();
    expect(() => unseal('', key)).toThrow();
  });

  it('refuses the wrong key', () => {
    const { ciphertext } = seal(plain, key);
    const other = Buffer.from(key);
    other[31] ^= 0x80;
    expect(() => unseal(ciphertext, other)).toThrow();
    expect(() => unseal(ciphertext, randomBytes(32))).toThrow();
    expect(() => seal(plain, randomBytes(16))).toThrow();
    expect(() => unseal(ciphertext, randomBytes(31))).toThrow();
  });

  it('binds associated data when given', () => {
    const { ciphertext } = seal(plain, key, 'bid:42');
    expect(unseal(ciphertext, key, 'bid:42')).toEqual(plain);
    expect(() => unseal(ciphertext, key, 'bid:43')).toThrow();
    expect(() => unseal(ciphertext, key)).toThrow();
  });
});

describe('key rotation (BID_SEALING_KEYS)', () => {
  const plain = { packPrice: '3.33', supplyCapacity: 15000 };
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('seals under the current key, names it, and still opens what older keys sealed', () => {
    const before = { currentId: 'k1', keys: new Map([['k1', k1]]) };
    const after = {
      currentId: 'k2',
      keys: new Map([
        ['k1', k1],
        ['k2', k2],
      ]),
    };
    const old = seal(plain, before, 'bid:1').ciphertext;
    const now = seal({ packPrice: '4.00', supplyCapacity: 9 }, after, 'bid:2').ciphertext;
    expect(keyIdOf(old)).toBe('k1');
    expect(keyIdOf(now)).toBe('k2');
    expect(unseal(old, after, 'bid:1')).toEqual(plain);
    expect(unseal(now, after, 'bid:2')).toEqual({ packPrice: '4.00', supplyCapacity: 9 });
    // sealed under k2, so k1 alone cannot open it; a removed key cannot open its bids
    expect(() => unseal(now, before, 'bid:2')).toThrow(/key k2/);
    // a ciphertext relabelled with another key id fails authentication
    expect(() => unseal(now.replace(/^k2:/, 'k1:'), after, 'bid:2')).toThrow();
  });

  it('opens a ciphertext from before key ids (no prefix, unpadded) with the key `default`', () => {
    // the first format: base64(iv | tag | AES-256-GCM of the bare JSON), no key id
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', k1, iv, { authTagLength: 16 });
    cipher.setAAD(Buffer.from('bid:7', 'utf8'));
    const ct = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    const legacy = Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
    expect(keyIdOf(legacy)).toBe('default');
    expect(
      unseal(
        legacy,
        {
          currentId: 'k2',
          keys: new Map([
            ['default', k1],
            ['k2', k2],
          ]),
        },
        'bid:7',
      ),
    ).toEqual(plain);
    expect(unseal(legacy, k1, 'bid:7')).toEqual(plain);
    expect(() => unseal(legacy, { currentId: 'k2', keys: new Map([['k2', k2]]) }, 'bid:7')).toThrow(/key default/);
  });
});

describe('sealing key (BID_SEALING_KEY)', () => {
  it('accepts exactly 32 bytes of base64', () => {
    // 32 bytes of 0x00 are 43 'A's and one '=' in base64
    const zeros = 'A'.repeat(43) + '=';
    expect(parseSealingKey(zeros).equals(Buffer.alloc(32))).toBe(true);
    const k = randomBytes(32);
    expect(parseSealingKey(k.toString('base64')).equals(k)).toBe(true);
  });

  it('refuses other lengths and non-base64', () => {
    expect(() => parseSealingKey(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => parseSealingKey(randomBytes(33).toString('base64'))).toThrow(/32 bytes/);
    expect(() => parseSealingKey('')).toThrow();
    expect(() => parseSealingKey('not base64 at all, with spaces and !!')).toThrow(/base64/);
    // 44 characters that Buffer.from would half-decode without complaint
    expect(() => parseSealingKey('*'.repeat(44))).toThrow(/base64/);
  });
});
