import { useState } from 'react';
import { Box, Text } from 'ink';
import { Contact, type ParamsOf } from '@annuaire/protocol';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Form } from '../components/Form';
import type { Values } from '../components/formTypes';
import { formKeys } from '../components/formKeys';
import { editingHelp } from '../components/Help';
import { Menu } from '../components/Menu';
import { useLayout } from '../components/layout';
import { Screen } from '../components/Screen';
import { useBack } from '../hooks/useBack';
import { useConnection } from '../hooks/useConnection';
import { useForm } from '../hooks/useForm';
import { useLiveContact } from '../hooks/useLiveContact';
import { useT, type MessageKey, type Translate } from '../i18n';
import { isCtrl } from '../hooks/useKeypress';
import { notify, saved } from '../state/actions';
import { useAppState, useDraft } from '../state/context';
import { nomPrenom } from '../lib/format';
import { findDuplicates, type Duplicate } from '../client/duplicates';
import { contactParams, contactValues, entries, entryName, entryOf, fieldNames, formFieldFor, maxLength, validate, withEntries, type ContactField } from './contactFormModel';

export { contactParams, contactValues, formFieldFor, type ContactField } from './contactFormModel';

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
  // A draft from an ended session is unsaved input: measured against the contact it was based on.
  const form = useForm<ContactField>(contact ? `contact-${contact.id}` : 'contact-new', { ...contactValues(contact), ...draft }, { validate: (v) => validate(v, t), fieldFor: formFieldFor, ...(draft ? { saved: contactValues(contact) } : {}) });
  const dirty = differs(form.values, contactValues(base));
  useDraft(dirty ? { ...(base ? { contact: base } : {}), values: form.values } : null);
  const asking = conflict !== null || gone || duplicates !== null;
  // Changed elsewhere while open: with nothing of mine to keep, the form simply takes it; else, at
  // once, the choice a conflicting save would have met (keep mine / take theirs), or recreate.
  useLiveContact(base, {
    saving: form.busy,
    changed: (current) => {
      if (dirty) return setConflict(current);
      setBase(current);
      form.setValues(contactValues(current));
      form.markSaved(contactValues(current));
      form.setMessage({ text: t('live.updatedElsewhere'), tone: 'info' });
    },
    deleted: () => setGone(true),
  });
  /** Where the form's focus goes after an entry is added or removed. */
  const [focusName, setFocusName] = useState<{ name: ContactField; seq: number } | undefined>(undefined);
  const focusOn = (name: ContactField) => setFocusName((f) => ({ name, seq: (f?.seq ?? 0) + 1 }));

  /** On an email or a telephone: Ctrl+N adds one after it, Ctrl+D removes it (the last one is only emptied). */
  const entryKeys = (event: Parameters<typeof isCtrl>[0], focused: ContactField | undefined) => {
    const entry = focused ? entryOf(focused) : null;
    if (!entry || event.paste || !(isCtrl(event, 'n') || isCtrl(event, 'd'))) return false;
    const list = entries(form.values, entry.kind);
    const next = isCtrl(event, 'n') ? [...list.slice(0, entry.index + 1), '', ...list.slice(entry.index + 1)] : list.filter((_, i) => i !== entry.index);
    form.setValues(withEntries(form.values, entry.kind, next));
    focusOn(entryName(entry.kind, isCtrl(event, 'n') ? entry.index + 1 : Math.min(entry.index, Math.max(0, next.length - 1))));
    return true;
  };
  useBack({ isActive: !asking });

  /** A new contact: first, whether it looks like one already there (a warning, not a refusal). */
  const add = async (values: Values<ContactField>) => {
    if (!form.check()) return;
    const found = await findDuplicates(conn, { nom: values.nom ?? '', prenom: values.prenom ?? '', emails: entries(values, 'email'), phones: entries(values, 'telephone') }).catch(() => []);
    if (found.length > 0) setDuplicates(found);
    else void save(undefined, values);
  };

  const save = (editBase: Contact | undefined, values: Values<ContactField>, recreating = false) => {
    if (!editBase) {
      const fields = contactParams(undefined, values);
      return form.submit(
        () => conn.request('add_contact', { ...fields, nom: (values.nom ?? '').trim() } as ParamsOf<'add_contact'>),
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
    let merged = { ...server };
    // Keep mine: my edits win on the fields I changed (a list as a whole); the others take the server's value.
    if (choice === 'mine') {
      for (const name of fieldNames(form.values)) if (!entryOf(name) && form.values[name] !== old[name]) merged[name] = form.values[name]!;
      for (const kind of ['email', 'telephone'] as const) if (differs(pick(form.values, kind), pick(old, kind))) merged = withEntries(merged, kind, entries(form.values, kind));
    }
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
          .map((d) => `${nomPrenom(d.contact)} (${d.reasons.map((r) => t(`duplicate.${r}`)).join(', ')})`)
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
    <Screen title={t(contact ? 'form.editHeading' : 'form.addHeading')} keys={conflict ? [t('keys.arrows'), t('keys.enter'), t('keys.digits', { max: 2 }), t('keys.esc')] : [...formKeys(t), t('keys.entries')]} help={conflict ? undefined : [...editingHelp(t), t('help.entries'), t('keys.esc')]} dialog={dialog} dialogWidth={columns}>
      <Box flexDirection="column">
        <Form
          {...form.formProps}
          isActive={!asking}
          fields={fieldNames(form.values).map((name) => ({ name, label: fieldLabel(name, t), maxLength: maxLength(name), multiline: name === 'notes' }))}
          onKey={entryKeys}
          focusName={focusName}
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
  const changed = [...new Set([...fieldNames(base), ...fieldNames(server)])].filter((name) => (base[name] ?? '') !== (server[name] ?? ''));
  useBack({
    onBack: () => {
      onCancel();
      return true;
    },
    askIfUnsaved: false,
  });
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} flexShrink={0}>
      <Text bold color="yellow">
        {t('conflict.heading')}
      </Text>
      <Text>{t('conflict.changes')}</Text>
      {/* Whole, on as many lines as they take: a cut value cannot be compared. */}
      {changed.map((name) => (
        <Box key={name} paddingLeft={2}>
          <Text wrap="wrap">{t(mine[name] === base[name] ? 'conflict.row' : 'conflict.rowMine', { field: fieldLabel(name, t), base: show(base[name] ?? ''), server: show(server[name] ?? ''), mine: show(mine[name] ?? '') })}</Text>
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

/** « Email », then « Email 2 », « Email 3 »…; the others by their name. */
function fieldLabel(name: ContactField, t: Translate): string {
  const entry = entryOf(name);
  if (entry) return entry.index === 0 ? t(`field.${entry.kind}`) : t(`field.${entry.kind}N`, { n: entry.index + 1 });
  return t(`field.${name}` as MessageKey);
}

const pick = (values: Values<ContactField>, kind: 'email' | 'telephone') => withEntries({}, kind, entries(values, kind));

/** True when two sets of form values differ anywhere, entries added or removed included. */
function differs(a: Values<ContactField>, b: Values<ContactField>): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].some((name) => (a[name] ?? '') !== (b[name] ?? ''));
}
