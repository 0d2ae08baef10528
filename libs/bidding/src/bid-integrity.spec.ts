import { associatedDataOf, bidKeys, newNonceSalt, nonceOf, openForOwner, sealBid, verifySealedBid } from './bid-integrity';

// The key the e2e harness uses: 32 bytes of 0x0b.
const keys = bidKeys(Buffer.alloc(32, 11));
const id = { batchId: 1, itemId: 2, supplierId: 3, productId: 4, nonceSalt: '00112233445566778899aabbccddeeff' };

describe('bid nonce derivation', () => {
  it('derives the nonce key by HKDF-SHA256 and the nonce by HMAC-SHA256 (vectors from openssl)', () => {
    // openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexkey:0b…0b -kdfopt salt: -kdfopt info:"jicai bid nonce v1" HKDF
    expect(keys.nonceKey.toString('hex')).toBe('d22e90b7235e8ae2675787cb74cc3c8cb370f6a2ba8296916db60aebb68fd745');
    // printf '%s' 00112233445566778899aabbccddeeff | openssl dgst -sha256 -mac HMAC -macopt hexkey:d22e…d745
    // = 914fcf844983a95d24f3704290cde7276dafdff3e3beb9fe3daffeff8d5001ff, first 32 hex characters kept
    expect(nonceOf(keys.nonceKey, id.nonceSalt)).toBe('914fcf844983a95d24f3704290cde727');
  });

  it('gives fresh 128-bit salts', () => {
    const a = newNonceSalt();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newNonceSalt()).not.toBe(a);
  });
});

describe('sealing and verifying a bid (domain.md section 4)', () => {
  const sealed = sealBid(keys, id, '3.3', 100);

  it('seals with the canonical price and gives the receipt of section 4', () => {
    expect(sealed.packPrice).toBe('3.30');
    expect(sealed.nonce).toBe('914fcf844983a95d24f3704290cde727');
    // printf '%s' '{"batchId":1,"itemId":2,"supplierId":3,"productId":4,"packPrice":"3.30","supplyCapacity":100,"nonce":"914fcf844983a95d24f3704290cde727"}' | sha256sum
    expect(sealed.receipt).toBe('961d3143808f5146f2e3fabf6c6e782146c333f82c3a854ff4b3da7cbd471306');
    expect(sealed.ciphertext).not.toContain('3.30');
  });

  it('verifies an intact bid and reveals price, capacity and nonce', () => {
    expect(verifySealedBid(keys, id, sealed.ciphertext, sealed.receipt)).toEqual({
      ok: true,
      packPrice: '3.30',
      supplyCapacity: 100,
      nonce: '914fcf844983a95d24f3704290cde727',
    });
    expect(openForOwner(keys, id, sealed.ciphertext)).toEqual({ packPrice: '3.30', supplyCapacity: 100 });
  });

  it('detects an altered ciphertext', () => {
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(verifySealedBid(keys, id, raw.toString('base64'), sealed.receipt)).toEqual({ ok: false, reason: 'DECRYPTION_FAILED' });
    expect(openForOwner(keys, id, raw.toString('base64'))).toBeNull();
  });

  it('detects a ciphertext moved to another bid, or a changed salt (associated data)', () => {
    expect(associatedDataOf(id)).toBe('jicai-bid/v1:1:2:3:4:00112233445566778899aabbccddeeff');
    expect(verifySealedBid(keys, { ...id, supplierId: 5 }, sealed.ciphertext, sealed.receipt).ok).toBe(false);
    expect(verifySealedBid(keys, { ...id, nonceSalt: 'f'.repeat(32) }, sealed.ciphertext, sealed.receipt).ok).toBe(false);
  });

  it('detects an altered receipt', () => {
    const receipt = sealed.receipt.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(verifySealedBid(keys, id, sealed.ciphertext, receipt)).toEqual({ ok: false, reason: 'RECEIPT_MISMATCH' });
  });

  it('refuses under another key', () => {
    const other = bidKeys(Buffer.alloc(32, 12));
    expect(verifySealedBid(other, id, sealed.ciphertext, sealed.receipt)).toEqual({ ok: false, reason: 'DECRYPTION_FAILED' });
  });

  it("after rotation, verifies a bid sealed under the old key with the old key's nonce, and seals new ones under the new key", () => {
    const rotated = bidKeys({
      currentId: 'k2',
      keys: new Map([
        ['default', Buffer.alloc(32, 11)],
        ['k2', Buffer.alloc(32, 12)],
      ]),
    });
    expect(verifySealedBid(rotated, id, sealed.ciphertext, sealed.receipt)).toMatchObject({
      ok: true,
      packPrice: '3.30',
      nonce: '914fcf844983a95d24f3704290cde727',
    });
    const fresh = sealBid(rotated, id, '3.3', 100);
    expect(fresh.ciphertext.startsWith('k2:')).toBe(true);
    expect(fresh.nonce).not.toBe(sealed.nonce); // derived from k2's nonce key
    expect(verifySealedBid(rotated, id, fresh.ciphertext, fresh.receipt)).toMatchObject({ ok: true, nonce: fresh.nonce });
    // with the old key gone, the old bid cannot be verified (it does not open)
    const withoutOld = bidKeys({ currentId: 'k2', keys: new Map([['k2', Buffer.alloc(32, 12)]]) });
    expect(verifySealedBid(withoutOld, id, sealed.ciphertext, sealed.receipt)).toEqual({ ok: false, reason: 'DECRYPTION_FAILED' });
  });
});
