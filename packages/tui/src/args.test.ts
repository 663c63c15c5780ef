import { describe, expect, it } from 'vitest';
import { CliError, languageOf, parseCli } from './args';
import { translate } from './i18n';

describe('parseCli', () => {
  it('defaults to the local address, French, and may embed a server', () => {
    expect(parseCli([], {})).toEqual({ host: '127.0.0.1', port: 7878, lang: 'fr', help: false, tls: false, mayEmbed: true });
  });

  it('never embeds once --host or --port is given', () => {
    expect(parseCli(['--port', '9000'], {})).toMatchObject({ port: 9000, mayEmbed: false });
    expect(parseCli(['--host', 'example.test'], {})).toMatchObject({ host: 'example.test', port: 7878, mayEmbed: false });
  });

  it('--tls never embeds a (plain TCP) server', () => {
    expect(parseCli(['--tls'], {})).toMatchObject({ tls: true, mayEmbed: false });
  });

  it('--ca names a private CA and implies --tls', () => {
    expect(parseCli(['--ca', '/etc/annuaire/ca.pem', '--host', 'annuaire.example'], {})).toMatchObject({ tls: true, ca: '/etc/annuaire/ca.pem', mayEmbed: false });
    expect(parseCli(['--ca', 'ca.pem'], {})).toMatchObject({ tls: true, mayEmbed: false });
    expect(() => parseCli(['--ca', ''], {})).toThrow(/--ca/);
  });

  it('takes --lang over LANG', () => {
    expect(parseCli(['--lang', 'en'], { LANG: 'fr_FR.UTF-8' }).lang).toBe('en');
    expect(parseCli([], { LANG: 'en_US.UTF-8' }).lang).toBe('en');
  });

  it('rejects bad values and unknown options', () => {
    expect(() => parseCli(['--port', 'abc'], {})).toThrow(/--port abc/);
    expect(() => parseCli(['--port', 'abc'], {})).toThrow(CliError);
    expect(() => parseCli(['--port', '70000'], {})).toThrow(/--port/);
    expect(() => parseCli(['--lang', 'de'], {})).toThrow(/--lang de/);
    expect(() => parseCli(['--verbose'], {})).toThrow();
  });

  it('takes the embedded server’s data directory from --data-dir, else ANNUAIRE_DATA_DIR, as the server does', () => {
    expect(parseCli(['--data-dir', '/srv/a'], { ANNUAIRE_DATA_DIR: '/srv/b' }).dataDir).toBe('/srv/a');
    expect(parseCli([], { ANNUAIRE_DATA_DIR: '/srv/b' }).dataDir).toBe('/srv/b');
    expect(parseCli([], {}).dataDir).toBeUndefined();
    expect(parseCli([], { ANNUAIRE_DATA_DIR: '' }).dataDir).toBeUndefined();
  });

  it('reads --help', () => {
    expect(parseCli(['--help'], {}).help).toBe(true);
  });

  it('skips the `--` that npm and pnpm pass flags through with (pnpm start -- --data-dir X)', () => {
    expect(parseCli(['--', '--data-dir', '/srv/x'], {}).dataDir).toBe('/srv/x');
    expect(parseCli(['--', '--help'], {}).help).toBe(true);
    expect(parseCli(['--', '--lang', 'en', '--port', '9000'], {})).toMatchObject({ lang: 'en', port: 9000 });
  });

  it('words argument errors in the --lang language, whatever else is wrong on the line', () => {
    const wording = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      try {
        parseCli(argv, env);
      } catch (err) {
        if (!(err instanceof CliError)) throw err;
        return translate(languageOf(argv, env), err.key, err.vars);
      }
      throw new Error('no error');
    };
    expect(wording(['--lang', 'en', '--verbose'], { LANG: 'fr_FR.UTF-8' })).toBe('unknown option --verbose');
    expect(wording(['--verbose', '--lang=en'])).toBe('unknown option --verbose');
    expect(wording(['--verbose'])).toBe('option inconnue --verbose');
    expect(wording(['--lang', 'en', '--port', 'abc'])).toBe('--port abc: expected 1-65535');
    expect(wording(['--lang', 'en', 'extra'])).toMatch(/^unexpected argument “extra”/);
    expect(wording(['--lang', 'en', '--host'])).toBe('--host needs a value');
  });
});
