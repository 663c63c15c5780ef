import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Backend, NewContact } from '../../src/store/backend';
import type { ContactRecord, UserRow } from '../../src/store/rows';
import { BACKENDS, suiteName, type BackendFactory, type TestStore } from './backends';

export interface BackendContext {
  factory: BackendFactory;
  /** The suite's store, made before its tests (shared by them: each test makes its own users). */
  store: TestStore;
  /** A backend opened on it. */
  backend: Backend;
}

/**
 * The contract suite `body` once per backend (as describe.each over BACKENDS), each with a
 * store of its own; a backend that cannot run here is skipped, its reason in the title.
 */
export function describeBackends(title: string, body: (ctx: BackendContext) => void): void {
  for (const factory of BACKENDS) {
    describe.skipIf(factory.unavailable !== undefined)(`${title} [${suiteName(factory)}]`, () => {
      const ctx = { factory } as BackendContext;
      beforeAll(async () => {
        ctx.store = await factory.create();
        ctx.backend = await ctx.store.open();
      });
      afterAll(async () => {
        await ctx.store?.drop();
      });
      body(ctx);
    });
  }
}

/** A user of a name no other test uses. */
export async function newUser(backend: Backend, name = 'user'): Promise<UserRow> {
  const username = `${name}-${randomBytes(4).toString('hex')}`;
  return backend.users.create(username, username.toLowerCase(), '$argon2id$not-a-real-hash', new Date().toISOString());
}

/** What a service would hand the store for a contact (the keys lowercased stand for protocol sortKey). */
export function record(nom: string, prenom = '', fields: Record<string, unknown> = {}): ContactRecord {
  return {
    nom,
    prenom,
    nomKey: nom.toLowerCase(),
    prenomKey: prenom.toLowerCase(),
    data: JSON.stringify(fields),
    searchNames: `${nom} ${prenom}`.toLowerCase(),
    searchOther: '',
    vocabulary: [],
  };
}

export const contact = (nom: string, prenom = '', fields: Record<string, unknown> = {}): NewContact => ({
  record: record(nom, prenom, fields),
});

/** UTF-8 bytes of a stored contact, as the usage counters count them. */
export const contactBytes = (r: ContactRecord): number => Buffer.byteLength(r.nom + r.prenom + r.data);

/** ISO time `ms` after a fixed instant: writes with known times. */
export const at = (ms: number): string => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
