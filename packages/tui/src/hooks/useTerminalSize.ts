import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
}

const DEFAULT = { columns: 80, rows: 24 };

function read(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || DEFAULT.columns, rows: stdout.rows || DEFAULT.rows };
}

/**
 * The terminal's size, updated on resize. Ink 6 only re-lays out on a width change and never
 * clears what the old size left behind, so on resize we also wipe the screen through Ink's own
 * write path (which repaints the last frame right after) before the new size re-renders.
 */
export function useTerminalSize(): TerminalSize {
  const { stdout, write } = useStdout();
  const [size, setSize] = useState(() => read(stdout));
  useEffect(() => {
    const onResize = () => {
      if (stdout.isTTY) write('\u001b[2J\u001b[H');
      setSize(read(stdout));
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, write]);
  return size;
}
