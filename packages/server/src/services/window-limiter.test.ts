import { describe, expect, it } from 'vitest';
import { WindowLimiter } from './window-limiter';
import { clock } from '@annuaire/test-utils';

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
