import { expect, it } from 'vitest';
import { describeBackends } from './context';

let keys = 0;
const key = (kind: string) => `${kind}:${process.pid}-${++keys}`;

describeBackends('shared limits', (ctx) => {
  const lockFor = (failures: number) => (failures > 3 ? 1000 * failures : 0);

  it('counts failures per key and locks past the free ones', async () => {
    const { limits } = ctx.backend;
    const user = key('u');
    const address = key('a');
    expect(await limits.throttleEntries([user, address])).toEqual(new Map());
    for (let i = 0; i < 3; i++) await limits.recordFailures([user, address], 1000 + i, lockFor, 60_000);
    expect(await limits.throttleEntries([user, address, key('never')])).toEqual(
      new Map([
        [user, { failures: 3, lockedUntil: 0, lastFailure: 1002 }],
        [address, { failures: 3, lockedUntil: 0, lastFailure: 1002 }],
      ]),
    );
    await limits.recordFailures([user], 2000, lockFor, 60_000);
    expect((await limits.throttleEntries([user])).get(user)).toEqual({ failures: 4, lockedUntil: 6000, lastFailure: 2000 });
  });

  it('counts every one of 20 concurrent failures on the same keys', async () => {
    const { limits } = ctx.backend;
    const user = key('u');
    const address = key('a');
    const asked: number[] = [];
    const counting = (failures: number) => {
      asked.push(failures);
      return lockFor(failures);
    };
    // Half of them name the keys the other way round: no deadlock, no lost count.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => limits.recordFailures(i % 2 ? [user, address] : [address, user], 5000, counting, 60_000)),
    );
    const entries = await limits.throttleEntries([user, address]);
    expect(entries.get(user)).toEqual({ failures: 20, lockedUntil: 5000 + 20_000, lastFailure: 5000 });
    expect(entries.get(address)?.failures).toBe(20);
    // Each count was seen once per key: the upserts took turns.
    expect(asked.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => [i + 1, i + 1]).flat());
  });

  it('forgets a key idle past the forgetting time, but not one still locked', async () => {
    const { limits } = ctx.backend;
    const idle = key('u');
    const locked = key('u');
    for (let i = 0; i < 5; i++) await limits.recordFailures([idle], 1000, () => 0, 60_000);
    for (let i = 0; i < 5; i++) await limits.recordFailures([locked], 1000, () => 500_000, 60_000);
    await limits.recordFailures([idle, locked], 1000 + 60_001, () => 0, 60_000);
    const entries = await limits.throttleEntries([idle, locked]);
    expect(entries.get(idle)?.failures).toBe(1);
    expect(entries.get(locked)).toEqual({ failures: 6, lockedUntil: 501_000, lastFailure: 61_001 });
  });

  it('clears a key', async () => {
    const { limits } = ctx.backend;
    const user = key('u');
    const address = key('a');
    await limits.recordFailures([user, address], 1000, lockFor, 60_000);
    await limits.clear(user);
    expect([...(await limits.throttleEntries([user, address])).keys()]).toEqual([address]);
  });

  it('allows `limit` events per sliding window, then says how long to wait', async () => {
    const { limits } = ctx.backend;
    const address = key('create');
    expect(await limits.takeWindow(address, 3, 10_000, 1000)).toBe(0);
    expect(await limits.takeWindow(address, 3, 10_000, 2000)).toBe(0);
    expect(await limits.takeWindow(address, 3, 10_000, 3000)).toBe(0);
    expect(await limits.takeWindow(address, 3, 10_000, 4000)).toBe(7000);
    expect(await limits.takeWindow(key('create'), 3, 10_000, 4000)).toBe(0);
    // The first event leaves the window at 11000: one more, then full again until the second leaves.
    expect(await limits.takeWindow(address, 3, 10_000, 11_000)).toBe(0);
    expect(await limits.takeWindow(address, 3, 10_000, 11_500)).toBe(500);
  });

  it('never lets concurrent callers past the limit', async () => {
    const address = key('create');
    const waits = await Promise.all(Array.from({ length: 20 }, () => ctx.backend.limits.takeWindow(address, 5, 60_000, 1000)));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    expect(waits.filter((w) => w === 60_000)).toHaveLength(15);
  });
});
