import { useState, type ReactNode } from 'react';
import { Box, Text } from 'ink';

/**
 * The first row to show so that `selected` stays in view, scrolling as little as possible
 * from `previousTop` (the list does not jump when the selection moves inside the window).
 */
export function windowTop(previousTop: number, selected: number, height: number, total: number): number {
  if (total <= height) return 0;
  let top = previousTop;
  if (selected < top) top = selected;
  if (selected >= top + height) top = selected - height + 1;
  return Math.max(0, Math.min(top, total - height));
}

/**
 * windowTop from one render to the next: the top row moves only when the selection leaves the
 * window. Null when it just moved: the new top is stored during this render, React renders again
 * at once and throws this one away, so the caller renders nothing (no rows drawn twice).
 */
export function useWindowTop(selected: number, height: number, total: number): number | null {
  const [top, setTop] = useState(0);
  const next = windowTop(top, selected, height, total);
  if (next === top) return top;
  setTop(next);
  return null;
}

export interface WindowedListProps {
  total: number;
  selected: number;
  height: number;
  /** Renders row i; called only for the rows in view. Undefined: the row is not loaded yet. */
  renderRow: (index: number, selected: boolean) => ReactNode | undefined;
  placeholder?: string;
}

/**
 * A list of any length that renders only the rows that fit in `height`: a 100,000-row list costs
 * the same per frame as a 20-row one. A scroll gauge on the right tells where the window is.
 */
export function WindowedList({ total, selected, height, renderRow, placeholder = '…' }: WindowedListProps) {
  const top = useWindowTop(selected, Math.max(1, height), total);
  if (top === null) return null;
  const rows: ReactNode[] = [];
  const end = Math.min(total, top + height);
  for (let i = top; i < end; i++) {
    const row = renderRow(i, i === selected);
    rows.push(row === undefined ? <Text key={i} dimColor>{placeholder}</Text> : <Box key={i}>{row}</Box>);
  }
  // The gauge is one multi-line Text beside the rows, not one node per row: fewer nodes to lay out.
  let gauge: string | null = null;
  if (total > height) {
    const thumb = Math.min(height - 1, Math.floor((top / Math.max(1, total - height)) * (height - 1)));
    gauge = Array.from({ length: end - top }, (_, k) => (k === thumb ? '█' : '│')).join('\n');
  }
  return (
    <Box flexDirection="row" height={height} overflow="hidden">
      <Box flexDirection="column" flexGrow={1} flexShrink={1}>
        {rows}
      </Box>
      {gauge ? <Text dimColor>{gauge}</Text> : null}
    </Box>
  );
}
