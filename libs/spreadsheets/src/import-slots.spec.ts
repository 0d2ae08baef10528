import { Slots } from './import-slots';

describe('Slots (imports parsed at once)', () => {
  it('lets size holders in, makes the next wait for a release, and gives up after the wait', async () => {
    const s = new Slots(2);
    const a = await s.acquire(0);
    const b = await s.acquire(0);
    expect([a, b].every((r) => typeof r === 'function')).toBe(true);
    expect(s.inUse).toBe(2);
    expect(await s.acquire(0)).toBeNull(); // full, no wait: refused (429)
    const waiting = s.acquire(1000);
    a!();
    a!(); // releasing twice frees one slot only
    const c = await waiting; // handed the released slot
    expect(typeof c).toBe('function');
    expect(s.inUse).toBe(2);
    expect(await s.acquire(30)).toBeNull(); // waited 30 ms, none freed
    b!();
    c!();
    expect(s.inUse).toBe(0);
  });
});
