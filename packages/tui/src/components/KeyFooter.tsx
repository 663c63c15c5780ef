import { Box, Text } from 'ink';

/** The bottom lines: every key that works on the current screen, on up to two lines under a rule. */
export function KeyFooter({ keys }: { keys: string[] }) {
  return (
    <Box height={3} flexShrink={0} borderStyle="single" borderBottom={false} borderLeft={false} borderRight={false} borderDimColor>
      <Text dimColor wrap="wrap">
        {/* A no-break space before each dot: a wrapped line never starts with « · ». */}
        {keys.join('\u00a0· ')}
      </Text>
    </Box>
  );
}
