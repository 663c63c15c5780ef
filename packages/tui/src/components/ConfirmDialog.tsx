import { useState } from 'react';
import { Box, Text } from 'ink';
import { PRIORITY, useKeypress } from '../hooks/useKeypress';
import { useT } from '../i18n';

/**
 * A modal yes/no question. It sits above the screen in the key dispatcher and swallows every key
 * while open. O/Y answers yes, N or Esc answers no, ←/→ then Enter choose. "No" is preselected.
 */
export function ConfirmDialog({ message, details, onYes, onNo }: { message: string; details?: string[]; onYes: () => void; onNo: () => void }) {
  const t = useT();
  const [yes, setYes] = useState(false);
  useKeypress(
    (event) => {
      const { input, key } = event;
      if (key.ctrl && input === 'c') return false; // Ctrl+C still quits.
      if (key.leftArrow || key.rightArrow || key.tab) setYes((v) => !v);
      else if (key.escape || /^[nN]$/.test(input)) onNo();
      else if (/^[oOyY]$/.test(input)) onYes();
      else if (key.return) (yes ? onYes : onNo)();
      return true;
    },
    { priority: PRIORITY.dialog },
  );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} flexShrink={0}>
      <Text bold>{message}</Text>
      {details?.map((line, i) => <Text key={i}>{line}</Text>)}
      <Box marginTop={1}>
        <Text inverse={yes} color={yes ? 'red' : undefined}>
          {' '}
          {t('confirm.yes')}{' '}
        </Text>
        <Text>   </Text>
        <Text inverse={!yes}> {t('confirm.no')} </Text>
        <Text dimColor>   {t('keys.yesNo')}</Text>
      </Box>
    </Box>
  );
}
