import { affectedRows, equalities, isDuplicateKey, isLockConflict, isServiceUnavailable, LOCK_RETRY, retryOnLockConflict } from './sql';

const wrapped = (code: string, errno: number) => Object.assign(new Error('query failed'), { driverError: { code, errno } });

describe('SQL helpers', () => {
  it('equalities: `column = ?` for each given value in order, undefined left out, null kept', () => {
    expect(
      equalities([
        ['batch_id', 7],
        ['hospital_id', undefined],
        ['item_id', 0],
        ['group_name', null],
        ['status', 'CONFIRMED'],
      ]),
    ).toEqual({
      where: ['batch_id = ?', 'item_id = ?', 'group_name = ?', 'status = ?'],
      params: [7, 0, null, 'CONFIRMED'],
    });
    expect(equalities([])).toEqual({ where: [], params: [] });
  });

  it('tells a duplicate key, raw or wrapped in a QueryFailedError, from other errors', () => {
    expect(isDuplicateKey(Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY', errno: 1062 }))).toBe(true);
    expect(isDuplicateKey(wrapped('ER_DUP_ENTRY', 1062))).toBe(true);
    expect(isDuplicateKey(wrapped('ER_LOCK_DEADLOCK', 1213))).toBe(false);
    expect(isDuplicateKey(undefined)).toBe(false);
  });

  it('tells deadlocks and lock-wait timeouts from other errors', () => {
    expect(isLockConflict(wrapped('ER_LOCK_DEADLOCK', 1213))).toBe(true);
    expect(isLockConflict({ errno: 1205 })).toBe(true);
    expect(isLockConflict(wrapped('ER_DUP_ENTRY', 1062))).toBe(false);
  });

  it('tells a server that is down or went away (MySQL or Redis) from errors of the request itself', () => {
    expect(isServiceUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED', errno: -111 }))).toBe(true);
    expect(isServiceUnavailable(wrapped('PROTOCOL_CONNECTION_LOST', 0))).toBe(true);
    expect(isServiceUnavailable(wrapped('ECONNRESET', -104))).toBe(true);
    expect(isServiceUnavailable({ errno: 1053 })).toBe(true);
    expect(isServiceUnavailable(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isServiceUnavailable(wrapped('ER_DUP_ENTRY', 1062))).toBe(false);
    expect(isServiceUnavailable(wrapped('ER_LOCK_DEADLOCK', 1213))).toBe(false);
    expect(isServiceUnavailable(new Error('boom'))).toBe(false);
    expect(isServiceUnavailable(undefined)).toBe(false);
  });

  it('reads affectedRows from a result header or a [rows, affected] pair', () => {
    expect(affectedRows({ affectedRows: 3 })).toBe(3);
    expect(affectedRows([[], 2])).toBe(2);
    expect(affectedRows(undefined)).toBe(0);
  });

  it('runs a transaction again after a lock conflict, and not after anything else', async () => {
    let calls = 0;
    const retried: number[] = [];
    const result = await retryOnLockConflict(
      async () => {
        calls++;
        if (calls < 3) throw wrapped('ER_LOCK_DEADLOCK', 1213);
        return 'done';
      },
      (_e, attempt) => retried.push(attempt),
    );
    expect(result).toBe('done');
    expect(retried).toEqual([1, 2]);

    calls = 0;
    await expect(
      retryOnLockConflict(async () => {
        calls++;
        throw wrapped('ER_DUP_ENTRY', 1062);
      }),
    ).rejects.toThrow('query failed');
    expect(calls).toBe(1);
  });

  it('gives up after LOCK_RETRY.attempts conflicts, throwing the last', async () => {
    let calls = 0;
    await expect(
      retryOnLockConflict(async () => {
        calls++;
        throw wrapped('ER_LOCK_WAIT_TIMEOUT', 1205);
      }),
    ).rejects.toMatchObject({ driverError: { code: 'ER_LOCK_WAIT_TIMEOUT' } });
    expect(calls).toBe(LOCK_RETRY.attempts);
  });

  it('retries what the caller says is a race too (alsoRetry), and nothing else', async () => {
    let calls = 0;
    const isRace = (e: unknown) => isDuplicateKey(e) && /uq_x/.test((e as Error).message);
    const result = await retryOnLockConflict(
      async () => {
        calls++;
        if (calls === 1) throw Object.assign(new Error("Duplicate entry '1-1' for key 'uq_x'"), { code: 'ER_DUP_ENTRY', errno: 1062 });
        return 'done';
      },
      undefined,
      isRace,
    );
    expect({ result, calls }).toEqual({ result: 'done', calls: 2 });
    calls = 0;
    await expect(
      retryOnLockConflict(
        async () => {
          calls++;
          throw Object.assign(new Error("Duplicate entry 'a' for key 'uq_other'"), { code: 'ER_DUP_ENTRY', errno: 1062 });
        },
        undefined,
        isRace,
      ),
    ).rejects.toThrow('uq_other');
    expect(calls).toBe(1);
  });
});
