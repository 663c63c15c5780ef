import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { Address, Birthday, Contact, ContactFields, Email, Phone, type ParamsOf } from '@annuaire/protocol';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Form, type Values } from '../components/Form';
import { Menu } from '../components/Menu';
import { Screen, useLayout } from '../components/Screen';
import { useBack } from '../hooks/useBack';
import { useConnection } from '../hooks/useConnection';
import { useForm } from '../hooks/useForm';
import { useT, type MessageKey } from '../i18n';
import { notify, saved } from '../state/actions';
import { useAppState, useDraft } from '../state/context';
import { findDuplicates, type Duplicate } from '../state/duplicates';
import { compact, fieldError } from '../state/validation';
import { formKeys } from './CreateAccount';
import { fullName } from './Contacts';

/** The form's fields, in order. email2/telephone2 are the second entries of the lists; rue…pays the address. */
export const CONTACT_FIELDS = [
  'nom',
  'prenom',
  'email',
  'email2',
  'telephone',
  'telephone2',
  'entreprise',
  'fonction',
  'rue',
  'code_postal',
  'ville',
  'pays',
  'anniversaire',
  'site_web',
  'notes',
] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

const MAX: Record<ContactField, number> = {
  nom: 100,
  prenom: 100,
  email: 254,
  email2: 254,
  telephone: 40,
  telephone2: 40,
  entreprise: 200,
  fonction: 200,
  rue: 200,
  code_postal: 20,
  ville: 100,
  pays: 100,
  anniversaire: 10,
  site_web: 500,
  notes: 10_000,
};

const PLAIN = ['nom', 'prenom', 'entreprise', 'fonction', 'anniversaire', 'site_web', 'notes'] as const;
const ADDRESS = ['rue', 'code_postal', 'ville', 'pays'] as const;

export function contactValues(c: Contact | undefined): Values<ContactField> {
  return {
    nom: c?.nom ?? '',
    prenom: c?.prenom ?? '',
    email: c?.emails[0]?.value ?? c?.email ?? '',
    email2: c?.emails[1]?.value ?? '',
    telephone: c?.telephones[0]?.value ?? c?.telephone ?? '',
    telephone2: c?.telephones[1]?.value ?? '',
    entreprise: c?.entreprise ?? '',
    fonction: c?.fonction ?? '',
    rue: c?.adresse?.rue ?? '',
    code_postal: c?.adresse?.code_postal ?? '',
    ville: c?.adresse?.ville ?? '',
    pays: c?.adresse?.pays ?? '',
    anniversaire: c?.anniversaire ?? '',
    site_web: c?.site_web ?? '',
    notes: c?.notes ?? '',
  };
}

/**
 * The form's two entries of a list in place of the existing first two, keeping each one's type,
 * and every entry beyond them as it was: an edit never loses the third email of a vCard import.
 */
function listFrom<T extends string>(existing: { value: string; type: T }[], first: string, second: string, fallback: T): { value: string; type: T }[] {
  const head = [first, second].flatMap((v, i) => (v.trim() ? [{ value: v.trim(), type: existing[i]?.type ?? fallback }] : []));
  return [...head, ...existing.slice(2)];
}

/**
 * What to send for `values` edited from `base` (nothing for a new contact): only what changed,
 * empty optional fields as null, emails and telephones as whole lists, the address as a whole
 * (its région, not in the form, kept).
 */
export function contactParams(base: Contact | undefined, values: Values<ContactField>): Partial<ContactFields> {
  const old = contactValues(base);
  const changed = (name: ContactField) => values[name].trim() !== old[name].trim();
  const out: Record<string, unknown> = {};
  for (const name of PLAIN) {
    if (!changed(name)) continue;
    const v = values[name].trim();
    out[name] = v === '' && name !== 'prenom' && name !== 'nom' ? null : v;
  }
  if (changed('email') || changed('email2')) out.emails = listFrom(base?.emails ?? [], values.email, values.email2, 'other');
  if (changed('telephone') || changed('telephone2')) out.telephones = listFrom(base?.telephones ?? [], values.telephone, values.telephone2, 'other');
  if (ADDRESS.some(changed)) {
    const region = base?.adresse?.region ?? null;
    const parts = Object.fromEntries(ADDRESS.map((name) => [name, values[name].trim() || null]));
    out.adresse = region === null && ADDRESS.every((name) => parts[name] === null) ? null : { ...parts, region };
  }
  return out as Partial<ContactFields>;
}

