import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContactPager } from '../client/contactPager';
import { ServerClient } from '../client/serverClient';
import { useContactPager } from './useContactPager';

afterEach(cleanup);

/** A link whose requests are noted and never answered: what matters here is the pagers' lifetime. */
class SilentServerClient extends ServerClient {
  readonly asked: unknown[] = [];
  constructor() {
    super({ host: '127.0.0.1', port: 1, lang: 'fr' });
    this.state = 'online';
  }
  override request(action: string, params?: unknown): Promise<never> {
    this.asked.push({ action, params });
    return new Promise(() => {});
  }
}

function Probe({ conn, query, seen }: { conn: ServerClient; query: string; seen: ContactPager[] }) {
  const { pager } = useContactPager(conn, query, 10);
  if (!seen.includes(pager)) seen.push(pager);
  return <Text>{query}</Text>;
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('useContactPager', () => {
  it('makes one pager per query, asks for its first rows at once, and disposes of it when replaced or unmounted', async () => {
    const conn = new SilentServerClient();
    const seen: ContactPager[] = [];
    const ui = render(<Probe conn={conn} query="" seen={seen} />);
    await settle();
    const all = seen.at(-1)!;
    expect(all.listenerCount('change')).toBe(1);
    expect(conn.asked).toEqual([{ action: 'list_contacts', params: { sort: 'nom', limit: 200, offset: 0 } }]);

    ui.rerender(<Probe conn={conn} query="dup" seen={seen} />);
    await settle();
    const filtered = seen.at(-1)!;
    expect(filtered).not.toBe(all);
    expect(all.listenerCount('change')).toBe(0); // disposed: its late answer changes nothing
    expect(filtered.listenerCount('change')).toBe(1);
    expect(conn.asked.at(-1)).toEqual({ action: 'search_contacts', params: { query: 'dup', limit: 200, offset: 0 } });

    ui.unmount();
    expect(filtered.listenerCount('change')).toBe(0);
  });
});
