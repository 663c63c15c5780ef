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
  add_contact: async (ctx, fields, { contacts }) => ({ contact: await contacts.add(authed(ctx).session, fields) }),

  get_contact: async (ctx, { contact_id }, { contacts }) => ({ contact: await contacts.get(authed(ctx).session, contact_id) }),

  update_contact: async (ctx, { contact_id, version, ...fields }, { contacts }) => ({
    contact: await contacts.update(authed(ctx).session, contact_id, version, fields),
  }),

  delete_contact: async (ctx, { contact_id }, { contacts }) => {
    await contacts.delete(authed(ctx).session, contact_id);
    return { contact_id, message: message(ctx.lang, 'contact_deleted') };
  },

  list_contacts: (ctx, { sort, limit, cursor, offset }, { contacts }) =>
    contacts.list(authed(ctx).session, sort, limit, cursor, offset),

  recherche_contact: async (ctx, { nom, prenom }, { contacts }) => ({
    contacts: await contacts.findByName(authed(ctx).session, nom, prenom),
  }),

  search_contacts: (ctx, { query, limit, offset }, { contacts }) => contacts.search(authed(ctx).session, query, limit, offset),

  changes_since: (ctx, { seq, limit }, { changes }) => changes.since(authed(ctx).session, seq, limit),
};
