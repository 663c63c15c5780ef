import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { searchWords, type Contact } from '@annuaire/protocol';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ContactDetail } from '../components/ContactDetail';
import { Highlight } from '../components/Highlight';
import { Screen, useLayout } from '../components/Screen';
import { Spinner } from '../components/Spinner';
import { WindowedList } from '../components/WindowedList';
import { describeFailure, useConnection } from '../hooks/useConnection';
import { isCtrl, printable, useKeypress, type KeyEvent } from '../hooks/useKeypress';
import { useLiveList } from '../hooks/useLiveList';
import { useT } from '../i18n';
import { fullName } from '../lib/format';
import type { ServerClient } from '../client/serverClient';
import { ContactPager, locateInList } from '../client/contactPager';
import { back, notify, push, replaceTop } from '../state/actions';
import { useAppState } from '../state/context';

/** search_contacts takes offsets up to 10,000 and counts that far: rows past that are not listed. */
const MAX_SEARCH_ROWS = 10_000;

/** All contacts sorted by nom then prénom (list_contacts), or the matches of a filter (search_contacts), both by offset. */
export function makePager(conn: ServerClient, query: string): ContactPager {
  if (!query) return new ContactPager(({ offset, limit }) => conn.request('list_contacts', { sort: 'nom', limit, offset }));
  return new ContactPager(({ offset, limit }) => conn.request('search_contacts', { query, limit, offset }), MAX_SEARCH_ROWS);
}

/**
 * My contacts: a windowed list (only visible rows render, pages load as the selection nears them),
 * a detail pane for the selected contact, and type-to-filter. Each change of the filter starts a
 * new pager and disposes of the old one, so a newer query always supersedes an older one.
 */
