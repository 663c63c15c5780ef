import { useState } from 'react';
import { Box, Text } from 'ink';
import { ContactFields, type Contact } from '@annuaire/protocol';
import { Form } from '../components/Form';
import { Screen } from '../components/Screen';
import { useBack } from '../hooks/useBack';
import { useConnection } from '../hooks/useConnection';
import { useForm } from '../hooks/useForm';
import { useT } from '../i18n';
import { compact, fieldError } from '../state/validation';
import { formKeys } from './CreateAccount';

/** The seed's search: nom and prénom → recherche_contact → every match's coordinates, or « introuvable ». */
export function Search() {
  const t = useT();
  const { conn } = useConnection();
  const colon = t('punct.colon');
  const [found, setFound] = useState<Contact[] | null>(null);
  const form = useForm(
    'search',
    { nom: '', prenom: '' },
    { validate: (v) => compact({ nom: fieldError(ContactFields.shape.nom, v.nom, t) }) },
  );
  useBack();
  return (
    <Screen title={t('search.heading')} keys={formKeys(t)}>
      <Box marginTop={1} flexDirection="column">
        <Form
          {...form.formProps}
          fields={[
            { name: 'nom', label: t('search.nom'), maxLength: 100 },
            { name: 'prenom', label: t('search.prenom'), maxLength: 100 },
          ]}
          submitLabel={t('search.submit')}
          onSubmit={() => {
            setFound(null);
            void form.submit(
              (v) => conn.request('recherche_contact', { nom: v.nom.trim(), prenom: v.prenom.trim() }),
              (result) => {
                setFound(result.contacts);
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
              {found.map((c) => (
                <Box key={c.id} flexDirection="column" marginLeft={2}>
                  <Text wrap="truncate-end">
                    <Text dimColor>{t('field.nom')}{colon}</Text>
                    <Text bold>{c.nom}</Text>
                    <Text dimColor> · {t('field.prenom')}{colon}</Text>
                    <Text bold>{c.prenom}</Text>
                  </Text>
                  <Text wrap="truncate-end">
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
