import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { I18nProvider } from '../i18n';
import { KeyFooter } from './KeyFooter';
import { StatusBar } from './StatusBar';

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
        <StatusBar username={null} address="127.0.0.1:7878" state="online" dataDir="/srv/data" />
      </I18nProvider>,
    );
    expect(ui.lastFrame()).toMatch(/Directory · not logged in\s+Embedded server 127\.0\.0\.1:7878 \(data: \/srv\/data\) ● connected/);
  });
});

describe('KeyFooter', () => {
  it('lists every key under a rule, wrapping onto a second line', () => {
    const keys = Array.from({ length: 10 }, (_, i) => `Touche${i} action`);
    const ui = render(<KeyFooter keys={keys} />);
    const lines = (ui.lastFrame() ?? '').split('\n');
    expect(lines[0]).toMatch(/^─+$/);
    expect(lines.slice(1).join(' ')).toContain('Touche9 action');
    expect(lines).toHaveLength(3);
  });
});
