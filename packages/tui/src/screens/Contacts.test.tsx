import { useReducer } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import type { Contact } from '@annuaire/protocol';
import { contactOf, plain, waitForFrame } from '../../test/helpers';
import { ConnectionProvider } from '../hooks/useConnection';
import { KeypressProvider } from '../hooks/useKeypress';
import { I18nProvider } from '../i18n';
import { ServerClient } from '../client/serverClient';
import { AppStateProvider } from '../state/context';
import { initialState, reducer } from '../state/reducer';
import { Contacts } from './Contacts';

afterEach(cleanup);

const contact = (id: number, nom: string): Contact => contactOf(id, nom);

/**
 * A connection whose search answers only when the test releases them, in any order: the network
 * is faked here because the point is what the screen does with answers that arrive out of order.
 */
class ScriptedServerClient extends ServerClient {
  readonly searches = new Map<string, () => void>();
  constructor() {
    super({ host: '127.0.0.1', port: 1, lang: 'fr' });
    this.state = 'online';
  }
  override async request(action: string, params?: unknown): Promise<never> {
    if (action === 'list_contacts') return { contacts: [contact(1, 'Abel')], total: 1, next_cursor: null } as never;
    if (action === 'search_contacts') {
      const { query } = params as { query: string };
      return new Promise((resolve) => this.searches.set(query, () => resolve({ contacts: [contact(query.length + 10, `Résultat-${query}`)], total: 1 } as never)));
    }
    throw new Error(`unexpected ${action}`);
  }
}

function Harness({ conn }: { conn: ServerClient }) {
  const [state, dispatch] = useReducer(reducer, initialState);
  return (
    <I18nProvider lang="fr">
      <ConnectionProvider connection={conn}>
        <AppStateProvider state={state} dispatch={dispatch}>
          <KeypressProvider>
            <Contacts />
          </KeypressProvider>
        </AppStateProvider>
      </ConnectionProvider>
    </I18nProvider>
  );
}

describe('Contacts filter', () => {
  it('shows the newest query’s results even when an older answer arrives last', async () => {
    const conn = new ScriptedServerClient();
    const ui = render(<Harness conn={conn} />);
    await waitForFrame(ui.lastFrame, '1 contact(s)');
    ui.stdin.write('d');
    ui.stdin.write('u');
    await waitForFrame(ui.lastFrame, () => conn.searches.has('du'));
    conn.searches.get('du')!();
    await waitForFrame(ui.lastFrame, 'Résultat-du');
    conn.searches.get('d')!(); // the stale answer for « d » lands now
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r)); // let it settle
    const frame = plain(ui.lastFrame());
    expect(frame).toContain('Résultat-du');
    expect(frame).not.toContain('Résultat-d ');
    expect(frame).toContain('pour « du »');
  });
});
