import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { I18nProvider } from '../i18n';
import { KeyFooter } from './KeyFooter';
import { StatusBar, statusText, type StatusText } from './StatusBar';
import { translate, type Vars } from '../i18n';

describe('StatusBar', () => {
  it('shows the user, the server and the connection state', () => {
    const ui = render(
      <I18nProvider lang="fr">
        <StatusBar username="rim" address="127.0.0.1:7878" state="reconnecting" />
      </I18nProvider>,
    );
    expect(ui.lastFrame()).toMatch(/Annuaire · rim\s+Serveur 127\.0\.0\.1:7878 ● reconnexion…/);
  });
  it('says when the server runs in-process, and who is not logged in (English)', () => {
    const ui = render(
      <I18nProvider lang="en">
        <StatusBar username={null} address="127.0.0.1:7878" state="online" dataDir="/srv/data" columns={100} />
      </I18nProvider>,
    );
    expect(ui.lastFrame()).toMatch(/Directory · not logged in\s+Embedded server 127\.0\.0\.1:7878 \(data: \/srv\/data\) ● connected/);
  });
});

describe('statusText at 80 columns', () => {
  const t = (lang: 'fr' | 'en') => (k: Parameters<typeof translate>[1], v?: Vars) => translate(lang, k, v);
  const line = (s: StatusText, columns: number) => `${s.title}${s.user}`.padEnd(columns - [...`${s.server} ${s.tls}${s.state}`].length) + `${s.server} ${s.tls}${s.state}`;

  it('keeps the user, the address and the state whole; the data directory goes first', () => {
    const s = statusText(t('fr'), 80, { username: 'leonie.dupont-martin', address: '127.0.0.1:7878', state: 'online', dataDir: '/work/main/data' });
    expect(s).toMatchObject({ title: 'Annuaire · ', user: 'leonie.dupont-martin', server: 'Serveur intégré 127.0.0.1:7878', state: '● connecté' });
    expect([...line(s, 80)].length).toBeLessThanOrEqual(80);
  });

  it('shows the data directory when the line is wide enough', () => {
    expect(statusText(t('fr'), 120, { username: 'rim', address: '127.0.0.1:7878', state: 'online', dataDir: '/work/main/data' }).server).toBe('Serveur intégré 127.0.0.1:7878 (données\u00a0: /work/main/data)');
  });

  it('drops the words before the user and the address before cutting anything that matters', () => {
    const s = statusText(t('fr'), 80, { username: 'a'.repeat(24), address: '[2001:db8::1234:5678:9abc]:7878', state: 'reconnecting', secure: true });
    expect(s.title).toBe('');
    expect(s.user).toBe('a'.repeat(24));
    expect(s.server).toBe('[2001:db8::1234:5678:9abc]:7878');
    expect(s.state).toBe('● reconnexion…');
    expect([...line(s, 80)].length).toBeLessThanOrEqual(80);
  });
});

describe('KeyFooter', () => {
  it('lists every key under a rule, wrapping onto a second line', () => {
    const keys = Array.from({ length: 10 }, (_, i) => `Touche${i} action`);
    const ui = render(<KeyFooter keys={keys} />);
    const lines = (ui.lastFrame() ?? '').replace(/\u00a0/g, ' ').split('\n');
    expect(lines[0]).toMatch(/^─+$/);
    expect(lines.slice(1).join(' ')).toContain('Touche9 action');
    expect(lines).toHaveLength(3);
    // Lines break between keys only: each starts with a whole key, never with « · » or half a key.
    for (const line of lines.slice(1)) expect(line).toMatch(/^Touche\d action/);
  });
});
