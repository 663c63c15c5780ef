/** The world the fuzzer runs in: a victim whose data must not change, the fuzzer's own account, a bystander. */
import { connect, listAllContacts, type AnnuaireClient, type Contact } from '@annuaire/protocol';

export interface FuzzWorld {
  /** The victim, logged in; its annuaire must be the same at the end. */
  victim: AnnuaireClient;
  victimIds: number[];
  snapshot: Contact[];
  /** The fuzzer's own session, resumed on the connections that fuzz logged in. */
  fuzzerToken: string;
  /** Another session of the victim, for a bystander connection. */
  bystanderToken: string;
}

/** Creates the victim (with contacts whose nom starts with `secret`) and the fuzzer. */
export async function prepareWorld(port: number, secret: string): Promise<FuzzWorld> {
  const victimAccount = { username: 'victime', password: 'motdepasse-victime' };
  const victim = await connect('127.0.0.1', port);
  await victim.request('create_account', victimAccount);
  await victim.request('login', victimAccount);
  for (let i = 0; i < 12; i++) {
    await victim.request('add_contact', {
      nom: `${secret}${String.fromCharCode(97 + i)}`,
      prenom: 'Hélène',
      emails: [{ value: `h${i}@example.fr`, type: 'work' }],
      telephone: '+33 6 12 34 56 7' + (i % 10),
      adresse: { ville: 'Paris', code_postal: '75002' },
      notes: 'Confidentiel',
    });
  }
  const snapshot = await listAllContacts(victim, 'nom');
  const bystanderToken = (await victim.request('login', victimAccount)).session_token;
  const fuzzer = await connect('127.0.0.1', port);
  const fuzzerAccount = { username: 'fuzzer', password: 'motdepasse-fuzzer' };
  await fuzzer.request('create_account', fuzzerAccount);
  const fuzzerToken = (await fuzzer.request('login', fuzzerAccount)).session_token;
  await fuzzer.close();
  return { victim, victimIds: snapshot.map((c) => c.id), snapshot, fuzzerToken, bystanderToken };
}

/**
 * A bystander: the victim on another connection, reading its contacts in a loop while the
 * fuzz runs. stop() ends it and tells how many rounds were served and what went wrong.
 */
export function startBystander(port: number, world: FuzzWorld, secret: string, onRound: () => void = () => {}) {
  let stopped = false;
  let rounds = 0;
  const errors: string[] = [];
  const done = (async () => {
    const c = await connect('127.0.0.1', port);
    await c.request('resume_session', { session_token: world.bystanderToken });
    while (!stopped) {
      try {
        const id = world.victimIds[rounds % world.victimIds.length]!;
        const { contact } = await c.request('get_contact', { contact_id: id });
        if (!contact.nom.startsWith(secret)) throw new Error(`the bystander read ${contact.nom}`);
        await c.request('ping');
        rounds++;
      } catch (err) {
        errors.push(String(err));
        break;
      }
      onRound();
      await new Promise((r) => setTimeout(r, 20));
    }
    await c.close();
  })();
  return {
    async stop(): Promise<{ rounds: number; errors: string[] }> {
      stopped = true;
      await done.catch((err: unknown) => errors.push(String(err)));
      return { rounds, errors };
    },
  };
}
