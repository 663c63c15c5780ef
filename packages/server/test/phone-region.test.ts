import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

// The phone region is a server's setting: two servers in one process (the TUI embeds one, the
// tests start many) must each read « 06 12 34 56 78 » in their own region.
let france: TestServer;
let usa: TestServer;
beforeAll(async () => {
  france = await startTestServer({ phoneRegion: 'FR' });
  usa = await startTestServer({ phoneRegion: 'US' });
});
afterAll(async () => {
  await france.close();
  await usa.close();
});

it('each server indexes a national number in its own region, whichever started last', async () => {
  const found = async (t: TestServer) => {
    const { client } = await t.user();
    await client.request('add_contact', { nom: 'Martin', telephone: '06 12 34 56 78' });
    // The international digits: +33 6 12 34 56 78 for a French number.
    return (await client.request('search_contacts', { query: '33612345678' })).total;
  };
  expect(await found(france)).toBe(1);
  expect(await found(usa)).toBe(0);
});
