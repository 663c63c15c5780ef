import { expect, it } from 'vitest';
import { StoreUnavailable, UsernameTaken } from '../../src/store/backend';
import { at, contact, describeBackends, newUser } from './context';

describeBackends('users', (ctx) => {
  it('creates a user with their annuaire, found by key and by id', async () => {
    const user = await newUser(ctx.backend, 'Alice');
    expect(user.id).toBeGreaterThan(0);
    expect(user.annuaire_id).toBeGreaterThan(0);
    expect(await ctx.backend.users.findByKey(user.username.toLowerCase())).toEqual(user);
    expect(await ctx.backend.users.findById(user.id)).toEqual(user);
    expect(await ctx.backend.users.findByKey('nobody-here')).toBeUndefined();
    expect(await ctx.backend.users.findById(user.id + 1_000_000)).toBeUndefined();
  });

  it('refuses a taken username key with UsernameTaken, and creates nothing', async () => {
    const user = await newUser(ctx.backend);
    const key = user.username.toLowerCase();
    await expect(ctx.backend.users.create(user.username.toUpperCase(), key, 'h', at(0))).rejects.toBeInstanceOf(UsernameTaken);
    expect(await ctx.backend.users.findByKey(key)).toEqual(user);
  });

  it('lets exactly one of many concurrent creations of one key through', async () => {
    const key = `race-${Date.now()}`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => ctx.backend.users.create(`Race${i}`, key, 'h', at(i))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(UsernameTaken);
  });

  it('changes a password hash', async () => {
    const user = await newUser(ctx.backend);
    await ctx.backend.users.setPasswordHash(user.id, '$argon2id$new');
    expect((await ctx.backend.users.findById(user.id))?.password_hash).toBe('$argon2id$new');
  });

  it('counts an annuaire’s contacts', async () => {
    const user = await newUser(ctx.backend);
    expect(await ctx.backend.users.contactCount(user.annuaire_id)).toBe(0);
    await ctx.backend.contacts.insert(user.annuaire_id, [contact('Un'), contact('Deux')], at(0));
    expect(await ctx.backend.users.contactCount(user.annuaire_id)).toBe(2);
  });

  it('deletes a user with their annuaire, contacts, sources, sessions and journal, and no one else’s', async () => {
    const { users, sessions, contacts, journal } = ctx.backend;
    const doomed = await newUser(ctx.backend);
    const kept = await newUser(ctx.backend);
    for (const u of [doomed, kept]) {
      await sessions.create(u.id, `token-${u.id}`, 1000, u.password_hash);
      await contacts.insert(u.annuaire_id, [{ ...contact('Martin', 'Léa'), source: { format: 'vcard', text: 'BEGIN:VCARD' } }], at(0));
    }
    const [doomedRow] = await contacts.list(doomed.annuaire_id, 'nom', 10);

    await users.delete(doomed.id);

    expect(await users.findById(doomed.id)).toBeUndefined();
    expect(await users.findByKey(doomed.username.toLowerCase())).toBeUndefined();
    expect(await sessions.find(`token-${doomed.id}`)).toBeUndefined();
    expect(await contacts.get(doomed.annuaire_id, doomedRow!.id)).toBeUndefined();
    expect(await contacts.count(doomed.annuaire_id)).toBe(0);
    expect(await contacts.usage(doomed.annuaire_id)).toEqual({ contacts: 0, bytes: 0 });
    expect(await contacts.sources('vcard', [doomedRow!.id])).toEqual(new Map());
    expect(await journal.head(doomed.annuaire_id)).toEqual({ seq: 0, floor: 0 });
    expect((await journal.since(doomed.annuaire_id, 0, 10)).entries).toEqual([]);

    expect(await users.findById(kept.id)).toEqual(kept);
    expect(await sessions.find(`token-${kept.id}`)).toBeDefined();
    expect(await contacts.count(kept.annuaire_id)).toBe(1);
    expect((await journal.head(kept.annuaire_id)).seq).toBe(1);
  });

  it('deletes a user while their contacts are being written: each write lands before or fails, none is left', async () => {
    const user = await newUser(ctx.backend);
    const writes = Array.from({ length: 10 }, (_, i) => ctx.backend.contacts.insert(user.annuaire_id, [contact(`En vol ${i}`)], at(i)));
    const deletion = ctx.backend.users.delete(user.id);
    const outcomes = await Promise.allSettled(writes);
    await deletion;
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).not.toBeInstanceOf(StoreUnavailable);
    expect(await ctx.backend.users.findById(user.id)).toBeUndefined();
    expect(await ctx.backend.contacts.count(user.annuaire_id)).toBe(0);
    expect(await ctx.backend.contacts.usage(user.annuaire_id)).toEqual({ contacts: 0, bytes: 0 });
  });
});

