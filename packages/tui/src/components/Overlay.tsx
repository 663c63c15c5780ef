import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { useLayout } from './layout';

/** The footer's lines (a rule and two lines of keys): the overlay stops above them. */
const FOOTER = 3;

/** More lines of blanks than any terminal has rows: the box they fill clips them to its own size. */
const BLANK_ROWS = 200;

/**
 * Paints every cell of its area before drawing its children there. Ink draws a later node over an
 * earlier one cell by cell, but only the cells the later node writes: the gaps of a dialog (padding,
 * margins, the end of a short line) would show the text under it, and rows read as mixed
 * (« …example.org.org »). Here an absolute layer as large as the box writes a blank into each cell
 * first, in the terminal's own colours, whatever the children's size.
 */
export function Solid({ width, children }: { width: number; children: ReactNode }) {
  const blanks = `${' '.repeat(width)}\n`.repeat(BLANK_ROWS);
  return (
    <Box width={width} flexDirection="column" flexShrink={0}>
      <Box position="absolute" width={width} height="100%" overflow="hidden">
        <Text wrap="truncate-end">{blanks}</Text>
      </Box>
      {children}
    </Box>
  );
}

/**
 * Shows its child over the area of its parent (which should have a fixed height), at the bottom
 * (where it hides the fewest fields: forms fill from the top) and centred, without unmounting or
 * hiding more than its own area: nothing typed is lost behind a question, nothing under it is
 * laid out again (a dialog pushed into a full column made Yoga squeeze the rows on top of one another).
 */
export function Overlay({ width = 100, children }: { width?: number; children: ReactNode }) {
  const { columns } = useLayout();
  const w = Math.max(20, Math.min(width, columns - 4));
  return (
    <Box position="absolute" width="100%" height="100%" flexDirection="column" justifyContent="flex-end" alignItems="center">
      <Solid width={w}>{children}</Solid>
    </Box>
  );
}

/** The Overlay of the whole frame (quit and back questions), above the footer. */
export function FrameOverlay({ children }: { children: ReactNode }) {
  const { columns, rows } = useLayout();
  return (
    <Box position="absolute" width={columns} height={Math.max(1, rows - 1 - FOOTER)}>
      <Overlay>{children}</Overlay>
    </Box>
  );
}
