import { useEffect, useState } from 'react';
import { Text } from 'ink';

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A small animated wheel shown while a request is on its way. */
export function Spinner({ label }: { label?: string }) {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => (f + 1) % SPINNER_FRAMES.length), 100);
    return () => clearInterval(timer);
  }, []);
  return (
    <Text color="yellow">
      {SPINNER_FRAMES[frame]}
      {label ? ` ${label}` : ''}
    </Text>
  );
}
