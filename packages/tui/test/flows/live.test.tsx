/**
 * The TUI live: what another terminal saves shows here without a key pressed. The other
 * terminal is a protocol client logged in as the same user, on a real server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnnuaireClient, Contact, ContactChange } from '@annuaire/protocol';
import { startServer } from '@annuaire/server';
import { ServerClient } from '../../src/client/serverClient';
import { liveFeedOf } from '../../src/client/liveFeed';
import { flowFixture, KEY, renderLoggedIn, sideClient, uniqueUser, waitUntil } from '../helpers';

const f = flowFixture();
let side: AnnuaireClient;

async function loggedIn(contacts: { nom: string; prenom?: string; email?: string }[]) {
  const name = uniqueUser('live');
  f.side = side = await sideClient(f.server.port, name);
  const added: Contact[] = [];
  for (const c of contacts) added.push((await side.request('add_contact', c)).contact);
  const ui = await renderLoggedIn(f.server.port, name);
  f.app = ui;
  return { ui, added };
}

/** A user with Dupré Hélène, her edit form open. */
async function editing() {
  const { ui, added } = await loggedIn([{ nom: 'Dupré', prenom: 'Hélène' }]);
  ui.press('2');
  await ui.waitFor('1 contact(s)');
  ui.press(KEY.enter);
  await ui.waitFor('Modifier le contact');
  return { ui, dupre: added[0]! };
}

describe('the contact list, live', () => {
  it('rows appear, change and go in place; the selection stays on its contact; the detail pane follows', async () => {
    const { ui, added } = await loggedIn([
      { nom: 'Bernard', prenom: 'Anne', email: 'anne@example.com' },
      { nom: 'Dupré', prenom: 'Hélène' },
    ]);
    ui.press('2');
    await ui.waitFor('2 contact(s)');
    ui.press(KEY.down);
    await ui.waitFor(/❯ Dupré Hélène/);
    // Added elsewhere, above the selection: it shows, and the selection stays on Dupré.
    await side.request('add_contact', { nom: 'Abel', prenom: 'Jean' });
    let frame = await ui.waitFor('3 contact(s)');
    expect(frame).toContain('Abel Jean');
    expect(frame).toMatch(/❯ Dupré Hélène/);
    // Edited elsewhere: the detail pane of the selected contact shows the new value.
    const dupre = added[1]!;
    await side.request('update_contact', { contact_id: dupre.id, version: dupre.version, email: 'helene@example.org' });
    frame = await ui.waitFor('helene@example.org');
    expect(frame).toMatch(/│ ?Dupré Hélène/);
    // Deleted elsewhere: the row goes, the selection stays on Dupré.
    await side.request('delete_contact', { contact_id: added[0]!.id });
    frame = await ui.waitFor('2 contact(s)');
    expect(frame).not.toContain('Bernard');
    expect(frame).toMatch(/❯ Dupré Hélène/);
  });

  it('a filtered list runs its search again when a contact changes', async () => {
    const { ui } = await loggedIn([{ nom: 'Dupont', prenom: 'Jean' }, { nom: 'Martin' }]);
    ui.press('2');
    await ui.waitFor('2 contact(s)');
    ui.type('dup');
    await ui.waitFor('1 résultat(s) pour « dup »');
    await side.request('add_contact', { nom: 'Dupuis', prenom: 'Marc' });
    const frame = await ui.waitFor('2 résultat(s) pour « dup »');
    expect(frame).toContain('Dupuis Marc');
    expect(frame).not.toContain('Martin');
  });
});

