import { describe, expect, it } from 'vitest';
import { phoneDigits } from './duplicates';

describe('phoneDigits', () => {
  it('reads 06 12 34 56 78 and +33 6 12 34 56 78 as the same number', () => {
    expect(phoneDigits('06 12 34 56 78')).toBe(phoneDigits('+33 6 12 34 56 78'));
    expect(phoneDigits('06 12 34 56 78')).not.toBe(phoneDigits('06 12 34 56 79'));
  });
});
