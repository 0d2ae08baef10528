import { randomBytes } from 'node:crypto';
import { parseSealingKey, seal, unseal } from './sealing';

describe('bid sealing, AES-256-GCM (domain.md section 4)', () => {
  const key = randomBytes(32);
  const plain = { packPrice: '3.33', supplyCapacity: 15000 };

  it('round-trips price and capacity', () => {
    const { ciphertext } = seal(plain, key);
    expect(unseal(ciphertext, key)).toEqual(plain);
  });

  it('lays out iv(12) | tag(16) | ciphertext, base64', () => {
    const { ciphertext } = seal(plain, key);
    const raw = Buffer.from(ciphertext, 'base64');
    expect(raw.toString('base64')).toBe(ciphertext);
    // GCM adds no padding: the body is the length of {"packPrice":"3.33","supplyCapacity":15000}
    const body = '{"packPrice":"3.33","supplyCapacity":15000}';
    expect(raw.length).toBe(12 + 16 + Buffer.byteLength(body));
  });

  it('uses a fresh IV each time', () => {
    const a = seal(plain, key).ciphertext;
    const b = seal(plain, key).ciphertext;
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64').subarray(0, 12).equals(Buffer.from(b, 'base64').subarray(0, 12))).toBe(false);
  });

  it('contains no plaintext', () => {
    const { ciphertext } = seal(plain, key);
    const raw = Buffer.from(ciphertext, 'base64');
    for (const needle of ['3.33', '15000', 'packPrice', 'supplyCapacity']) {
      expect(ciphertext.includes(needle)).toBe(false);
      expect(raw.includes(Buffer.from(needle, 'utf8'))).toBe(false);
    }
  });

  it('detects tampering anywhere: iv, tag, body, length', () => {
    const raw = Buffer.from(seal(plain, key).ciphertext, 'base64');
    for (const at of [0, 11, 12, 27, 28, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[at] ^= 0x01;
      expect(() => unseal(bad.toString('base64'), key)).toThrow();
    }
    expect(() => unseal(raw.subarray(0, raw.length - 1).toString('base64'), key)).toThrow();
    expect(() => unseal(raw.subarray(0, 28).toString('base64'), key)).toThrow();
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