describe('an open edit form, live', () => {
  it('untouched, it takes the version saved elsewhere and says so', async () => {
    const { ui, dupre } = await editing();
    await side.request('update_contact', { contact_id: dupre.id, version: 1, prenom: 'Héloïse' });
    const frame = await ui.waitFor('Modifié dans un autre terminal');
    expect(frame).toContain('Héloïse');
  });

  it('with my edits, it shows at once what changed and offers keep mine / take theirs; keep mine saves over it', async () => {
    const { ui, dupre } = await editing();
    ui.press(KEY.tab, KEY.tab);
    ui.type('moi@example.com');
    await ui.waitFor('moi@example.com');
    await side.request('update_contact', { contact_id: dupre.id, version: 1, prenom: 'Héloïse' });
    const frame = await ui.waitFor('Ce contact a changé sur le serveur');
    expect(frame).toContain('Garder mes modifications');
    expect(frame).toContain('« Hélène » → « Héloïse »');
    ui.press(KEY.enter);
    await ui.waitFor('Contact enregistré.');
    const { contact } = await side.request('get_contact', { contact_id: dupre.id });
    expect([contact.prenom, contact.email, contact.version]).toEqual(['Héloïse', 'moi@example.com', 3]);
  });

  it('deleted elsewhere, it says so at once and offers to recreate', async () => {
    const { ui, dupre } = await editing();
    await side.request('delete_contact', { contact_id: dupre.id });
    await ui.waitFor('Ce contact a été supprimé sur le serveur');
    ui.type('o');
    await ui.waitFor('Contact recréé');
    const { contacts } = await side.request('list_contacts', {});
    expect(contacts.map((c) => [c.nom, c.prenom])).toEqual([['Dupré', 'Hélène']]);
  });
});

describe('after a reconnect', () => {
  it('asks changes_since its last seq and gets exactly what it missed, without reloading; a journal too short means reload', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'annuaire-live-'));
    let running = await startServer({ host: '127.0.0.1', port: 0, dataDir });
    const port = running.port;
    const conn = new ServerClient({ host: '127.0.0.1', port, lang: 'fr', backoff: { initialMs: 300, maxMs: 300 } });
    const other = await sideClient(port, 'retour1');
    try {
      await conn.start();
      await conn.login('retour1', 'motdepasse1');
      const feed = liveFeedOf(conn);
      const applied: ContactChange[] = [];
      let reloads = 0;
      feed.on('changes', (c) => applied.push(...c));
      feed.on('reload', () => reloads++);
      const asked: string[] = [];
      const request = conn.request.bind(conn);
      conn.request = ((action: string, ...rest: unknown[]) => (asked.push(action), (request as (...a: unknown[]) => unknown)(action, ...rest))) as typeof conn.request;
      await waitUntil(() => feed.seq === 0, 'the feed to learn its seq');
      const first = (await other.request('add_contact', { nom: 'Avant' })).contact;
      await waitUntil(() => applied.length === 1, 'the live event');

      // The server goes; while this terminal is away, another writes; the server comes back.
      await other.close();
      await running.close();
      running = await startServer({ host: '127.0.0.1', port, dataDir });
      const back = await sideClient(port, 'retour1');
      await back.request('update_contact', { contact_id: first.id, version: 1, prenom: 'Modifié' });
      const added = (await back.request('add_contact', { nom: 'Pendant' })).contact;
      await waitUntil(() => applied.length >= 3, 'the catch-up');
      expect(applied.map((c) => [c.seq, c.kind, c.contact_id])).toEqual([
        [1, 'changed', first.id],
        [2, 'changed', first.id],
        [3, 'changed', added.id],
      ]);
      expect(reloads).toBe(0);
      // Told with live events or with changes_since: never a full list load.
      expect(asked.filter((a) => a === 'list_contacts')).toEqual([]);
      expect(asked).toContain('changes_since');

      // A seq the journal cannot answer (as after restoring an older backup): reload, then carry on.
      feed.seq = 99;
      await feed.catchUp();
      expect(reloads).toBe(1);
      expect(feed.seq).toBe(3);
      await back.request('delete_contact', { contact_id: added.id });
      await waitUntil(() => applied.length === 4, 'the next event');
      expect(applied.at(-1)).toEqual({ kind: 'deleted', seq: 4, contact_id: added.id });
      await back.close();
    } finally {
      await conn.close();
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
