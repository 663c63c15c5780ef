import type { ErrorCode } from '@annuaire/protocol';

export const errors: Record<ErrorCode, string> = {
  bad_request: 'Requête illisible : chaque ligne doit être un objet JSON avec « id » et « action ».',
  frame_too_large: 'Requête trop volumineuse.',
  reply_too_large: 'Réponse trop volumineuse pour être envoyée : demandez moins de contacts à la fois.',
  unknown_action: 'Action inconnue.',
  invalid_params: 'Paramètres invalides.',
  not_authenticated: 'Veuillez vous connecter d’abord.',
  username_taken: "Le nom d'utilisateur existe déjà. Veuillez choisir un autre nom d'utilisateur.",
  invalid_credentials: "Nom d'utilisateur ou mot de passe incorrect.",
  too_many_attempts: 'Trop de tentatives. Réessayez plus tard.',
  contact_not_found: "Contact introuvable dans l'annuaire.",
  quota_exceeded: 'Quota du compte atteint.',
  resync_required: 'Le journal des changements ne remonte plus jusque-là : rechargez la liste.',
  version_conflict: 'Ce contact a été modifié entre-temps. Rechargez-le avant de l’enregistrer.',
  rate_limited: 'Trop de requêtes. Ralentissez.',
  too_many_connections: 'Trop de connexions ouvertes.',
  idle_timeout: 'Connexion fermée après une trop longue inactivité.',
  shutting_down: 'Le serveur s’arrête.',
  storage_full:
    'Le disque du serveur est plein : rien n’a été enregistré. Vous pouvez encore supprimer des contacts pour libérer de la place.',
  unavailable: 'La base de données du serveur est momentanément injoignable : rien n’a été fait. Réessayez dans un instant.',
  internal_error: 'Erreur interne du serveur.',
};

/** Reasons attached to invalid_params, by the stable reason code. */
export const reasons: Record<string, string> = {
  required: 'obligatoire',
  invalid_type: 'type incorrect',
  unrecognized_key: 'paramètre inattendu',
  too_small: 'trop court',
  too_big: 'trop long',
  invalid_value: 'valeur non autorisée',
  invalid_format: 'format incorrect',
  username_too_short: "Le nom d'utilisateur doit faire au moins 3 caractères.",
  username_too_long: "Le nom d'utilisateur doit faire au plus 32 caractères.",
  username_invalid_characters:
    "Le nom d'utilisateur ne peut contenir que des lettres, des chiffres, « . », « _ » et « - », et doit commencer par une lettre ou un chiffre.",
  username_invisible_characters:
    "Le nom d'utilisateur contient un caractère invisible (comme U+034F ou un sélecteur de variante) : retirez-le.",
  password_too_short: 'Le mot de passe doit faire au moins 8 caractères.',
  password_too_long: 'Le mot de passe doit faire au plus 256 caractères.',
  nom_required: 'Le nom est obligatoire.',
  control_characters: 'Caractères de contrôle interdits (échappements de terminal, etc.).',
  email_invalid: 'Adresse e-mail invalide.',
  phone_invalid: 'Numéro de téléphone invalide.',
  birthday_invalid: 'Date invalide (AAAA-MM-JJ).',
  email_and_emails: 'Donnez « email » ou « emails », pas les deux.',
  telephone_and_telephones: 'Donnez « telephone » ou « telephones », pas les deux.',
  cursor_invalid: 'Curseur de pagination invalide.',
  same_password: 'Le nouveau mot de passe doit être différent de l’ancien.',
  unreadable: 'Illisible : le lecteur vCard ou CSV n’a pas pu le lire (voir le détail).',
  birthday_impossible: 'Cette date n’existe pas (par exemple un 31 février).',
  no_identity: 'Ne nomme personne : ni nom, ni FN, ni société, ni surnom, ni e-mail, ni téléphone.',
  nested_card: 'Fiche imbriquée (AGENT) laissée de côté ; la fiche qui la contient est importée.',
  unreadable_line: 'Ligne illisible laissée de côté.',
  missing_end: 'Fiche sans END:VCARD à la fin du fichier : importée telle quelle.',
  unknown_charset: 'Jeu de caractères inconnu : valeur lue en UTF-8.',
  unknown_column: 'Colonne non reprise : aucun champ de l’annuaire ne lui correspond.',
  too_many: 'Au-delà de 20 valeurs : laissée de côté.',
  truncated: 'Trop long : coupé à 100 caractères.',
  cursor_and_ids: 'Donnez « cursor » ou « contact_ids », pas les deux.',
  upload_unknown: 'Aucun envoi en cours sous cet identifiant (commencez par import_begin).',
  control_characters_stripped: 'Caractères de contrôle retirés (échappements de terminal, etc.) ; le reste de la valeur est gardé.',
  data_or_bytes: 'Donnez « data » ou « bytes », l’un des deux.',
  no_vcard: 'Aucune fiche vCard (BEGIN:VCARD … END:VCARD) dans le fichier.',
  no_csv_rows: 'Aucune ligne de contact sous l’en-tête du fichier CSV.',
  duplicate: 'Déjà dans l’annuaire.',
  cursor_and_offset: 'Donnez « cursor » ou « offset », pas les deux.',
};

export const messages = {
  account_created: 'Compte créé. Votre annuaire est prêt.',
  login_ok: 'Connexion réussie.',
  logout_ok: 'Déconnexion réussie.',
  password_changed: 'Mot de passe modifié.',
  account_deleted: 'Compte et annuaire supprimés.',
  contact_deleted: 'Contact supprimé.',
  shutdown: 'Le serveur s’arrête.',
  idle_timeout: 'Connexion fermée après une trop longue inactivité.',
  frame_too_large: 'Requête trop volumineuse : connexion fermée.',
  frame_timeout: 'Connexion fermée : requête commencée mais jamais terminée.',
  too_many_connections: 'Trop de connexions ouvertes.',
  too_slow: 'Connexion fermée : le client ne lit pas ses réponses.',
  session_logged_out_elsewhere: 'Session fermée : déconnexion depuis un autre terminal.',
  session_password_changed: 'Session fermée : le mot de passe a été changé.',
  session_account_deleted: 'Session fermée : le compte a été supprimé.',
  session_expired: 'Session expirée : reconnectez-vous.',
};

export const invalidParamsMessage = (field: string, reason: string) =>
  field ? `Paramètre « ${field} » invalide : ${reason}` : `Paramètres invalides : ${reason}`;

export const quotaMessage = (kind: 'contacts' | 'bytes', limit: number) =>
  kind === 'contacts'
    ? `Quota atteint : un annuaire peut contenir au plus ${limit.toLocaleString('fr-FR')} contacts. Supprimez-en pour en ajouter.`
    : `Quota atteint : un annuaire peut occuper au plus ${Math.floor(limit / 1048576).toLocaleString('fr-FR')} Mio. Supprimez des contacts pour libérer de la place.`;
