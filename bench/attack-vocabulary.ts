/**
 * The attack on the typo vocabulary, in-process on a fresh database: one account
 * stores 100,000 words one edit away from « martin » (a letter of any script in place of
 * the m: « жartin », « ßartin »…), then both accounts search « martin ». Prints each
 * search's median time, so that one account's words can be seen not to slow the other's.
 *
 *   npx tsx bench/attack-vocabulary.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBenchDirectory, type BenchSession } from '@annuaire/server/bench';
import { contact, contactFields } from './data';

const dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-attack-'));
const annuaires = await openBenchDirectory(dir, { unlimitedQuota: true });
async function account(name: string) {
  await annuaires.createAccount(name, 'mot-de-passe-long');
  return annuaires.login(name, 'mot-de-passe-long');
}
const victim = await account('victim');
const attacker = await account('attacker');
await annuaires.transaction(() => Array.from({ length: 10_000 }, (_, i) => victim.add(contactFields(contact(i)))));

const median = async (f: () => Promise<unknown>) => {
  const ms: number[] = [];
  for (let k = 0; k < 21; k++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[10]!.toFixed(2);
};
const search = (s: BenchSession) => () => s.search('martin', 20, 0);
console.log(`before the attack: victim's « martin » ${await median(search(victim))} ms`);

// Letters (\p{L}, lower case, not changed by folding) to put in place of the « m ».
const letters: string[] = [];
for (let cp = 0xc0; letters.length < 100_000 && cp < 0x30000; cp++) {
  const c = String.fromCodePoint(cp);
  if (/^\p{Ll}$|^\p{Lo}$/u.test(c) && c.normalize('NFKD') === c && c.toLowerCase() === c) letters.push(c);
}
const words = letters.map((l) => `${l}artin`);
const t0 = performance.now();
await annuaires.transaction(() =>
  Array.from({ length: Math.ceil(words.length / 10) }, (_, k) => attacker.add({ nom: 'Mot', prenom: '', notes: words.slice(k * 10, k * 10 + 10).join(' ') })),
);
console.log(`attack: ${words.length} words one edit from « martin » stored in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(`after the attack: victim's « martin » ${await median(search(victim))} ms, « matrin » ${await median(() => victim.search('matrin', 20, 0))} ms`);
console.log(`the attacker's own « martin »: ${await median(search(attacker))} ms (typo candidates read: at most 200, fixes tried: at most 16)`);
annuaires.close();
rmSync(dir, { recursive: true, force: true });