/** The form field for a field the server names in invalid_params. */
export function formFieldFor(serverField: string): ContactField | undefined {
  const [head, index] = serverField.split('.');
  const list = (first: ContactField, second: ContactField) => (index === undefined || index === '0' ? first : index === '1' ? second : undefined);
  if (head === 'emails' || head === 'email') return list('email', 'email2');
  if (head === 'telephones' || head === 'telephone') return list('telephone', 'telephone2');
  if (head === 'adresse') return index === undefined ? 'rue' : (ADDRESS as readonly string[]).includes(index) ? (index as ContactField) : undefined;
  return (CONTACT_FIELDS as readonly string[]).includes(head ?? '') ? (head as ContactField) : undefined;
}

function validate(v: Values<ContactField>, t: ReturnType<typeof useT>) {
  const shape = ContactFields.shape;
  const optional = (name: ContactField, schema: Parameters<typeof fieldError>[0]) => (v[name].trim() ? fieldError(schema, v[name].trim(), t) : undefined);
  return compact<ContactField>({
    nom: fieldError(shape.nom, v.nom, t),
    prenom: fieldError(shape.prenom, v.prenom, t),
    email: optional('email', Email),
    email2: optional('email2', Email),
    telephone: optional('telephone', Phone),
    telephone2: optional('telephone2', Phone),
    entreprise: optional('entreprise', shape.entreprise),
    fonction: optional('fonction', shape.fonction),
    rue: optional('rue', Address.shape.rue),
    code_postal: optional('code_postal', Address.shape.code_postal),
    ville: optional('ville', Address.shape.ville),
    pays: optional('pays', Address.shape.pays),
    anniversaire: optional('anniversaire', Birthday),
    site_web: optional('site_web', shape.site_web),
    notes: optional('notes', shape.notes),
  });
}

