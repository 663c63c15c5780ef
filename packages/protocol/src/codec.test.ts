import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameTooLargeError, LineDecoder } from './codec';

describe('LineDecoder', () => {
  it('splits lines and keeps an unfinished one for the next chunk', () => {
    const d = new LineDecoder(100);
    expect(d.push(Buffer.from('{"a":1}\n{"b"'))).toEqual(['{"a":1}']);
    expect(d.push(Buffer.from(':2}\n\n'))).toEqual(['{"b":2}', '']);
    expect(d.bufferedBytes).toBe(0);
  });

  it('decodes a multi-byte character split across chunks, at every byte', () => {
    const bytes = Buffer.from(encodeFrame({ nom: 'Hélène Dupré — 𝄞' }));
    for (let cut = 1; cut < bytes.length; cut++) {
      const d = new LineDecoder(1000);
      const lines = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))];
      expect(lines.map((l) => JSON.parse(l))).toEqual([{ nom: 'Hélène Dupré — 𝄞' }]);
    }
  });

  it('accepts CRLF line ends', () => {
    expect(new LineDecoder().push(Buffer.from('{"x":1}\r\n'))).toEqual(['{"x":1}']);
  });

  it('refuses a line longer than the limit, even before its end arrives', () => {
    const d = new LineDecoder(10);
    expect(() => d.push(Buffer.from('x'.repeat(11)))).toThrow(FrameTooLargeError);
    const e = new LineDecoder(10);
    e.push(Buffer.from('x'.repeat(6)));
    expect(() => e.push(Buffer.from('x'.repeat(6) + '\n'))).toThrow(FrameTooLargeError);
    // Exactly at the limit is fine.
    expect(new LineDecoder(10).push(Buffer.from('x'.repeat(10) + '\n'))).toEqual(['x'.repeat(10)]);
  });
});

describe('encodeFrame', () => {
  it('always writes exactly one line, even with newlines in values', () => {
    const frame = encodeFrame({ notes: 'ligne 1\nligne 2' });
    expect(frame.endsWith('\n')).toBe(true);
    expect(frame.slice(0, -1)).not.toContain('\n');
  });
});
