import { Box, Text } from 'ink';

/** The bottom lines: every key that works on the current screen, on up to two lines under a rule. */
export function KeyFooter({ keys }: { keys: string[] }) {
  return (
    <Box height={3} flexShrink={0} borderStyle="single" borderBottom={false} borderLeft={false} borderRight={false} borderDimColor>
      <Text dimColor wrap="wrap">
        {/* Lines break only between keys (no-break spaces inside each, and before each dot): never
            « Ctrl+C » at the end of a line and « quitter » alone on the next, nor a line starting with « · ». */}
        {keys.map((k) => k.replace(/ /g, '\u00a0')).join('\u00a0· ')}
      </Text>
    </Box>
  );
}