export function Contacts({ initialQuery = '', initialSelected = 0, focus }: { initialQuery?: string; initialSelected?: number; focus?: Contact | undefined }) {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn, state: connState } = useConnection();
  const { columns, bodyHeight } = useLayout();
  const [query, setQuery] = useState(initialQuery);
  const [selected, setSelected] = useState(initialSelected);
  const [generation, setGeneration] = useState(0);
  const [confirming, setConfirming] = useState<Contact | null>(null);
  const [, repaint] = useReducer((n: number) => n + 1, 0);

  const trimmed = query.trim();
  // What the filter's words match is highlighted in the rows (folded as the server folds).
  const words = useMemo(() => searchWords(trimmed), [trimmed]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `generation` asks for a new pager (after a deletion); useMemo promises no lifetime: a hook should own the pager (issue 12)
  const pager = useMemo(() => makePager(conn, trimmed), [conn, trimmed, generation]);
  useEffect(() => {
    pager.on('change', repaint);
    return () => pager.dispose();
  }, [pager]);

  const listHeight = Math.max(1, bodyHeight - 1);
  const total = pager.total ?? 0;
  const current = Math.max(0, Math.min(selected, total - 1));
  useEffect(() => {
    pager.want(current - listHeight, current + listHeight * 2);
  }, [pager, current, listHeight]);
  // A page that failed because the link dropped loads again once it is back.
  useEffect(() => {
    if (connState === 'online' && pager.error) pager.retry();
  }, [connState, pager]);

  useFocus(conn, pager, trimmed, focus, setSelected);

  const contact = pager.row(current);
  useLiveList(pager, trimmed !== '', contact, setSelected);
  const move = (to: number) => setSelected(Math.max(0, Math.min(to, Math.max(0, total - 1))));
  const saveAndPush = (route: Parameters<typeof push>[0]) => {
    dispatch(replaceTop({ name: 'contacts', query, selected: current }));
    dispatch(push(route));
  };

  /** Where each navigation key moves the selection. */
  const target = (key: KeyEvent['key']): number | null => {
    if (key.upArrow) return current - 1;
    if (key.downArrow) return current + 1;
    if (key.pageUp) return current - listHeight;
    if (key.pageDown) return current + listHeight;
    if (key.home) return 0;
    if (key.end) return total - 1;
    return null;
  };

  useKeypress(
    (event) => {
      const { key } = event;
      if (!event.paste) {
        const to = target(key);
        if (to !== null) {
          move(to);
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
          if (contact) setConfirming(contact);
          return true;
        }
        if (isCtrl(event, 'r')) {
          // Everything again from the server (a contact changed in another terminal), where the user is.
          setGeneration((g) => g + 1);
          return true;
        }
        if (key.escape) {
          if (query) {
            setQuery('');
            setSelected(0);
          } else dispatch(back());
          return true;
        }
        if (key.backspace || key.delete) {
          setQuery((q) => q.slice(0, -1));
          setSelected(0);
          return true;
        }
      }
      // Anything printable refines the filter; « ? » on an empty filter is the help's.
      const text = printable(event);
      if (!text || (text === '?' && !query)) return false;
      setQuery((q) => (q + text).slice(0, 200));
      setSelected(0);
      return true;
    },
    { isActive: confirming === null },
  );

  const remove = async (victim: Contact) => {
    setConfirming(null);
    try {
      const result = await conn.request('delete_contact', { contact_id: victim.id });
      dispatch(notify(result.message));
      setGeneration((g) => g + 1);
    } catch (err) {
      dispatch(notify(describeFailure(err, t).message, 'error'));
    }
  };

  const listWidth = Math.max(30, Math.floor(columns * 0.55));
  const failure = pager.error ? describeFailure(pager.error, t).message : null;
  // One entry for the moves: the footer's two lines hold every key at 80 columns, filter on.
  // Typing to filter is said on the filter line; F1 lists every key.
  const keys = [t('keys.move'), t('keys.edit'), t('keys.new'), t('keys.delete'), failure ? t('keys.retryCtrl') : t('keys.reload'), query ? t('keys.clearFilter') : t('keys.esc')];

  return (
    <Screen
      title={t('contacts.heading')}
      keys={keys}
      help={[t('help.listMove'), t('help.listFilter'), t('help.listActions'), t('help.helpKeys')]}
      dialog={confirming ? <ConfirmDialog message={t('contacts.confirmDelete', { name: fullName(confirming) })} onYes={() => void remove(confirming)} onNo={() => setConfirming(null)} /> : null}
    >
      <Box flexShrink={0}>
        <Box width={listWidth} flexShrink={0}>
          <Text wrap="truncate-end">
            <Text dimColor>
              {t('contacts.filter')}
              {t('punct.colon')}
            </Text>
            {query ? <Text color="cyan">{query}</Text> : <Text dimColor>{t('contacts.filterEmpty')}</Text>}
            <Text inverse> </Text>
          </Text>
        </Box>
        {pager.total !== null ? (
          <Text dimColor wrap="truncate-end">
            {' '}
            {trimmed
              ? t(pager.totalIsLowerBound ? 'contacts.filteredMore' : 'contacts.filtered', { count: total, query: trimmed })
              : t('contacts.count', { count: total })}
          </Text>
        ) : null}
        {pager.loading ? (
          <Text>
            {' '}
            <Spinner />
          </Text>
        ) : null}
      </Box>
      <Box flexDirection="row" height={listHeight}>
        <Box width={listWidth} flexShrink={0} flexDirection="column">
          {failure ? (
            <Text color="red">{failure}</Text>
          ) : pager.total === 0 ? (
            <Text dimColor>{trimmed ? t('contacts.noMatch') : t('contacts.empty')}</Text>
          ) : pager.total === null ? (
            <Text dimColor>{t('contacts.loading')}</Text>
          ) : (
            <WindowedList
              total={total}
              selected={current}
              height={listHeight}
              placeholder={t('contacts.loading')}
              renderRow={(i, isSelected) => {
                const row = pager.row(i);
                if (!row) return undefined;
                return (
                  <Text wrap="truncate-end" inverse={isSelected} color={isSelected ? 'cyan' : undefined}>
                    {isSelected ? '❯ ' : '  '}
                    <Highlight text={row.nom} words={words} bold /> <Highlight text={row.prenom} words={words} />
                    {row.email ? (
                      <>
                        {' '}
                        <Highlight text={row.email} words={words} dim={!isSelected} />
                      </>
                    ) : null}
                  </Text>
                );
              }}
            />
          )}
        </Box>
        <ContactDetail contact={contact} height={listHeight} />
      </Box>
    </Screen>
  );
}

/**
 * Back from the form that saved `focus`: select that contact rather than the row it used to be on
 * (an edit may have renamed it, an add put it anywhere). Among the rows loaded around the old place
 * first; else, in the full list, by binary search on its sort key; in a filtered list, by
 * relevance, the server's own order, it stays where it was.
 */
function useFocus(conn: ServerClient, pager: ContactPager, query: string, focus: Contact | undefined, select: (i: number) => void) {
  const pending = useRef(focus ?? null);
  // The list on screen now: a lookup that finishes after the user typed a filter must not move its selection.
  const current = useRef(pager);
  current.current = pager;
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );
  const settled = pager.total !== null && !pager.loading;
  useEffect(() => {
    const target = pending.current;
    if (!target || !settled) return;
    pending.current = null;
    const at = pager.indexOf(target.id);
    if (at >= 0) {
      select(at);
      return;
    }
    if (query) return;
    const rowAt = async (offset: number) => (await conn.request('list_contacts', { sort: 'nom', limit: 1, offset })).contacts[0];
    locateInList(target, pager.total ?? 0, rowAt).then(
      (i) => {
        if (i !== null && alive.current && current.current === pager) select(i);
      },
      () => undefined,
    );
  }, [conn, pager, query, settled, select]);
}
