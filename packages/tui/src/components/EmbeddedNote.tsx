import { createContext, useContext } from 'react';
import { Text } from 'ink';
import { useT } from '../i18n';

/** The embedded server's data directory (unset when the app talks to a server of its own). */
export const DataDirContext = createContext<string | undefined>(undefined);

/** One dim line naming where the embedded server keeps its data: the status bar has no room for it at 80 columns. */
export function EmbeddedNote() {
  const t = useT();
  const dataDir = useContext(DataDirContext);
  if (!dataDir) return null;
  return (
    <Text dimColor wrap="truncate-start">
      {t('app.embeddedData', { dataDir })}
    </Text>
  );
}
