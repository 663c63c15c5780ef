import { connect, type Language, PASSWORD_MAX, PASSWORD_MIN, ProtocolError, Username } from '@annuaire/protocol';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, type MessageKey } from '../src/i18n';
import { serverForFile } from './helpers';

const server = serverForFile();

// The server words a refused username or password in its catalogues, the TUI in its own (shorter,
// beside the field). Both must name the protocol's limits: a test fails if either drifts.
const cases = [
  { code: 'username_too_short', limit: Username.minLength, value: { username: 'ab', password: 'motdepasse1' } },
  { code: 'username_too_long', limit: Username.maxLength, value: { username: 'a'.repeat(33), password: 'motdepasse1' } },
  { code: 'password_too_short', limit: PASSWORD_MIN, value: { username: 'mots-courts', password: 'a'.repeat(PASSWORD_MIN - 1) } },
  { code: 'password_too_long', limit: PASSWORD_MAX, value: { username: 'mots-longs', password: 'a'.repeat(PASSWORD_MAX + 1) } },
] as const;

describe.each(['fr', 'en'] as Language[])('in %s, the server and the TUI name the same limits', (lang) => {
  it.each(cases)('$code', async ({ code, limit, value }) => {
    expect(limit).toBeTypeOf('number');
    const client = await connect('127.0.0.1', server.port);
    try {
      await client.request('set_language', { lang });
      const refused = await client.request('create_account', value).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ProtocolError);
      const said = (refused as ProtocolError).message;
      expect(said).toContain(String(limit));
      expect(CATALOGUES[lang][`validation.${code}` as MessageKey]).toContain(String(limit));
    } finally {
      await client.close();
    }
  });
});
