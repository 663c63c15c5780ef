import { describe, expect, it } from 'vitest';
import { FairScheduler, type Schedulable } from './scheduler';

/** The scheduler's clock, moved only by the requests it runs: the test does not depend on the machine's load. */
let clock = 0;
const scheduler = (sliceMs: number) => new FairScheduler(sliceMs, () => clock);

/** A connection with `tasks` requests of `costMs` each. */
function conn(key: string, tasks: number, costMs: number, log: string[], scheduler: FairScheduler): Schedulable {
  let left = tasks;
  const c: Schedulable = {
    shareKey: key,
    get runnable() {
      return left > 0;
    },
    runOne() {
      clock += costMs;
      left--;
      log.push(key);
    },
  };
  scheduler.wake(c);
  return c;
}

const settle = (log: string[], n: number) =>
  new Promise<void>((resolve) => {
    const check = () => (log.length >= n ? resolve() : setTimeout(check, 5));
    check();
  });

describe('FairScheduler', () => {
  it('gives one account with one connection as many turns as another with fifty', async () => {
    const s = scheduler(5);
    const log: string[] = [];
    for (let i = 0; i < 50; i++) conn('u:noisy', 20, 0.2, log, s);
    conn('u:quiet', 20, 0.2, log, s);
    await settle(log, 1020);
    // While both had work (the first 40 turns), they alternated.
    const first = log.slice(0, 40);
    expect(first.filter((k) => k === 'u:quiet').length).toBeGreaterThanOrEqual(18);
  });

  it('runs a request of an account back from idle before the busy account’s backlog', async () => {
    const s = scheduler(5);
    const log: string[] = [];
    conn('u:busy', 200, 0.2, log, s);
    await settle(log, 50);
    const arrived = log.length;
    conn('u:light', 1, 0.2, log, s);
    await settle(log, 201);
    // The very next turn, not after the other's remaining backlog.
    expect(log.indexOf('u:light')).toBe(arrived);
  });

  it('alone, an account runs everything', async () => {
    const s = scheduler(5);
    const log: string[] = [];
    for (let i = 0; i < 10; i++) conn(`a:10.0.0.${i}`, 10, 0, log, s);
    await settle(log, 100);
    expect(log).toHaveLength(100);
  });
});
