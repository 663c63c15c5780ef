import { useState } from 'react';
import { Box, Text } from 'ink';
import { contacts, ContactFields, requiredMaxLength, type Contact } from '@annuaire/protocol';
import { Form } from '../components/Form';
import { formKeys } from '../components/formKeys';
import { useLayout } from '../components/layout';
import { Screen } from '../components/Screen';
import { useWindowTop } from '../components/WindowedList';
import { useBack } from '../hooks/useBack';
import { useConnection } from '../hooks/useConnection';
import { useKeypress } from '../hooks/useKeypress';
import { push } from '../state/actions';
import { useAppState } from '../state/context';
import { useForm } from '../hooks/useForm';
import { useT } from '../i18n';
import { compact, fieldError } from '../lib/validation';

/**
 * The seed's search: nom and prénom (optional: without it, every contact of that nom) →
 * recherche_contact → every match's coordinates, or « introuvable ». The matches are a list:
 * ↑↓ choose, Enter opens the contact; any other key goes back to the form.
 */
export function Search() {
  const t = useT();
  const { conn } = useConnection();
  const { dispatch } = useAppState();
  const { bodyHeight } = useLayout();
  const colon = t('punct.colon');
  const [found, setFound] = useState<Contact[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [browsing, setBrowsing] = useState(false);
  const form = useForm(
    'search',
    { nom: '', prenom: '' },
    { validate: (v) => compact({ nom: fieldError(ContactFields.shape.nom, v.nom, t) }) },
  );
  useBack();
  // Above the form: while the matches are browsed, ↑↓ and Enter are theirs.
  useKeypress(
    (event) => {
      if (!found?.length) return false;
      const { key } = event;
      if (!event.paste && key.upArrow) setSelected((i) => Math.max(0, i - 1));
      else if (!event.paste && key.downArrow) setSelected((i) => Math.min(found.length - 1, i + 1));
      else if (!event.paste && key.return && found[selected]) dispatch(push({ name: 'contactForm', contact: found[selected] }));
      else {
        setBrowsing(false);
        // Esc leaves the list for the form; any other key is the form's.
        return !event.paste && key.escape;
      }
      return true;
    },
    { isActive: browsing, priority: 10 },
  );
  const keys = browsing ? [t('keys.arrows'), t('keys.open'), t('keys.backToForm')] : formKeys(t);
  // The matches take two lines each, under the form (about 8 lines): only a window of them, around
  // the selected one, is laid out, so a long list is never squeezed into the room left.
  const perScreen = Math.max(1, Math.floor((bodyHeight - 10) / 2));
  const top = useWindowTop(selected, perScreen, found?.length ?? 0);
  if (top === null) return null;
  const shownResults = (found ?? []).slice(top, top + perScreen).map((c, k) => ({ c, i: top + k }));
  return (
    <Screen title={t('search.heading')} keys={keys}>
      <Box marginTop={1} flexDirection="column">
        <Form
          {...form.formProps}
          isActive={!browsing}
          fields={[
            { name: 'nom', label: t('search.nom'), maxLength: requiredMaxLength(contacts.recherche_contact.params.shape.nom) },
            { name: 'prenom', label: t('search.prenom'), maxLength: requiredMaxLength(contacts.recherche_contact.params.shape.prenom) },
          ]}
          submitLabel={t('search.submit')}
          onSubmit={() => {
            setFound(null);
            void form.submit(
              (v) => conn.request('recherche_contact', { nom: v.nom.trim(), prenom: v.prenom.trim() }),
              (result) => {
                setFound(result.contacts);
                setSelected(0);
                setBrowsing(result.contacts.length > 0);
                form.markSaved(form.values);
              },
            );
          }}
        />
      </Box>
      {found ? (
        <Box marginTop={1} flexDirection="column">
          {found.length === 0 ? (
            <Text color="yellow">{t('search.notFound')}</Text>
          ) : (
            <>
              <Text>{t('search.found', { count: found.length })}</Text>
              {shownResults.map(({ c, i }) => (
                <Box key={c.id} flexDirection="column" flexShrink={0}>
                  <Text wrap="truncate-end" color={browsing && i === selected ? 'cyan' : undefined}>
                    {browsing && i === selected ? '❯ ' : '  '}
                    <Text dimColor>{t('field.nom')}{colon}</Text>
                    <Text bold>{c.nom}</Text>
                    <Text dimColor> · {t('field.prenom')}{colon}</Text>
                    <Text bold>{c.prenom}</Text>
                  </Text>
                  <Text wrap="truncate-end">
                    {'  '}
                    <Text dimColor>{t('field.email')}{colon}</Text>
                    {c.email ?? '—'}
                    <Text dimColor> · {t('field.telephone')}{colon}</Text>
                    {c.telephone ?? '—'}
                  </Text>
                </Box>
              ))}
            </>
          )}
        </Box>
      ) : null}
    </Screen>
  );
}
