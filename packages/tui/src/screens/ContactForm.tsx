import { useState } from 'react';
import { Box, Text } from 'ink';
import { Contact, ContactFields, type ParamsOf } from '@annuaire/protocol';
import { Form, type Values } from '../components/Form';
import { Menu } from '../components/Menu';
import { Screen } from '../components/Screen';
import { useBack } from '../hooks/useBack';
import { useConnection } from '../hooks/useConnection';
import { useForm } from '../hooks/useForm';
import { useT, type MessageKey } from '../i18n';
import { back, notify } from '../state/actions';
import { useAppState } from '../state/context';
import { compact, fieldError } from '../state/validation';
import { formKeys } from './CreateAccount';

export const CONTACT_FIELDS = ['nom', 'prenom', 'email', 'telephone', 'entreprise', 'fonction', 'notes'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

const MAX: Record<ContactField, number> = { nom: 100, prenom: 100, email: 254, telephone: 40, entreprise: 200, fonction: 200, notes: 10_000 };

export function contactValues(c: Contact | undefined): Values<ContactField> {
  return {
    nom: c?.nom ?? '',
    prenom: c?.prenom ?? '',
    email: c?.email ?? '',
    telephone: c?.telephone ?? '',
    entreprise: c?.entreprise ?? '',
    fonction: c?.fonction ?? '',
    notes: c?.notes ?? '',
  };
}

/** The fields that differ between two sets of values, ready to send: empty optional fields become null. */
export function changedFields(base: Values<ContactField>, values: Values<ContactField>): Partial<ParamsOf<'update_contact'>> {
  const out: Record<string, string | null> = {};
  for (const name of CONTACT_FIELDS) {
    if (values[name].trim() === base[name].trim()) continue;
    const v = values[name].trim();
    out[name] = v === '' && name !== 'prenom' && name !== 'nom' ? null : v;
  }
  return out as Partial<ParamsOf<'update_contact'>>;
}

function validate(v: Values<ContactField>, t: ReturnType<typeof useT>) {
  const shape = ContactFields.shape;
  const optional = (name: ContactField, schema: Parameters<typeof fieldError>[0]) => (v[name].trim() ? fieldError(schema, v[name].trim(), t) : undefined);
  return compact<ContactField>({
    nom: fieldError(shape.nom, v.nom, t),
    prenom: fieldError(shape.prenom, v.prenom, t),
    email: optional('email', shape.email),
    telephone: optional('telephone', shape.telephone),
    entreprise: optional('entreprise', shape.entreprise),
    fonction: optional('fonction', shape.fonction),
    notes: optional('notes', shape.notes),
  });
}

/** Add (no contact) or edit (a contact) in one form; on version_conflict, show what changed and let the user choose. */
export function ContactForm({ contact }: { contact?: Contact }) {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn } = useConnection();
  /** The server's version this edit is based on: replaced when a conflict is resolved. */
  const [base, setBase] = useState(contact);
  const [conflict, setConflict] = useState<Contact | null>(null);
  const form = useForm<ContactField>(contact ? `contact-${contact.id}` : 'contact-new', contactValues(contact), { validate: (v) => validate(v, t) });
  useBack(conflict === null);

  const save = (editBase: Contact | undefined, values: Values<ContactField>) => {
    if (!editBase) {
      const fields = changedFields(contactValues(undefined), values);
      return form.submit(
        () => conn.request('add_contact', { nom: values.nom.trim(), ...fields } as ParamsOf<'add_contact'>),
        () => {
          dispatch(back());
          dispatch(notify(t('form.added')));
        },
      );
    }
    const changes = changedFields(contactValues(editBase), values);
    if (Object.keys(changes).length === 0) {
      form.setMessage({ text: t('form.unchanged'), tone: 'info' });
      return;
    }
    return form.submit(
      () => conn.request('update_contact', { ...changes, contact_id: editBase.id, version: editBase.version }),
      () => {
        dispatch(back());
        dispatch(notify(t('form.saved')));
      },
      (failure) => {
        if (failure.code !== 'version_conflict') return false;
        const current = Contact.safeParse(failure.current);
        if (!current.success) return false;
        setConflict(current.data);
        return true;
      },
    );
  };

  const resolve = (choice: 'mine' | 'theirs') => {
    if (!conflict) return;
    const server = contactValues(conflict);
    const old = contactValues(base);
    const merged = { ...server };
    // Keep mine: my edits win on the fields I changed; the others take the server's value.
    if (choice === 'mine') for (const name of CONTACT_FIELDS) if (form.values[name] !== old[name]) merged[name] = form.values[name];
    setBase(conflict);
    setConflict(null);
    form.setValues(merged);
    form.markSaved(server);
    if (choice === 'mine') void save(conflict, merged);
    else form.setMessage(null);
  };

  const dialog = conflict ? (
    <ConflictPanel base={contactValues(base)} server={contactValues(conflict)} mine={form.values} onChoose={resolve} onCancel={() => setConflict(null)} />
  ) : null;

  return (
    <Screen title={t(contact ? 'form.editHeading' : 'form.addHeading')} keys={conflict ? [t('keys.arrows'), t('keys.enter'), t('keys.digits', { max: 2 }), t('keys.esc')] : formKeys(t)} dialog={dialog}>
      <Box flexDirection="column">
        <Form
          {...form.formProps}
          isActive={conflict === null}
          fields={CONTACT_FIELDS.map((name) => ({ name, label: t(`field.${name}` as MessageKey), maxLength: MAX[name] }))}
          submitLabel={t('form.submit')}
          onSubmit={() => void save(base, form.values)}
          labelWidth={16}
          fieldWidth={34}
        />
      </Box>
    </Screen>
  );
}

function ConflictPanel({ base, server, mine, onChoose, onCancel }: { base: Values<ContactField>; server: Values<ContactField>; mine: Values<ContactField>; onChoose: (c: 'mine' | 'theirs') => void; onCancel: () => void }) {
  const t = useT();
  const show = (s: string) => s || t('conflict.empty');
  const changed = CONTACT_FIELDS.filter((name) => base[name] !== server[name]);
  useBack(true, () => {
    onCancel();
    return true;
  });
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} flexShrink={0}>
      <Text bold color="yellow">
        {t('conflict.heading')}
      </Text>
      <Text>{t('conflict.changes')}</Text>
      {changed.map((name) => (
        <Text key={name} wrap="truncate-end">
          {'  '}
          {t('conflict.row', { field: t(`field.${name}` as MessageKey), base: show(base[name]), server: show(server[name]), mine: show(mine[name]) })}
        </Text>
      ))}
      <Menu
        items={[
          { value: 'mine', label: t('conflict.keepMine') },
          { value: 'theirs', label: t('conflict.takeServer') },
        ]}
        onSelect={(v) => onChoose(v as 'mine' | 'theirs')}
      />
    </Box>
  );
}
