import { describe, expect, it } from 'vitest';
import { progressBar } from './format';

describe('progressBar', () => {
  it('draws progress as a bar of whole cells and a percentage', () => {
    expect(progressBar(0, 100, 10)).toBe('░░░░░░░░░░ 0 %');
    expect(progressBar(42, 100, 10)).toBe('████░░░░░░ 42 %');
    expect(progressBar(5, 0, 4)).toBe('░░░░ 0 %');
    expect(progressBar(200, 100, 4)).toBe('████ 100 %');
  });
});
