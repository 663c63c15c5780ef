/** Helpers to compare tmux captures cell by cell. */

export interface Rect {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

const cells = (line: string) => Array.from(line);

/** The rectangle drawn by the round border whose top-left corner is the first ╭ on a line holding `marker`'s row or above it. */
export function boxAround(screen: string, marker: string): Rect {
  const lines = screen.split('\n');
  const row = lines.findIndex((l) => l.includes(marker));
  if (row < 0) throw new Error(`no « ${marker} » on screen:\n${screen}`);
  let top = row;
  while (top > 0 && !cells(lines[top]!).includes('╭')) top--;
  const col = cells(lines[row]!).findIndex((c, i) => c === '│' && cells(lines[row]!).slice(i).join('').includes(marker));
  let left = col;
  while (left > 0 && cells(lines[top]!)[left] !== '╭') left--;
  const right = cells(lines[top]!).indexOf('╮', left);
  let bottom = row;
  while (bottom < lines.length - 1 && cells(lines[bottom]!)[left] !== '╰') bottom++;
  return { top, bottom, left, right };
}

/**
 * The cells that differ between two captures, outside `except` (and outside the rows in `skipRows`):
 * an overlay must leave every cell around it exactly as it was.
 */
export function changedOutside(before: string, after: string, except: Rect, skipRows: number[] = []): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const diffs: string[] = [];
  for (let y = 0; y < Math.max(a.length, b.length); y++) {
    if (skipRows.includes(y)) continue;
    const ra = cells(a[y] ?? '');
    const rb = cells(b[y] ?? '');
    for (let x = 0; x < Math.max(ra.length, rb.length); x++) {
      const inside = y >= except.top && y <= except.bottom && x >= except.left && x <= except.right;
      if (!inside && (ra[x] ?? ' ') !== (rb[x] ?? ' ')) diffs.push(`row ${y} col ${x}: « ${a[y] ?? ''} » became « ${b[y] ?? ''} »`);
    }
  }
  return [...new Set(diffs.map((d) => d.replace(/ col \d+/, '')))];
}

/** The text inside a rectangle, one trimmed string per row (borders excluded). */
export function inside(screen: string, r: Rect): string[] {
  return screen
    .split('\n')
    .slice(r.top + 1, r.bottom)
    .map((l) => cells(l).slice(r.left + 1, r.right).join('').replace(/^│/, '').replace(/│$/, '').trim());
}
