import { Box, Text } from 'ink';
import { PRIORITY, useKeypress } from '../hooks/useKeypress';
import { useT, type Translate } from '../i18n';

/** Is this key a request for help? F1 anywhere; « ? » where it is not text (the caller decides). */
export const isHelpKey = (event: { input: string; paste: boolean; fn?: 'f1' | 'newline'; key: { ctrl: boolean; meta: boolean } }, { questionMark }: { questionMark: boolean }) =>
  event.fn === 'f1' || (questionMark && !event.paste && !event.key.ctrl && event.input === '?');

/** The editing keys every form field takes, for the help of a screen with a form. */
export function editingHelp(t: Translate): string[] {
  return [t('help.fieldMove'), t('help.fieldSubmit'), t('help.cursor'), t('help.erase'), t('help.clear'), t('help.paste')];
}

/**
 * Every key of the current screen, one per line, over the screen (which stays as it was). It
 * takes every key while open: Esc, F1, ? or Enter close it; Ctrl+C still quits.
 */
export function HelpPanel({ lines, onClose }: { lines: string[]; onClose: () => void }) {
  const t = useT();
  useKeypress(
    (event) => {
      const { key } = event;
      if (key.ctrl && event.input === 'c') return false;
      if (key.escape || key.return || isHelpKey(event, { questionMark: true })) onClose();
      return true;
    },
    { priority: PRIORITY.dialog },
  );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} flexShrink={0}>
      <Text bold color="cyan">
        {t('help.heading')}
      </Text>
      {lines.map((line, i) => (
        <Box key={i} flexShrink={0}>
          <Text wrap="wrap">{line}</Text>
        </Box>
      ))}
      <Text dimColor>{t('help.close')}</Text>
    </Box>
  );
}
