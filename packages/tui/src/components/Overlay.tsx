import type { ReactNode } from 'react';
import { Box } from 'ink';
import { useLayout } from './Screen';

/** The footer's lines (a rule and two lines of keys): the overlay stops above them. */
const FOOTER = 3;

/**
 * Shows its child over the screen, centred at the bottom of the body (where it hides the fewest
 * fields: forms fill from the top), without unmounting or hiding what is under it. The child should
 * paint its own background (ConfirmDialog `solid`), or the text under it shows through its blank cells.
 */
export function Overlay({ width = 76, children }: { width?: number; children: ReactNode }) {
  const { columns, rows } = useLayout();
  const w = Math.max(20, Math.min(width, columns - 4));
  return (
    <Box position="absolute" width={columns} height={Math.max(1, rows - 1 - FOOTER)} flexDirection="column" justifyContent="flex-end" alignItems="center">
      <Box width={w} flexDirection="column" flexShrink={0}>
        {children}
      </Box>
    </Box>
  );
}
