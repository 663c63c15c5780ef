import { describe, expect, it } from 'vitest';

// Colours are what this component is about: have Ink (chalk) emit them although stdout is no terminal.
// Set before Ink loads, hence the dynamic imports (each test file gets its own modules).
process.env.FORCE_COLOR = '1';
const { render } = await import('ink-testing-library');
const { Highlight } = await import('./Highlight');

// The ANSI codes for yellow and underline.
const YELLOW = '\u001b[33m';
const UNDERLINE = '\u001b[4m';
// eslint-disable-next-line no-control-regex -- strips the terminal escapes (ESC) from a frame
const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('Highlight', () => {
  it('styles only the matched part, leaving the text whole', () => {
    const frame = render(<Highlight text="Hélène Dupré" words={['dup']} />).lastFrame() ?? '';
    expect(plain(frame)).toBe('Hélène Dupré');
    const styled = frame.slice(0, frame.indexOf('Dup'));
    expect(styled.slice(styled.indexOf('Hélène'))).toContain(YELLOW);
    expect(styled.slice(styled.indexOf('Hélène'))).toContain(UNDERLINE);
    expect(styled.slice(0, styled.indexOf('Hélène'))).not.toContain(YELLOW);
    // eslint-disable-next-line no-control-regex -- the escape that turns text yellow
    expect(frame.slice(frame.indexOf('Dup'))).not.toMatch(/\u001b\[33m/);
  });

  it('draws plain text without a query', () => {
    const frame = render(<Highlight text="Abel" words={[]} />).lastFrame() ?? '';
    expect(frame).not.toContain(YELLOW);
    expect(plain(frame)).toBe('Abel');
  });
});
