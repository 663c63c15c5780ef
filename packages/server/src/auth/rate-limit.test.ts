import { describe, expect, it } from 'vitest';
import { TokenBucket, WindowLimiter } from './rate-limit';
import { LoginThrottle } from './throttle';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TokenBucket', () => {
  it('allows a burst, then refills at the given rate', () => {
    const c = clock();
    const b = new TokenBucket(10, 3, c.now);
    expect([b.take(), b.take(), b.take()]).toEqual([0, 0, 0]);
    expect(b.take()).toBe(100);
    c.advance(100);
    expect(b.take()).toBe(0);
    expect(b.take()).toBeGreaterThan(0);
  });
});

describe('WindowLimiter', () => {
  it('counts per key within a sliding window', () => {
    const c = clock();
    const w = new WindowLimiter(2, 1000, c.now);
    expect(w.take('a')).toBe(0);
    c.advance(400);
    expect(w.take('a')).toBe(0);
    expect(w.take('a')).toBe(600);
    expect(w.take('b')).toBe(0);
    c.advance(600);
    expect(w.take('a')).toBe(0);
  });
});

describe('LoginThrottle', () => {
  const policy = { freeFailuresPerUser: 3, freeFailuresPerAddress: 10, baseDelayMs: 1000, maxDelayMs: 60_000 };

  it('locks a username after the free failures, doubling each time', () => {
    const c = clock();
    const th = new LoginThrottle(policy, c.now);
    for (let i = 0; i < 3; i++) th.recordFailure('rim', '1.1.1.1');
    expect(th.retryAfter('rim', '2.2.2.2')).toBe(0);
    th.recordFailure('rim', '1.1.1.1');
    expect(th.retryAfter('rim', '2.2.2.2')).toBe(1000);
    th.recordFailure('rim', '1.1.1.1');
    expect(th.retryAfter('rim', '2.2.2.2')).toBe(2000);
    c.advance(2000);
    expect(th.retryAfter('rim', '2.2.2.2')).toBe(0);
  });

  it('locks an address that tries many usernames', () => {
    const c = clock();
    const th = new LoginThrottle(policy, c.now);
    for (let i = 0; i < 11; i++) th.recordFailure(`user${i}`, '6.6.6.6');
    expect(th.retryAfter('someone-else', '6.6.6.6')).toBe(1000);
    expect(th.retryAfter('someone-else', '7.7.7.7')).toBe(0);
  });

  it('never locks longer than the maximum, and forgets after a quiet period', () => {
    const c = clock();
    const th = new LoginThrottle(policy, c.now);
    for (let i = 0; i < 30; i++) th.recordFailure('rim', `10.0.0.${i}`);
    expect(th.retryAfter('rim', '9.9.9.9')).toBe(60_000);
    c.advance(60_001);
    th.recordFailure('rim', '9.9.9.9');
    expect(th.retryAfter('rim', '9.9.9.9')).toBe(0);
  });
});
