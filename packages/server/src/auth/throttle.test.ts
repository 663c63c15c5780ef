import { describe, expect, it } from 'vitest';
import { clock } from '@annuaire/test-utils';
import { LoginThrottle, type PasswordAttempt } from './throttle';

const policy = { freeFailuresPerUser: 3, freeFailuresPerAddress: 10, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** Begins a check that must be allowed. */
function allowed(th: LoginThrottle, user: string, address: string): PasswordAttempt {
  const r = th.begin(user, address);
  if (!r.attempt) throw new Error(`refused, retry after ${r.retryAfterMs} ms`);
  return r.attempt;
}
const failOnce = (th: LoginThrottle, user: string, address: string) => allowed(th, user, address).failed();
const waitFor = (th: LoginThrottle, user: string, address: string) => th.retryAfter(user, address);

describe('LoginThrottle', () => {
  it('locks a username after the free failures, doubling each time', () => {
    const c = clock();
    const th = new LoginThrottle(policy, c.now);
    for (let i = 0; i < 3; i++) failOnce(th, 'rim', '1.1.1.1');
    failOnce(th, 'rim', '2.2.2.2');
    expect(waitFor(th, 'rim', '2.2.2.2')).toBe(1000);
    c.advance(1000);
    failOnce(th, 'rim', '1.1.1.1');
    expect(waitFor(th, 'rim', '2.2.2.2')).toBe(2000);
    c.advance(2000);
    expect(waitFor(th, 'rim', '2.2.2.2')).toBe(0);
  });

  it('locks an address that tries many usernames', () => {
    const c = clock();
    const th = new LoginThrottle(policy, c.now);
    for (let i = 0; i < 11; i++) failOnce(th, `user${i}`, '6.6.6.6');
    expect(waitFor(th, 'someone-else', '6.6.6.6')).toBe(1000);
    expect(waitFor(th, 'someone-else', '7.7.7.7')).toBe(0);
  });

  it('never locks longer than the maximum, and forgets after a quiet period', () => {
    const c = clock();
    const th = new LoginThrottle(policy, c.now);
    for (let i = 0; i < 30; i++) {
      failOnce(th, 'rim', `10.0.0.${i}`);
      c.advance(waitFor(th, 'rim', '9.9.9.9'));
    }
    failOnce(th, 'rim', '10.0.1.1');
    expect(waitFor(th, 'rim', '9.9.9.9')).toBe(60_000);
    c.advance(60_001);
    expect(waitFor(th, 'rim', '9.9.9.9')).toBe(0);
  });

  it('lets at most the free checks run when guesses arrive all at once, then one at a time', () => {
    const c = clock();
    const th = new LoginThrottle(policy, c.now);
    const burst = Array.from({ length: 250 }, (_, i) => th.begin('rim', `10.1.${i >> 8}.${i & 255}`));
    const running = burst.flatMap((r) => (r.attempt ? [r.attempt] : []));
    expect(running).toHaveLength(3);
    for (const a of running) a.failed();
    // The free failures are spent: one more check may run, alone.
    const next = allowed(th, 'rim', '10.2.0.1');
    expect(waitFor(th, 'rim', '10.2.0.2')).toBeGreaterThan(0);
    next.failed();
    expect(waitFor(th, 'rim', '10.2.0.3')).toBe(1000);
  });

  it('counts a guess at a username from many addresses on the address too, in parallel', () => {
    const th = new LoginThrottle(policy, clock().now);
    const burst = Array.from({ length: 50 }, (_, i) => th.begin(`victim${i}`, '6.6.6.6'));
    expect(burst.filter((r) => r.attempt)).toHaveLength(10);
  });

  it('does not reset an address when one of its logins succeeds', () => {
    const c = clock();
    const th = new LoginThrottle(policy, c.now);
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 2; i++) {
        const r = th.begin(`victim${round}-${i}`, '6.6.6.6');
        r.attempt?.failed();
      }
      th.begin('me', '6.6.6.6').attempt?.succeeded();
    }
    // 11 failures from the address lock it, the own logins in between notwithstanding.
    expect(waitFor(th, 'anyone', '6.6.6.6')).toBeGreaterThan(0);
  });

  it('gives a username a fresh start when its owner logs in', () => {
    const th = new LoginThrottle(policy, clock().now);
    for (let i = 0; i < 2; i++) failOnce(th, 'rim', `1.1.1.${i}`);
    allowed(th, 'rim', '2.2.2.2').succeeded();
    for (let i = 0; i < 3; i++) failOnce(th, 'rim', `3.3.3.${i}`);
    expect(waitFor(th, 'rim', '4.4.4.4')).toBe(0);
  });
});
