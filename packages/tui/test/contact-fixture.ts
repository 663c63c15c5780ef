import type { Contact } from '@annuaire/protocol';

/** A contact as the server returns it, with only an id and a nom (the rest empty), for unit tests. */
export const bareContact = (id: number, nom: string): Contact => ({
  id,
  nom,
  prenom: '',
  email: null,
  telephone: null,
  emails: [],
  telephones: [],
  entreprise: null,
  fonction: null,
  adresse: null,
  anniversaire: null,
  site_web: null,
  notes: null,
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});