/** Add (no contact) or edit (a contact) in one form; on version_conflict, show what changed and let the user choose. */
export function ContactForm({ contact, draft }: { contact?: Contact; draft?: Record<string, string> | undefined }) {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn } = useConnection();
  const { bodyHeight, columns } = useLayout();
  /** The server's version this edit is based on: replaced when a conflict is resolved. */
  const [base, setBase] = useState(contact);
  const [conflict, setConflict] = useState<Contact | null>(null);
  /** The contact was deleted elsewhere: the form offers to add it again. */
  const [gone, setGone] = useState(false);
  /** Contacts like the one about to be added: the user is asked before it goes in. */
  const [duplicates, setDuplicates] = useState<Duplicate[] | null>(null);
  const form = useForm<ContactField>(contact ? `contact-${contact.id}` : 'contact-new', { ...contactValues(contact), ...draft }, { validate: (v) => validate(v, t), fieldFor: formFieldFor });
  // A draft from an ended session is unsaved input: measured against the contact it was based on.
  useEffect(() => {
    if (draft) form.markSaved(contactValues(contact));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const dirty = CONTACT_FIELDS.some((name) => form.values[name] !== contactValues(base)[name]);
  useDraft(dirty ? { ...(base ? { contact: base } : {}), values: form.values } : null);
  const asking = conflict !== null || gone || duplicates !== null;
  useBack(!asking);

  /** A new contact: first, whether it looks like one already there (a warning, not a refusal). */
  const add = async (values: Values<ContactField>) => {
    if (!form.check()) return;
    const entries = (prefix: string) => (Object.keys(values) as ContactField[]).filter((k) => k.startsWith(prefix)).map((k) => values[k]);
    const found = await findDuplicates(conn, { nom: values.nom, prenom: values.prenom, emails: entries('email'), phones: entries('telephone') }).catch(() => []);
    if (found.length > 0) setDuplicates(found);
    else void save(undefined, values);
  };

  const save = (editBase: Contact | undefined, values: Values<ContactField>, recreating = false) => {
    if (!editBase) {
      const fields = contactParams(undefined, values);
      return form.submit(
        () => conn.request('add_contact', { ...fields, nom: values.nom.trim() } as ParamsOf<'add_contact'>),
        (result) => {
          dispatch(saved(result.contact));
          dispatch(notify(t(recreating ? 'form.recreated' : 'form.added')));
        },
      );
    }
    const changes = contactParams(editBase, values);
    if (Object.keys(changes).length === 0) {
      form.setMessage({ text: t('form.unchanged'), tone: 'info' });
      return;
    }
    return form.submit(
      () => conn.request('update_contact', { ...changes, contact_id: editBase.id, version: editBase.version } as ParamsOf<'update_contact'>),
      (result) => {
        dispatch(saved(result.contact));
        dispatch(notify(t('form.saved')));
      },
      (failure) => {
        if (failure.code === 'contact_not_found') {
          setGone(true);
          return true;
        }
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
  ) : duplicates ? (
    <ConfirmDialog
      message={t('form.duplicate', {
        list: duplicates
          .slice(0, 3)
          .map((d) => `${fullName(d.contact)} (${d.reasons.map((r) => t(`duplicate.${r}`)).join(', ')})`)
          .join(', '),
      })}
      onYes={() => {
        setDuplicates(null);
        void save(undefined, form.values);
      }}
      onNo={() => setDuplicates(null)}
    />
  ) : gone ? (
    <ConfirmDialog
      message={`${t('conflict.deleted')} ${t('conflict.recreate')}`}
      onYes={() => {
        setGone(false);
        void save(undefined, form.values, true);
      }}
      onNo={() => setGone(false)}
    />
  ) : null;

  return (
    <Screen title={t(contact ? 'form.editHeading' : 'form.addHeading')} keys={conflict ? [t('keys.arrows'), t('keys.enter'), t('keys.digits', { max: 2 }), t('keys.esc')] : formKeys(t)} dialog={dialog} dialogWidth={columns}>
      <Box flexDirection="column">
        <Form
          {...form.formProps}
          isActive={!asking}
          fields={CONTACT_FIELDS.map((name) => ({ name, label: t(`field.${name}` as MessageKey), maxLength: MAX[name], multiline: name === 'notes' }))}
          submitLabel={t('form.submit')}
          onSubmit={() => void (base ? save(base, form.values) : add(form.values))}
          labelWidth={18}
          height={bodyHeight}
        />
      </Box>
    </Screen>
  );
}

function ConflictPanel({ base, server, mine, onChoose, onCancel }: { base: Values<ContactField>; server: Values<ContactField>; mine: Values<ContactField>; onChoose: (c: 'mine' | 'theirs') => void; onCancel: () => void }) {
  const t = useT();
  const show = (s: string) => s || t('conflict.empty');
  const changed = CONTACT_FIELDS.filter((name) => base[name] !== server[name]);
  useBack(
    true,
    () => {
      onCancel();
      return true;
    },
    false,
  );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} flexShrink={0}>
      <Text bold color="yellow">
        {t('conflict.heading')}
      </Text>
      <Text>{t('conflict.changes')}</Text>
      {/* Whole, on as many lines as they take: a cut value cannot be compared. */}
      {changed.map((name) => (
        <Box key={name} paddingLeft={2}>
          <Text wrap="wrap">{t(mine[name] === base[name] ? 'conflict.row' : 'conflict.rowMine', { field: t(`field.${name}` as MessageKey), base: show(base[name]), server: show(server[name]), mine: show(mine[name]) })}</Text>
        </Box>
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