describeBackends('sessions', (ctx) => {
  it('creates, finds by token hash and id, touches and deletes a session', async () => {
    const user = await newUser(ctx.backend);
    const id = (await ctx.backend.sessions.create(user.id, 'hash-a', 1000, user.password_hash))!;
    const row = { id, user_id: user.id, created_at: 1000, last_used_at: 1000 };
    expect(await ctx.backend.sessions.find('hash-a')).toEqual(row);
    expect(await ctx.backend.sessions.findById(id)).toEqual(row);
    await ctx.backend.sessions.touch(id, 5000);
    expect(await ctx.backend.sessions.find('hash-a')).toEqual({ ...row, last_used_at: 5000 });
    await ctx.backend.sessions.delete(id);
    expect(await ctx.backend.sessions.find('hash-a')).toBeUndefined();
    expect(await ctx.backend.sessions.findById(id)).toBeUndefined();
  });

  it('opens no session for a password that is no longer the user’s, nor for a deleted user', async () => {
    const user = await newUser(ctx.backend);
    const oldHash = user.password_hash;
    await ctx.backend.users.setPasswordHash(user.id, '$argon2id$v=19$m=19456,t=2,p=1$autre$hash');
    expect(await ctx.backend.sessions.create(user.id, `stale-${user.id}`, 1000, oldHash)).toBeUndefined();
    expect(await ctx.backend.sessions.find(`stale-${user.id}`)).toBeUndefined();
    await ctx.backend.users.delete(user.id);
    expect(await ctx.backend.sessions.create(user.id, `gone-${user.id}`, 1000, '$argon2id$v=19$m=19456,t=2,p=1$autre$hash')).toBeUndefined();
  });

  it('deletes every other session of the user, or all of them', async () => {
    const user = await newUser(ctx.backend);
    const other = await newUser(ctx.backend);
    const keep = (await ctx.backend.sessions.create(user.id, `keep-${user.id}`, 1, user.password_hash))!;
    await ctx.backend.sessions.create(user.id, `drop-${user.id}`, 1, user.password_hash);
    await ctx.backend.sessions.create(other.id, `other-${other.id}`, 1, other.password_hash);

    await ctx.backend.sessions.deleteOthers(user.id, keep);
    expect(await ctx.backend.sessions.find(`keep-${user.id}`)).toBeDefined();
    expect(await ctx.backend.sessions.find(`drop-${user.id}`)).toBeUndefined();

    await ctx.backend.sessions.deleteOthers(user.id, null);
    expect(await ctx.backend.sessions.find(`keep-${user.id}`)).toBeUndefined();
    expect(await ctx.backend.sessions.find(`other-${other.id}`)).toBeDefined();
  });

  it('deletes sessions idle too long or too old, and keeps the others', async () => {
    const user = await newUser(ctx.backend);
    const base = 10_000_000_000_000; // beyond every other test's times in this store
    const idle = (await ctx.backend.sessions.create(user.id, `idle-${user.id}`, base, user.password_hash))!;
    const old = (await ctx.backend.sessions.create(user.id, `old-${user.id}`, base - 500, user.password_hash))!;
    await ctx.backend.sessions.touch(old, base + 900);
    const fresh = (await ctx.backend.sessions.create(user.id, `fresh-${user.id}`, base + 100, user.password_hash))!;
    await ctx.backend.sessions.touch(fresh, base + 900);

    await ctx.backend.sessions.deleteExpired(base + 50, base - 100);

    expect(await ctx.backend.sessions.findById(idle)).toBeUndefined();
    expect(await ctx.backend.sessions.findById(old)).toBeUndefined();
    expect(await ctx.backend.sessions.findById(fresh)).toBeDefined();
  });
});
