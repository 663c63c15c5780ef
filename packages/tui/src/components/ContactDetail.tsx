import { Box, Text } from 'ink';
import type { Contact } from '@annuaire/protocol';
import { useT } from '../i18n';

/** The detail pane: every field of one contact that has a value. */
export function ContactDetail({ contact, height }: { contact: Contact | undefined; height: number }) {
  const t = useT();
  const colon = t('punct.colon');
  if (!contact) return <Box borderStyle="round" borderDimColor height={height} flexGrow={1} />;
  const a = contact.adresse;
  const adresse = a ? [a.rue, [a.code_postal, a.ville].filter(Boolean).join(' '), a.region, a.pays].filter(Boolean).join(', ') : '';
  const lines: [string, string][] = [
    ...contact.emails.map((e): [string, string] => [t('field.email'), e.value]),
    ...contact.telephones.map((p): [string, string] => [t('field.telephone'), p.value]),
    [t('field.entreprise'), contact.entreprise ?? ''],
    [t('field.fonction'), contact.fonction ?? ''],
    [t('field.adresse'), adresse],
    [t('field.anniversaire'), contact.anniversaire ?? ''],
    [t('field.site_web'), contact.site_web ?? ''],
    [t('field.notes'), contact.notes ?? ''],
  ];
  return (
    <Box borderStyle="round" borderDimColor flexDirection="column" height={height} flexGrow={1} paddingX={1} overflow="hidden">
      <Text bold color="cyan" wrap="truncate-end">
        {contact.nom} {contact.prenom}
      </Text>
      {/* Whole values, wrapped, as long as the pane has room (it clips at its bottom); notes keep their lines. */}
      {lines
        .filter(([, value]) => value)
        .map(([label, value], i) => (
          // flexShrink 0: a pane too short clips the last lines, it never squeezes them onto one another.
          <Box key={i} flexShrink={0}>
            <Text wrap="wrap">
              <Text dimColor>
                {label}
                {colon}
              </Text>
              {value}
            </Text>
          </Box>
        ))}
    </Box>
  );
}
