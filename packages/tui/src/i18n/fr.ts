/** Every user-facing string in French, the default language. `{name}` marks a value filled in at run time. */
export const fr = {
  'app.title': 'Annuaire',
  'app.server': 'Serveur {address}',
  'app.serverEmbedded': 'Serveur intégré {address} (données : {dataDir})',

  'status.connecting': 'connexion…',
  'status.online': 'connecté',
  'status.reconnecting': 'reconnexion…',
  'status.offline': 'hors ligne',
  'status.anonymous': 'non identifié',

  'conn.unreachable': 'Impossible de joindre le serveur {address}.',
  'conn.unreachableHint': 'Vérifiez que le serveur tourne, puis appuyez sur R pour réessayer.',
  'conn.lost': 'Connexion perdue avec {address}. Reconnexion dans {seconds} s…',
  'conn.notConnected': "Pas de connexion au serveur : rien n'a été envoyé. Réessayez une fois reconnecté.",
  'conn.droppedDuringRequest': "La connexion a été coupée pendant l'envoi : vérifiez le résultat avant de réessayer.",
  'conn.sessionExpired': 'Votre session a expiré. Veuillez vous reconnecter.',
  'conn.goodbye': 'Le serveur a fermé la connexion : {message}',

  'tls.on': 'TLS',
  'tls.firstUse': 'Certificat du serveur épinglé (1re connexion) : SHA-256 {fingerprint}',
  'tls.changed': 'Le certificat du serveur {address} a changé : quelqu’un se fait peut-être passer pour lui. Connexion refusée.',
  'tls.changedHint': 'Si ce changement est attendu, retirez la ligne de {address} dans {file}, puis appuyez sur R.',
  'keys.title': 'Touches',
  'keys.arrows': '↑↓ choisir',
  'keys.enter': 'Entrée valider',
  'keys.digits': '1-{max} raccourci',
  'keys.tab': 'Tab/Maj+Tab champ',
  'keys.esc': 'Échap retour',
  'keys.quit': 'Ctrl+C quitter',
  'keys.retry': 'R réessayer',
  'keys.page': 'PgPréc/PgSuiv page',
  'keys.type': 'tapez pour filtrer',
  'keys.edit': 'Entrée modifier',
  'keys.new': 'Ctrl+N nouveau',
  'keys.delete': 'Ctrl+D supprimer',
  'keys.save': 'Entrée enregistrer',
  'keys.yesNo': 'O oui · N non',
  'keys.retryCtrl': 'Ctrl+R réessayer',
  'keys.home': 'Début/Fin',
  'keys.enterNext': 'Entrée champ suivant',
  'keys.submit': 'Ctrl+S valider',
  'keys.clearFilter': 'Échap effacer le filtre',

  'welcome.heading': 'Bienvenue dans votre annuaire',
  'welcome.create': 'Créer un compte',
  'welcome.login': 'Se connecter',
  'welcome.quit': 'Quitter',

  'create.heading': 'Créer un compte',
  'create.username': "Nom d'utilisateur",
  'create.password': 'Mot de passe',
  'create.confirm': 'Confirmation',
  'create.submit': 'Créer le compte',
  'create.created': 'Compte créé. Vous pouvez vous connecter.',

  'login.heading': 'Se connecter',
  'login.username': "Nom d'utilisateur",
  'login.password': 'Mot de passe',
  'login.submit': 'Se connecter',

  'home.heading': 'Menu principal',
  'home.search': 'Rechercher un contact (nom et prénom)',
  'home.contacts': 'Mes contacts',
  'home.add': 'Ajouter un contact',
  'home.account': 'Mon compte',
  'home.logout': 'Se déconnecter',
  'home.quit': 'Quitter',

  'search.heading': 'Rechercher un contact',
  'search.nom': 'Nom',
  'search.prenom': 'Prénom',
  'search.submit': 'Rechercher',
  'search.notFound': "Contact introuvable dans l'annuaire.",
  'search.found': '{count} contact(s) trouvé(s) :',

  'contacts.heading': 'Mes contacts',
  'contacts.count': '{count} contact(s)',
  'contacts.filtered': '{count} résultat(s) pour « {query} »',
  'contacts.filter': 'Filtre',
  'contacts.filterEmpty': '(tapez pour filtrer)',
  'contacts.empty': 'Aucun contact pour le moment. Ctrl+N pour en ajouter un.',
  'contacts.noMatch': 'Aucun contact ne correspond.',
  'contacts.loading': 'chargement…',
  'contacts.confirmDelete': 'Supprimer « {name} » ? Cette action est définitive.',
  'contacts.deleted': 'Contact supprimé.',

  'field.nom': 'Nom',
  'field.prenom': 'Prénom',
  'field.email': 'Email',
  'field.telephone': 'Téléphone',
  'field.entreprise': 'Entreprise',
  'field.fonction': 'Fonction',
  'field.adresse': 'Adresse',
  'field.anniversaire': 'Anniversaire',
  'field.notes': 'Notes',

  'form.addHeading': 'Nouveau contact',
  'form.editHeading': 'Modifier le contact',
  'form.submit': 'Enregistrer',
  'form.saved': 'Contact enregistré.',
  'form.added': 'Contact ajouté.',
  'form.unchanged': 'Aucune modification à enregistrer.',
  'form.waiting': 'Envoi en cours…',
  'form.fixErrors': 'Corrigez les champs signalés.',

  'conflict.heading': "Ce contact a été modifié ailleurs pendant que vous l'éditiez.",
  'conflict.changes': 'Changements sur le serveur :',
  'conflict.row': '{field} : « {base} » → « {server} » (vous : « {mine} »)',
  'conflict.deleted': 'Ce contact a été supprimé sur le serveur.',
  'conflict.keepMine': 'Garder mes modifications',
  'conflict.takeServer': 'Prendre la version du serveur',
  'conflict.empty': '(vide)',

  'account.heading': 'Mon compte',
  'account.info': 'Connecté en tant que {username} · {count} contact(s) · compte créé le {created}',
  'account.changePassword': 'Changer le mot de passe',
  'account.delete': 'Supprimer le compte',
  'account.logout': 'Se déconnecter',
  'account.oldPassword': 'Mot de passe actuel',
  'account.newPassword': 'Nouveau mot de passe',
  'account.confirmPassword': 'Confirmation',
  'account.passwordChanged': 'Mot de passe modifié.',
  'account.deleteHeading': 'Supprimer le compte',
  'account.deleteWarning': 'Votre compte et ses {count} contact(s) seront effacés définitivement. Cette action ne peut pas être annulée.',
  'account.deletePassword': 'Mot de passe (pour confirmer)',
  'account.deleteSubmit': 'Supprimer définitivement',
  'account.confirmDelete': 'Dernière confirmation : supprimer le compte {username} ?',
  'account.deleted': 'Compte supprimé ({count} contact(s) effacé(s)).',
  'account.loggedOut': 'Vous êtes déconnecté.',

  'confirm.yes': 'Oui',
  'confirm.no': 'Non',
  'quit.confirm': 'Un formulaire contient une saisie non enregistrée. Quitter quand même ?',

  'validation.required': 'Champ obligatoire',
  'validation.username_too_short': 'Au moins 3 caractères',
  'validation.username_too_long': 'Au plus 32 caractères',
  'validation.username_invalid_characters': 'Lettres, chiffres, « . », « _ » et « - » seulement, en commençant par une lettre ou un chiffre',
  'validation.password_too_short': 'Au moins 8 caractères',
  'validation.password_too_long': 'Au plus 256 caractères',
  'validation.password_mismatch': 'Les mots de passe ne correspondent pas',
  'validation.nom_required': 'Le nom est obligatoire',
  'validation.email_invalid': 'Adresse email invalide',
  'validation.phone_invalid': 'Numéro de téléphone invalide',
  'validation.too_long': 'Trop long',
  'validation.invalid': 'Valeur invalide',

  'punct.colon': ' : ',
  'error.unexpected': 'Erreur inattendue : {message}',

  'cli.needsTty': "annuaire a besoin d'un terminal interactif (stdin et stdout doivent être un TTY).",
  'cli.embeddedFailed': 'Impossible de démarrer le serveur intégré : {message}',
  'help.usage': `Usage : annuaire [options]

Ouvre l'annuaire en plein écran dans le terminal.

Options :
  --host HÔTE     adresse du serveur (défaut 127.0.0.1)
  --port PORT     port du serveur (défaut 7878)
  --lang fr|en    langue de l'interface (défaut : d'après LANG, sinon fr)
  --tls           chiffre la connexion (TLS) ; un certificat inconnu est
                  épinglé à la première connexion (~/.config/annuaire/known_hosts)
  --help          affiche cette aide

Sans --host, --port ni --tls, si aucun serveur ne répond sur 127.0.0.1:7878,
un serveur est démarré dans le même processus sur le dossier data/.`,
  'help.badOption': 'Option invalide : {message}',
} as const;

export type MessageKey = keyof typeof fr;
