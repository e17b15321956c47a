# bmma interface messages: English, the reference language.

## Layout
nav-label = Main
nav-assessments = Assessments
nav-frameworks = Frameworks
nav-language = Language
footer-tagline = bmma: Border and Migration Management Assessments

## Frameworks
frameworks-title = Frameworks
frameworks-lead = The frameworks that assessments are scored against. Each version stays available, so an assessment always shows the text it was scored on.
frameworks-name = Name
frameworks-version = Version
frameworks-components = Components
frameworks-indicators = Indicators
frameworks-origin = Origin
frameworks-builtin = Built in
frameworks-imported = Imported
framework-contents = Contents
framework-scale = Capacity scale
framework-states = Besides a level, an indicator can be rated "insufficient evidence" (counted at the lowest level and flagged), "not applicable" or "not assessed" (both left out of element scores).
framework-quantifiers = Quantifiers have fixed meanings throughout:
framework-topic = Topic
framework-topic-all = All topics
framework-topic-show = Show
framework-topic-count = { $count ->
    [one] One indicator has this topic.
   *[other] { $count } indicators have this topic.
}
framework-level = Level
framework-descriptor = What must be true
framework-evidence = Evidence
framework-actions = Actions to reach the next level
evidence-documents = Documents to ask for
evidence-interviews = People to interview
evidence-observation = What to observe
evidence-does-not-count = Does not count
method-weakest-link = Weakest link
method-averaging = Averaging
method-minimum = Minimum
method-mean = Mean

## Assessments
assessments-title = Assessments
assessments-new = New assessment
assessments-empty = No assessment yet. Start one when a government's request arrives.
assessment-title = Title
assessment-country = Country
assessment-status = Status
assessment-framework = Framework
assessment-created = Opened
assessment-requesting-body = Requesting body
assessment-lifecycle = Life cycle
assessment-scope = Scope
assessment-scope-all = The whole framework is in scope:
assessment-scope-part = Part of the framework is in scope:
assessment-scope-count = { $count ->
    [one] one indicator.
   *[other] { $count } indicators.
}
assessment-scope-part-heading = Component or element
assessment-scope-indicators = Indicators in scope
status-requested = Requested
status-scoping = Scoping
status-fieldwork = Fieldwork
status-validation = Validation
status-final = Final
status-follow-up = Follow-up

## New assessment form
new-title = New assessment
new-choose-country = Choose a country
new-requesting-body-hint = The government body that asked for the assessment, for example the Ministry of the Interior.
new-scope-all = The whole framework
new-scope-selected = Only the parts ticked below
new-scope-hint = Ticking a component takes in all of its elements. The scope can be refined with the government later.
new-submit = Open the assessment
new-cancel = Cancel

## Errors
error-invalid = Some fields need attention.
error-not-found = This page or record does not exist.
error-bad-request = The request could not be read: { $detail }
error-internal = Something went wrong on our side. Nothing was saved; please try again.
error-back = Back to the assessments
error-required = This field is required.
error-too-long = { $count ->
    [one] Use at most one character.
   *[other] Use at most { $count } characters.
}
error-unknown-country = "{ $value }" is not a country code we know (ISO 3166-1 alpha-2).
error-unknown-framework = No framework "{ $value }" is installed.
error-unknown-code = "{ $value }" is not part of the chosen framework.
error-empty-scope = Tick at least one component or element, or choose the whole framework.
