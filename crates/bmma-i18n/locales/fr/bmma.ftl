# Messages de l'interface de bmma : français.

## Mise en page
nav-label = Menu principal
nav-assessments = Évaluations
nav-frameworks = Référentiels
nav-language = Langue
footer-tagline = bmma : évaluations de la gestion des frontières et des migrations

## Référentiels
frameworks-title = Référentiels
frameworks-lead = Les référentiels au regard desquels les évaluations sont notées. Chaque version reste disponible : une évaluation montre toujours le texte sur lequel elle a été notée.
frameworks-name = Nom
frameworks-version = Version
frameworks-components = Composantes
frameworks-indicators = Indicateurs
frameworks-origin = Origine
frameworks-builtin = Intégré
frameworks-imported = Importé
framework-contents = Sommaire
framework-scale = Échelle de capacité
framework-states = Outre un niveau, un indicateur peut être noté « éléments probants insuffisants » (compté au niveau le plus bas et signalé), « sans objet » ou « non évalué » (tous deux exclus des notes d'élément).
framework-quantifiers = Les quantificateurs ont partout le même sens :
framework-topic = Thème
framework-topic-all = Tous les thèmes
framework-topic-show = Afficher
framework-topic-count = { $count ->
    [one] Un indicateur porte ce thème.
   *[other] { $count } indicateurs portent ce thème.
}
framework-level = Niveau
framework-descriptor = Ce qui doit être vrai
framework-evidence = Éléments probants
framework-actions = Actions pour atteindre le niveau suivant
evidence-documents = Documents à demander
evidence-interviews = Personnes à interroger
evidence-observation = Ce qu'il faut observer
evidence-does-not-count = Ne compte pas
method-weakest-link = Maillon le plus faible
method-averaging = Moyenne convertie
method-minimum = Minimum
method-mean = Moyenne

## Évaluations
assessments-title = Évaluations
assessments-new = Nouvelle évaluation
assessments-empty = Aucune évaluation pour l'instant. Ouvrez-en une dès réception de la demande d'un gouvernement.
assessment-title = Titre
assessment-country = Pays
assessment-status = Statut
assessment-framework = Référentiel
assessment-created = Ouverte le
assessment-requesting-body = Organisme demandeur
assessment-lifecycle = Cycle de vie
assessment-scope = Périmètre
assessment-scope-all = Tout le référentiel est dans le périmètre :
assessment-scope-part = Une partie du référentiel est dans le périmètre :
assessment-scope-count = { $count ->
    [one] un indicateur.
   *[other] { $count } indicateurs.
}
assessment-scope-part-heading = Composante ou élément
assessment-scope-indicators = Indicateurs dans le périmètre
status-requested = Demandée
status-scoping = Cadrage
status-fieldwork = Travail de terrain
status-validation = Validation
status-final = Finale
status-follow-up = Suivi

## Formulaire de nouvelle évaluation
new-title = Nouvelle évaluation
new-choose-country = Choisissez un pays
new-requesting-body-hint = L'organisme public qui a demandé l'évaluation, par exemple le ministère de l'Intérieur.
new-scope-all = Tout le référentiel
new-scope-selected = Seulement les parties cochées ci-dessous
new-scope-hint = Cocher une composante inclut tous ses éléments. Le périmètre pourra être précisé plus tard avec le gouvernement.
new-submit = Ouvrir l'évaluation
new-cancel = Annuler

## Pays
# Les pays réels sont nommés d'après les données du CLDR ; seuls les pays fictifs, qu'il ignore, sont écrits ici.
country-xv = Valdoria (fictive)

## Erreurs
error-invalid = Certains champs sont à corriger.
error-not-found = Cette page ou cet enregistrement n'existe pas.
error-bad-request = La requête n'a pas pu être lue : { $detail }
error-internal = Un problème est survenu de notre côté. Rien n'a été enregistré ; veuillez réessayer.
error-back = Retour aux évaluations
error-required = Ce champ est obligatoire.
error-too-long = { $count ->
    [one] Un caractère au plus.
   *[other] { $count } caractères au plus.
}
error-unknown-country = « { $value } » n'est pas un code de pays connu (ISO 3166-1 alpha-2).
error-unknown-framework = Aucun référentiel « { $value } » n'est installé.
error-unknown-code = « { $value } » ne fait pas partie du référentiel choisi.
error-empty-scope = Cochez au moins une composante ou un élément, ou choisissez tout le référentiel.

## Connexion et compte
nav-users = Comptes
nav-sign-out = Se déconnecter
login-title = Connexion
login-email = Adresse électronique
login-password = Mot de passe
login-submit = Se connecter
error-login-failed = L'adresse électronique ou le mot de passe est incorrect.
error-login-throttled = Trop de tentatives de connexion échouées. Attendez 15 minutes avant de réessayer.
error-login-expired = Le formulaire de connexion avait expiré. Veuillez vous reconnecter.
error-unauthenticated = Connectez-vous d'abord.
error-forbidden = Votre rôle dans cette évaluation ne le permet pas.
error-csrf = Ce formulaire avait expiré ou ne provenait pas de bmma. Rien n'a été enregistré ; rouvrez la page et réessayez.
error-admin-only = Seuls les administrateurs peuvent le faire.
account-title = Votre compte
account-name = Nom
account-role = Rôle
account-administrator = Administrateur
account-member = Membre
account-password = Mot de passe
account-current-password = Mot de passe actuel
account-new-password = Nouveau mot de passe
account-confirm-password = Nouveau mot de passe, à nouveau
account-password-hint = { $count ->
    [one] Au moins un caractère.
   *[other] Au moins { $count } caractères. Une phrase dont vous vous souvenez convient bien.
}
account-change-password = Changer le mot de passe
account-password-changed = Votre mot de passe a été changé. Les autres sessions de votre compte ont été fermées.
error-current-password = Le mot de passe actuel est incorrect.
error-password-short = { $count ->
    [one] Utilisez au moins un caractère.
   *[other] Utilisez au moins { $count } caractères.
}
error-password-mismatch = Les deux nouveaux mots de passe diffèrent.
account-tokens = Jetons d'API
account-tokens-lead = Les jetons permettent à des scripts d'utiliser l'API en votre nom : envoyez-en un dans « Authorization: Bearer … ». Révoquez un jeton dès qu'il ne sert plus.
account-token-once = Copiez ce jeton maintenant ; il ne sera plus affiché.
account-tokens-empty = Aucun jeton pour l'instant.
account-token-name = Nom du jeton
account-token-name-hint = À quoi sert le jeton, p. ex. « export mensuel »
account-token-created = Créé le
account-token-state = État
account-token-active = Actif
account-token-revoked = Révoqué
account-token-revoke = Révoquer
account-token-create = Créer un jeton
account-token-revoked-notice = Le jeton a été révoqué.

## Membres, partage et historique
members-title = Membres
members-role = Rôle
members-remove = Retirer
members-add = Ajouter un membre
members-role-hint = Ajouter une personne déjà membre change son rôle.
members-add-submit = Ajouter
members-invited = Invité
members-withdraw = Retirer
members-invite-hint = Une personne qui n'est pas encore membre est invitée : elle rejoint l'équipe après avoir accepté, connectée avec cette adresse. Un administrateur crée son compte si elle n'en a pas.
invitations-title = Invitations
invitations-from = invité par
invitations-accept = Accepter
invitations-decline = Refuser
role-team-lead = Chef d'équipe
role-expert = Expert
role-government-focal-point = Point focal du gouvernement
role-donor = Bailleur
role-observer = Observateur
error-unknown-role = Choisissez l'un des rôles.
error-no-such-account = Aucun compte n'a cette adresse électronique. Un administrateur peut le créer.
error-last-team-lead = Une évaluation a besoin d'un chef d'équipe : ajoutez-en d'abord un autre.
sharing-title = Partage
sharing-for-validation = Partager les projets avec les points focaux du gouvernement pour validation
sharing-with-donors = Partager l'évaluation avec les bailleurs (ils ne voient jamais les projets)
sharing-save = Enregistrer
assessment-drafts-withheld = Les travaux en cours de cette évaluation ne sont pas partagés avec vous.
history-title = Historique
history-lead = Toutes les modifications de cette évaluation, des plus anciennes aux plus récentes. La piste ne peut pas être modifiée ; son intégrité se vérifie avec « bmma audit verify ».
history-when = Quand
history-who = Qui
history-what = Quoi
history-change = Modification
history-withheld = Note d'un autre expert : visible une fois que vous aurez vous-même noté cet indicateur.
history-subject = Objet
history-yes = oui
history-no = non
history-detail-opened = Ouverte avec le cadre { $framework }.
history-detail-status = De { $from } à { $to }.
history-detail-scope-everything = Tout le cadre.
history-detail-scope = Limitée à { $codes }.
history-detail-plan = Plan enregistré avec { $counterparts } interlocuteurs et { $milestones } étapes.
history-detail-sharing = Résultats partagés avec les bailleurs : { $donors }. Projets partagés avec le gouvernement : { $validation }.
history-detail-loaded = { $assignments } affectations, { $ratings } notes et { $agreed } scores convenus chargés.
history-detail-role = Comme { $role }.
history-detail-role-changed = De { $from } à { $to }.
history-detail-assigned = Confié à { $experts }.
history-detail-nobody-assigned = Personne n'est affecté.
history-detail-level = Niveau { $level }
history-detail-cites = { $count ->
    [one] Cite une pièce justificative.
   *[other] Cite { $count } pièces justificatives.
}
history-detail-evidence-file = { $kind }, fichier { $file }.
history-detail-visit = Visite du { $date } ; { $observed } indicateurs observés.

## Comptes (administrateurs)
users-title = Comptes
users-add = Créer un compte
users-initial-password = Mot de passe initial
users-make-admin = Administrateur (gère les comptes et les référentiels, voit toutes les évaluations)
users-add-submit = Créer le compte
users-added = Le compte { $email } a été créé. Communiquez le mot de passe initial à son titulaire par un autre canal.
error-email = Saisissez une adresse électronique comme nom@exemple.org.
error-framework-version-taken = Cette version est déjà enregistrée avec un autre contenu ; donnez une nouvelle version au fichier modifié.
error-account-exists = Un compte avec cette adresse électronique existe déjà.

## Ce que la piste d'audit enregistre
audit-user-create = Compte créé
audit-user-change-password = Mot de passe changé
audit-api-token-create = Jeton d'API créé
audit-api-token-revoke = Jeton d'API révoqué
audit-framework-install = Référentiel installé
audit-framework-replace = Référentiel intégré mis à jour
audit-assessment-create = Évaluation ouverte
audit-assessment-share = Partage modifié
audit-membership-set-member = Membre ajouté, ou rôle changé
audit-membership-remove-member = Membre retiré
audit-invitation-invite = Invitation envoyée, ou modifiée
audit-invitation-accept = Invitation acceptée
audit-invitation-end = Invitation retirée ou refusée
audit-assessment-change-status = Statut modifié
audit-assessment-set-scope = Périmètre modifié
audit-assessment-set-plan = Plan enregistré
audit-assessment-load-scores = Notes générées chargées
audit-element-assign = Experts affectés à un élément
audit-indicator-rate = Indicateur noté par un expert
audit-indicator-agree = Note arrêtée par l'équipe
audit-evidence-create = Élément probant déposé
audit-evidence-update = Élément probant modifié
audit-site-create = Site frontalier ajouté
audit-visit-create = Visite de site enregistrée

## Avancer dans le cycle de vie
status-move-forward = Passer à : { $status }
status-move-back = Revenir à : { $status }
assessment-status-since = Dans ce statut depuis le { $when }, changé par { $who }.
error-stale = Cette évaluation a été modifiée par { $who } le { $when }. Relisez-la et enregistrez à nouveau.
error-transition = Une évaluation ne peut pas passer de « { $from } » à « { $to } ».
error-unknown-status = « { $value } » n'est pas un statut.

## Notation
scores-title = Notes
scores-my-work = Votre travail
scores-my-unrated = { $count ->
    [0] Tous les indicateurs qui vous sont confiés sont notés.
    [one] Un indicateur qui vous est confié n'est pas encore noté :
   *[other] { $count } indicateurs qui vous sont confiés ne sont pas encore notés :
}
scores-element = Élément
scores-experts = Experts
scores-rated = Notés
scores-agreed = Convenus
scores-disagreements = À résoudre
scores-indicators = Indicateurs
scores-score = Note
scores-explanation = { $count ->
    [one] { $method } d’une note convenue
   *[other] { $method } de { $count } notes convenues
} ; { $left_out } écartées (sans objet, non évaluées ou pas encore convenues).
scores-insufficient-evidence = * Tirée vers le bas par des éléments probants insuffisants.
assignments-title = Affectations
assignments-lead = Cochez les experts qui notent chaque élément. Chacun note de façon indépendante ; le chef d'équipe convient ensuite de la note.
assignments-no-raters = Ajoutez d'abord des experts dans la page Membres.
assignments-save = Enregistrer les affectations
indicator-out-of-scope = Cet indicateur est hors du périmètre de l'évaluation.
indicator-descriptors = Descripteurs des niveaux
indicator-ratings = Notes
indicator-rated-by = { $count ->
    [0] Pas encore de note.
    [one] Noté par un expert.
   *[other] Noté par { $count } experts.
}
indicator-assigned = Affecté à :
indicator-disagreement = Les experts diffèrent de deux niveaux ou plus : discutez-en avant de convenir d'une note.
indicator-expert = Expert
indicator-rating = Note
indicator-justification = Justification
indicator-ratings-hidden = Les notes des autres experts apparaissent une fois la vôtre enregistrée.
indicator-your-rating = Votre note
indicator-save-rating = Enregistrer ma note
indicator-agreed = Note convenue
indicator-agreed-none = Pas encore convenue.
indicator-narrative = Exposé
indicator-save-agreed = Enregistrer la note convenue
rating-insufficient-evidence = Éléments probants insuffisants
rating-not-applicable = Sans objet
rating-not-assessed = Non évalué
error-stale-score = Ceci a été enregistré par { $who } le { $when } après que vous l'avez ouvert. Relisez et enregistrez à nouveau.
error-stale-assignments = Les affectations ont été modifiées par quelqu'un d'autre après l'ouverture de cette page. Vérifiez-les et enregistrez à nouveau.
error-stale-members = L'équipe a été modifiée par quelqu'un d'autre après l'ouverture de cette page ; elle est affichée ici telle qu'elle est maintenant. Vérifiez-la et réessayez.
error-not-rating-period = Les notes s'enregistrent pendant le travail de terrain et la validation ; cette évaluation est au statut « { $status } ».
error-out-of-scope = { $value } est hors du périmètre de l'évaluation.
error-not-on-scale = { $value } n'est pas un niveau de l'échelle.
error-not-assigned = { $value } ne vous est pas affecté.
error-not-a-rater = Seuls les chefs d'équipe et les experts peuvent se voir affecter des éléments.
scores-none-agreed = Pas encore de note convenue.
scope-title = Modifier le périmètre
scope-lead = Composantes, éléments et indicateurs convenus avec le gouvernement. Les notes d'un indicateur sorti du périmètre sont conservées, masquées, et reviennent s'il y revient.
scope-save = Enregistrer le périmètre

## Méthode et calendrier
plan-title = Méthode et calendrier
plan-lead = Convenus avec le gouvernement : les dates, la date limite des éléments probants, les interlocuteurs, la façon de recueillir les éléments probants pour chaque élément, et les jalons. Un plan jamais enregistré part des 12 semaines habituelles.
plan-start = Début
plan-end = Fin
plan-cutoff = Date limite des éléments probants
plan-counterparts = Interlocuteurs gouvernementaux
plan-counterparts-hint = Un par ligne, par exemple « Directeur de la police des frontières ».
plan-milestones = Jalons
plan-milestone = Jalon
plan-due = Échéance
plan-methods = Méthodes par élément
plan-save = Enregistrer la méthode et le calendrier
plan-summary = Du { $start } au { $end }.
plan-next = Prochain jalon : { $name }, pour le { $due }.
plan-none = Aucun calendrier convenu pour l'instant.
milestone-scope-agreed = Périmètre et méthode convenus avec le gouvernement
milestone-desk-review = Revue documentaire terminée
milestone-field-visits = Visites de terrain terminées
milestone-draft-shared = Constats provisoires partagés pour validation
milestone-final-report = Rapport final remis
method-desk-review = Revue documentaire
method-interviews = Entretiens
method-questionnaires = Questionnaires
method-site-visits = Visites de sites
method-observation = Observation
error-before-start = Cette date tombe avant le début.
error-after-end = Le jalon « { $value } » tombe après la fin de l'évaluation.
error-before-start-named = Le jalon « { $value } » tombe avant le début.
error-bad-date = « { $value } » n'est pas une date ; utilisez la forme AAAA-MM-JJ.

## Terrain : sites et visites
fieldwork-title = Sites et visites
fieldwork-sites = Points de passage frontaliers et bureaux
fieldwork-no-sites = Aucun site enregistré pour ce pays pour l'instant.
fieldwork-add-site = Ajouter un site
fieldwork-visits = Visites
fieldwork-no-visits = Aucune visite enregistrée pour l'instant.
fieldwork-notes-withheld = Les notes de visite font partie des éléments probants et restent réservées au chef d'équipe et aux experts.
fieldwork-add-visit = Enregistrer une visite
site-name = Nom
site-kind = Type
site-place = Coordonnées
site-latitude = Latitude (degrés décimaux)
site-longitude = Longitude (degrés décimaux)
site-agencies = Services présents
site-agencies-hint = Séparés par des virgules, par exemple « Police des frontières, Douanes, Santé portuaire ».
site-travellers = Voyageurs par an
site-kind-land = Point de passage terrestre
site-kind-air = Aéroport
site-kind-sea = Port maritime
site-kind-inland-office = Bureau à l'intérieur du pays
visit-date = Date
visit-site = Site
visit-team = Membres de l'équipe
visit-observed = Indicateurs observés
visit-notes = Notes
indicator-visits = Observé lors des visites
error-bad-coordinate = « { $value } » n'est pas une coordonnée ; utilisez des degrés décimaux comme -1.2921, avec au plus six décimales.
error-negative = Utilisez un nombre entier positif ou nul.
error-not-a-number = « { $value } » n'est pas un nombre : écrivez-le en chiffres, par exemple 125000 ou 1 250 000.

## Evidence register
evidence-title = Éléments de preuve
evidence-search = Rechercher dans les éléments de preuve
evidence-search-button = Rechercher
evidence-search-hint = Trouve les éléments dont le titre, les notes ou le texte du document contiennent des mots commençant par chacun des mots saisis : « pass » trouve « passeport ».
evidence-for-indicator = Éléments de preuve pour { $code }.
evidence-all = Afficher tous les éléments
evidence-none = Rien n’est encore enregistré. Ajoutez ci-dessous documents, notes d’entretien et observations, chacun lié aux indicateurs qu’il étaye.
evidence-no-match = Aucun élément ne correspond à tous les mots de cette recherche.
evidence-found = { $count ->
    [one] Un élément correspond.
   *[other] { $count } éléments correspondent.
}
evidence-found-many = Trop d’éléments correspondent pour tous les afficher : voici les { $count } plus récents. Ajoutez un mot pour affiner la recherche.
evidence-item = Élément
evidence-indicators = Indicateurs étayés
evidence-file = Fichier
evidence-filed = Enregistré
evidence-last-saved = Dernier enregistrement
evidence-text-waiting = texte en cours de lecture
evidence-text-unreadable = texte illisible : le fichier est endommagé ou trop complexe
evidence-text-no-text = pas de texte consultable
evidence-add = Enregistrer un élément
evidence-kind = Type
evidence-item-title = Titre
evidence-notes = Notes
evidence-notes-hint = Pour un entretien : qui a été rencontré (par fonction, pas par nom, sauf accord), ce qui a été dit, quels documents ont été promis.
evidence-file-hint = Facultatif. PDF, texte, CSV, Word, Excel, PowerPoint, OpenDocument, PNG ou JPEG, jusqu’à { $limit } Mo. Les mots des fichiers PDF et texte deviennent consultables.
evidence-save = Enregistrer les modifications
evidence-kind-document = Document
evidence-kind-interview = Notes d’entretien
evidence-kind-observation = Observation
evidence-kind-visit-record = Compte rendu de visite
indicator-evidence = Éléments de preuve
indicator-evidence-none = Aucun élément de preuve n’est encore lié à cet indicateur.
indicator-evidence-add = Enregistrer un élément pour cet indicateur
indicator-cite = Éléments sur lesquels vous vous appuyez
indicator-cited = Cite
error-file-too-large = Le fichier dépasse la limite de { $limit } Mo.
error-file-type = « { $value } » n’est pas un type de fichier accepté par bmma : utilisez PDF, texte, CSV, Word, Excel, PowerPoint, OpenDocument, PNG ou JPEG.
error-unknown-evidence = « { $value } » ne fait pas partie du registre des éléments de preuve de cette évaluation.
