import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { defaultConfig } from '../src/config';
import { createServices } from '../src/services';
import { openDatabase } from '../src/store/db';

const NOMS = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'Dupré', 'Nguyen', 'Müller', 'Смирнова', 'Παπαδόπουλος'];
const PRENOMS = ['Jean', 'Marie', 'Hélène', 'Pierre', 'Léa', 'Chloé', 'Lucas', 'Zoé', 'Noémie', 'Théo', 'Inès', 'Maël'];
const dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-crowds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Found by the noisy-neighbour bench: imports of the same common names, each time with new
// variants that sort between the earlier ones, made a small window too narrow to relabel and
// the index refused the contact ("more contacts than the search index can order") at 4,133.
it('orders 6,000 contacts imported in rounds that land between one another, keys strictly in name order', async () => {
  const { db } = openDatabase(dir);
  const s = await createServices(db, { ...defaultConfig(), onRevoke: () => {} });
  await s.accounts.createAccount('foule', 'motdepasse-long', '127.0.0.1');
  const { session } = await s.accounts.login('foule', 'motdepasse-long', '127.0.0.1');
  for (let round = 0; round < 3; round++) {
    // Started in one transaction (the writes run synchronously on SQLite), awaited after.
    await Promise.all(
      db.transaction(() =>
        Array.from({ length: 2000 }, (_, i) => {
          const nom = `${NOMS[(i * 7) % NOMS.length]}${i % 3 === 0 ? '' : ` v${round}x${i}`}`;
          return s.contacts.add(session, { nom, prenom: PRENOMS[(i * 11) % PRENOMS.length]! });
        }),
      )(),
    );
  }
  const keys = db
    .prepare<[number], { sort: string; contact_id: number }>('SELECT sort, contact_id FROM search_keys WHERE annuaire_id = ? ORDER BY skey')
    .all(session.annuaireId);
  expect(keys).toHaveLength(6_000);
  const sorted = [...keys].sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : a.contact_id - b.contact_id));
  expect(keys).toEqual(sorted);
  expect((await s.contacts.search(session, 'laurent', 20, 0)).total).toBe(300);
  db.close();
}, 120_000);
