import { Box, Text } from 'ink';
import type { ContactPager } from '../client/contactPager';
import { useT } from '../i18n';
import { Highlight } from './Highlight';
import { Spinner } from './Spinner';
import { WindowedList } from './WindowedList';

/** « Filtre : dup▌ » and how many contacts the list holds (or match), with a spinner while a page loads. */
export function FilterLine({ query, pager, width }: { query: string; pager: ContactPager; width: number }) {
  const t = useT();
  const trimmed = query.trim();
  const total = pager.total ?? 0;
  return (
    <Box flexShrink={0}>
      <Box width={width} flexShrink={0}>
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
          {trimmed ? t(pager.totalIsLowerBound ? 'contacts.filteredMore' : 'contacts.filtered', { count: total, query: trimmed }) : t('contacts.count', { count: total })}
        </Text>
      ) : null}
      {pager.loading ? (
        <Text>
          {' '}
          <Spinner />
        </Text>
      ) : null}
    </Box>
  );
}

/**
 * The rows of the list: only those in view render, each with what the filter's `words` match
 * highlighted; or why there are none (a failure, no contacts, no match, still loading).
 */
export function ContactRows({ pager, words, selected, height, failure, filtered }: { pager: ContactPager; words: readonly string[]; selected: number; height: number; failure: string | null; filtered: boolean }) {
  const t = useT();
  if (failure) return <Text color="red">{failure}</Text>;
  if (pager.total === 0) return <Text dimColor>{filtered ? t('contacts.noMatch') : t('contacts.empty')}</Text>;
  if (pager.total === null) return <Text dimColor>{t('contacts.loading')}</Text>;
  return (
    <WindowedList
      total={pager.total}
      selected={selected}
      height={height}
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
  );
}
