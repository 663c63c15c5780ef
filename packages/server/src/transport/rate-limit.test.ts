import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limit';
import { clock } from '@annuaire/test-utils';

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
