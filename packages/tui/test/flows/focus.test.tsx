import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnnuaireClient } from '@annuaire/protocol';
import { KEY, renderApp, renderLoggedIn, sideClient, startTestServer, uniqueUser } from '../helpers';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});
let app: Awaited<ReturnType<typeof renderApp>> | undefined;
let side: AnnuaireClient | undefined;
afterEach(async () => {
  await app?.close();
  await side?.close();
  app = side = undefined;
});

/** The line of the frame that holds `label`. */
const lineOf = (frame: string, label: string) => frame.split('\n').find((l) => l.includes(label)) ?? '';
const bullets = (line: string) => [...line].filter((c) => c === '•').length;

describe('after a validation error, what is typed goes where the cursor is', () => {
  it('create account: focus jumps to the first error once, then stays while the user fixes it', async () => {
    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    app.press('1');
    await app.waitFor('Confirmation');
    app.type('rim2\tcourt\tautre');
    app.press(KEY.ctrlS);
    await app.waitFor('Corrigez les champs signalés');
    // x clears the password's error: y and z must still go into Mot de passe.
    app.type('x');
    app.type('y');
    app.type('z');
    const frame = await app.waitFor((f) => bullets(lineOf(f, 'Mot de passe')) === 8);
    expect(bullets(lineOf(frame, 'Confirmation'))).toBe(5);
    expect(lineOf(frame, 'Mot de passe')).toContain('›');
  });

  it('contact form: email and birthday errors, then typing fixes the email only', async () => {
    const name = uniqueUser('f');
    side = await sideClient(server.port, name);
    app = await renderLoggedIn(server.port, name);
    app.press('3');
    await app.waitFor('Nouveau contact');
    app.type('Dupré\tHélène\tbadmail');
    for (let i = 0; i < 8; i++) app.press(KEY.tab);
    app.type('baddate');
    app.press(KEY.ctrlS);
    await app.waitFor('Corrigez les champs signalés');
    app.type('@');
    app.type('e');
    app.type('x');
    await app.waitFor('badmail@ex');
    for (let i = 0; i < 8; i++) app.press(KEY.tab);
    const frame = await app.waitFor(/› Anniversaire/);
    expect(lineOf(frame, 'Anniversaire')).toMatch(/\[baddate\s/);
  });
});
