import { useMemo, useState } from 'react';
import { Box } from 'ink';
import { searchWords, type Contact } from '@annuaire/protocol';
import { ContactDetail } from '../components/ContactDetail';
import { ContactRows, FilterLine } from '../components/ContactList';
import { useLayout } from '../components/layout';
import { Screen } from '../components/Screen';
import { useContactDeletion } from '../hooks/useContactDeletion';
import { useContactPager, usePagerWindow } from '../hooks/useContactPager';
import { describeFailure } from '../client/describeFailure';
import { useConnection } from '../hooks/useConnection';
import { useFocusRestore } from '../hooks/useFocusRestore';
import { isCtrl, printable, useKeypress, type KeyEvent } from '../hooks/useKeypress';
import { useLiveList } from '../hooks/useLiveList';
import { useT } from '../i18n';
import { back, push, replaceTop } from '../state/actions';
import { useAppState } from '../state/context';

/** Where each navigation key moves the selection of a list `page` rows high, or null for another key. */
function moveTarget(key: KeyEvent['key'], current: number, page: number, total: number): number | null {
  if (key.upArrow) return current - 1;
  if (key.downArrow) return current + 1;
  if (key.pageUp) return current - page;
  if (key.pageDown) return current + page;
  if (key.home) return 0;
  if (key.end) return total - 1;
  return null;
}

/**
 * My contacts: a windowed list (only visible rows render, pages load as the selection nears them),
 * a detail pane for the selected contact, and type-to-filter. Each change of the filter starts a
 * new pager and disposes of the old one (useContactPager), so a newer query always supersedes an older one.
 */
export function Contacts({ initialQuery = '', initialSelected = 0, focus }: { initialQuery?: string; initialSelected?: number; focus?: Contact | undefined }) {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn, state: connState } = useConnection();
  const { columns, bodyHeight } = useLayout();
  const [query, setQuery] = useState(initialQuery);
  const [selected, setSelected] = useState(initialSelected);

  const trimmed = query.trim();
  // What the filter's words match is highlighted in the rows (folded as the server folds).
  const words = useMemo(() => searchWords(trimmed), [trimmed]);
  const listHeight = Math.max(1, bodyHeight - 1);
  const { pager, reload } = useContactPager(conn, trimmed, listHeight);
  const total = pager.total ?? 0;
  const current = Math.max(0, Math.min(selected, total - 1));
  usePagerWindow(pager, current, listHeight, connState);
  useFocusRestore(conn, pager, trimmed, focus, setSelected);
  const contact = pager.row(current);
  useLiveList(pager, { filtered: trimmed !== '', selected: contact, select: setSelected });
  const deletion = useContactDeletion(reload);

  const saveAndPush = (route: Parameters<typeof push>[0]) => {
    dispatch(replaceTop({ name: 'contacts', query, selected: current }));
    dispatch(push(route));
  };
  const refine = (next: (q: string) => string) => {
    setQuery(next);
    setSelected(0);
  };

  useKeypress(
    (event) => {
      const { key } = event;
      if (!event.paste) {
        const to = moveTarget(key, current, listHeight, total);
        if (to !== null) {
          setSelected(Math.max(0, Math.min(to, Math.max(0, total - 1))));
          return true;
        }
        if (key.return) {
          if (contact) saveAndPush({ name: 'contactForm', contact });
          return true;
        }
        if (isCtrl(event, 'n')) {
          saveAndPush({ name: 'contactForm' });
          return true;
        }
        if (isCtrl(event, 'd')) {
          if (contact) deletion.ask(contact);
          return true;
        }
        if (isCtrl(event, 'r')) {
          // Everything again from the server (a contact changed in another terminal), where the user is.
          reload();
          return true;
        }
        if (key.escape) {
          if (query) refine(() => '');
          else dispatch(back());
          return true;
        }
        if (key.backspace || key.delete) {
          refine((q) => q.slice(0, -1));
          return true;
        }
      }
      // Anything printable refines the filter; « ? » on an empty filter is the help's.
      const text = printable(event);
      if (!text || (text === '?' && !query)) return false;
      refine((q) => (q + text).slice(0, 200));
      return true;
    },
    { isActive: !deletion.asking },
  );

  const listWidth = Math.max(30, Math.floor(columns * 0.55));
  const failure = pager.error ? describeFailure(pager.error, t).message : null;
  // One entry for the moves: the footer's two lines hold every key at 80 columns, filter on.
  // Typing to filter is said on the filter line; F1 lists every key.
  const keys = [t('keys.move'), t('keys.edit'), t('keys.new'), t('keys.delete'), failure ? t('keys.retryCtrl') : t('keys.reload'), query ? t('keys.clearFilter') : t('keys.esc')];

  return (
    <Screen title={t('contacts.heading')} keys={keys} help={[t('help.listMove'), t('help.listFilter'), t('help.listActions'), t('help.helpKeys')]} dialog={deletion.dialog}>
      <FilterLine query={query} pager={pager} width={listWidth} />
      <Box flexDirection="row" height={listHeight}>
        <Box width={listWidth} flexShrink={0} flexDirection="column">
          <ContactRows pager={pager} words={words} selected={current} height={listHeight} failure={failure} filtered={trimmed !== ''} />
        </Box>
        <ContactDetail contact={contact} height={listHeight} />
      </Box>
    </Screen>
  );
}
