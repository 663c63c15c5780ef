import { message } from '../i18n';
import { authed, type HandlerTable } from './context';

type ContactActions =
  | 'add_contact'
  | 'get_contact'
  | 'update_contact'
  | 'delete_contact'
  | 'list_contacts'
  | 'recherche_contact'
  | 'search_contacts'
  | 'changes_since';

export const contactHandlers: HandlerTable<ContactActions> = {
  add_contact: (ctx, fields, { contacts }) => ({ contact: contacts.add(authed(ctx).session, fields) }),

  get_contact: (ctx, { contact_id }, { contacts }) => ({ contact: contacts.get(authed(ctx).session, contact_id) }),

  update_contact: (ctx, { contact_id, version, ...fields }, { contacts }) => ({
    contact: contacts.update(authed(ctx).session, contact_id, version, fields),
  }),

  delete_contact: (ctx, { contact_id }, { contacts }) => {
    contacts.delete(authed(ctx).session, contact_id);
    return { contact_id, message: message(ctx.lang, 'contact_deleted') };
  },

  list_contacts: (ctx, { sort, limit, cursor, offset }, { contacts }) =>
    contacts.list(authed(ctx).session, sort, limit, cursor, offset),

  recherche_contact: (ctx, { nom, prenom }, { contacts }) => ({
    contacts: contacts.findByName(authed(ctx).session, nom, prenom),
  }),

  search_contacts: (ctx, { query, limit, offset }, { contacts }) => contacts.search(authed(ctx).session, query, limit, offset),

  changes_since: (ctx, { seq, limit }, { changes }) => changes.since(authed(ctx).session, seq, limit),
};
