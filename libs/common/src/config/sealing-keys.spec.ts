import { parseSealingKeyRing, SealingKeyParser } from './sealing-keys';

const b64 = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const parse: SealingKeyParser = (name, raw) => {
  const key = Buffer.from(raw, 'base64');
  return key.length === 32 ? { key, problems: [] } : { problems: [`${name} must be 32 bytes`] };
};

describe('sealing key ring (BID_SEALING_KEY / BID_SEALING_KEYS)', () => {
  it('BID_SEALING_KEY alone is the current key `default`', () => {
    const { ring, problems } = parseSealingKeyRing(undefined, Buffer.alloc(32, 1), parse);
    expect(problems).toEqual([]);
    expect(ring!.currentId).toBe('default');
    expect([...ring!.keys.keys()]).toEqual(['default']);
  });

  it('a ring: the key marked * is current; BID_SEALING_KEY stays readable as `default`', () => {
    const { ring, problems } = parseSealingKeyRing(`k1:${b64(2)}, *k2:${b64(3)}`, Buffer.alloc(32, 1), parse);
    expect(problems).toEqual([]);
    expect(ring!.currentId).toBe('k2');
    expect([...ring!.keys.keys()]).toEqual(['default', 'k1', 'k2']);
    expect(ring!.keys.get('k1')!.equals(Buffer.alloc(32, 2))).toBe(true);
  });

  it('a ring of one key needs no mark', () => {
    expect(parseSealingKeyRing(`only:${b64(2)}`, undefined, parse).ring!.currentId).toBe('only');
  });

  it('refuses rings that are ambiguous or malformed, naming the problem', () => {
    const problems = (setting: string, def?: Buffer) => parseSealingKeyRing(setting, def, parse).problems.join('\n');
    expect(problems(`a:${b64(2)},b:${b64(3)}`)).toMatch(/mark the current key/);
    expect(problems(`*a:${b64(2)},*b:${b64(3)}`)).toMatch(/only one key may be marked/);
    expect(problems(`*a:${b64(2)},a:${b64(3)}`)).toMatch(/twice/);
    expect(problems(`*default:${b64(2)}`, Buffer.alloc(32, 1))).toMatch(/twice/);
    expect(problems(`*a:${b64(2)},b:${b64(2)}`)).toMatch(/same key/);
    expect(problems(`*a b:${b64(2)}`)).toMatch(/id:<base64 key>/);
    expect(problems(b64(2))).toMatch(/id:<base64 key>/);
    expect(problems(`*a:${Buffer.alloc(16).toString('base64')}`)).toMatch(/BID_SEALING_KEYS key a must be 32 bytes/);
    expect(parseSealingKeyRing(undefined, undefined, parse).problems).toEqual(['BID_SEALING_KEY or BID_SEALING_KEYS is required']);
  });
});
