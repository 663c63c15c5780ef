import type { Language } from '@annuaire/protocol';

/** The command line's words, French first (as every user-facing string). */
const fr = {
  usage: `Usage : annuaire COMMANDE [options]
  annuaire login [--user NOM] [--host H] [--port P] [--tls] [--ca FICHIER]
      mot de passe demandé sur le terminal, ou lu sur l'entrée standard
  annuaire logout
  annuaire import FICHIER [--format vcf|csv] [--charset NOM] [--dry-run]
  annuaire export --format vcf|csv [--vcard-version 3.0|4.0] [-o FICHIER]
  annuaire search REQUÊTE [--format text|json|vcf|mutt] [--limit N] [--no-header]
Sans commande : le client plein écran. Codes de sortie : 0 succès, 1 échec ou rien trouvé, 2 mauvaise utilisation, 3 pas connecté.`,
  badUsage: 'annuaire : {message}',
  notLoggedIn: 'annuaire : pas de session ; lancez « annuaire login ».',
  sessionLost: 'annuaire : session expirée ; relancez « annuaire login ».',
  username: "Nom d'utilisateur : ",
  password: 'Mot de passe : ',
  loggedIn: 'Connecté en tant que {user} ; session enregistrée dans {file}.',
  loggedOut: 'Déconnecté.',
  imported: '{imported} contact(s) importé(s), {rejected} rejeté(s), {warnings} valeur(s) laissée(s) de côté.',
  wouldImport: 'Essai : {imported} contact(s) seraient importés, {rejected} rejeté(s), {warnings} valeur(s) laissée(s) de côté.',
  rejectedLine: '  rejeté n° {position} {label} : {message}',
  warningLine: '  n° {position} {label} : {field} « {detail} » laissé de côté : {message}',
  exported: '{count} contact(s) exporté(s) dans {file}.',
  noMatch: 'Aucun contact pour « {query} ».',
  found: '{count} contact(s) pour « {query} ».',
  cannotRead: 'annuaire : lecture impossible de {file} ({reason})',
  cannotWrite: 'annuaire : écriture impossible de {file} ({reason})',
  unknownFormat: "format inconnu pour {file} : précisez --format vcf ou csv",
  failed: 'annuaire : {message}',
};
const en: typeof fr = {
  usage: `Usage: annuaire COMMAND [options]
  annuaire login [--user NAME] [--host H] [--port P] [--tls] [--ca FILE]
      password asked on the terminal, or read from standard input
  annuaire logout
  annuaire import FILE [--format vcf|csv] [--charset NAME] [--dry-run]
  annuaire export --format vcf|csv [--vcard-version 3.0|4.0] [-o FILE]
  annuaire search QUERY [--format text|json|vcf|mutt] [--limit N] [--no-header]
With no command: the full-screen client. Exit codes: 0 success, 1 failure or nothing found, 2 bad usage, 3 not logged in.`,
  badUsage: 'annuaire: {message}',
  notLoggedIn: 'annuaire: no session; run "annuaire login".',
  sessionLost: 'annuaire: session expired; run "annuaire login" again.',
  username: 'Username: ',
  password: 'Password: ',
  loggedIn: 'Logged in as {user}; session saved in {file}.',
  loggedOut: 'Logged out.',
  imported: '{imported} contact(s) imported, {rejected} rejected, {warnings} value(s) left out.',
  wouldImport: 'Dry run: {imported} contact(s) would be imported, {rejected} rejected, {warnings} value(s) left out.',
  rejectedLine: '  rejected #{position} {label}: {message}',
  warningLine: '  #{position} {label}: {field} "{detail}" left out: {message}',
  exported: '{count} contact(s) exported to {file}.',
  noMatch: 'No contact for "{query}".',
  found: '{count} contact(s) for "{query}".',
  cannotRead: 'annuaire: cannot read {file} ({reason})',
  cannotWrite: 'annuaire: cannot write {file} ({reason})',
  unknownFormat: 'unknown format for {file}: give --format vcf or csv',
  failed: 'annuaire: {message}',
};

export type CommandMessage = keyof typeof fr;

export function say(lang: Language, key: CommandMessage, values: Record<string, string | number> = {}): string {
  return (lang === 'en' ? en : fr)[key].replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
}
