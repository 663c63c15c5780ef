import { describe, expect, it } from 'vitest';
import { parseCli } from './args';

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
});
