import { compareByNom } from '@annuaire/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

// The TUI finds a contact in the server's list with the protocol's compareByNom: the server's
// order and that function must agree on everything a name can hold.
it("list_contacts orders by nom exactly as the protocol's compareByNom does", async () => {
  const { client } = await t.user();
  const names: [string, string][] = [
    ['Zola', 'Émile'],
    ['Œdipe', 'Roi'],
    ['oedipe', 'Aïda'],
    ['Dupré', 'Hélène'],
    ['dupont', 'Jean'],
    ['DUPONT', 'jean'],
    ['Ébert', 'Anne'],
    ['Martin', 'Zoé'],
    ['Martin', 'alice'],
    ['Martin', 'Alice'],
    ['Đặng', 'Văn'],
    ['Straße', ''],
    ['strasse', 'B'],
    ['Ｗide', ''],
    ['😀 Emoji', ''],
    ['\uFFFD Remplacement', ''],
    ['Ångström', ''],
    ['李', '小龍'],
    ['Åland', 'Ærø'],
  ];
  for (const [nom, prenom] of names) await client.request('add_contact', { nom, prenom });
  const listed = (await client.request('list_contacts', { sort: 'nom', limit: 100 })).contacts;
  expect(listed).toHaveLength(names.length);
  expect(listed.map((c) => c.id)).toEqual([...listed].sort(compareByNom).map((c) => c.id));
});
