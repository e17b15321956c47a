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
