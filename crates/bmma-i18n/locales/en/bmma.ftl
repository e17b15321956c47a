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

## Countries
# Real countries are named from CLDR data; only the fictional ones, unknown to it, are worded here.
country-xv = Valdoria (fictional)

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

## Signing in and the account
nav-users = Accounts
nav-sign-out = Sign out
login-title = Sign in
login-email = E-mail address
login-password = Password
login-submit = Sign in
error-login-failed = The e-mail address or the password is wrong.
error-login-throttled = Too many failed sign-ins. Wait 15 minutes, then try again.
error-login-expired = The sign-in form had expired. Please sign in again.
error-unauthenticated = Sign in first.
error-forbidden = Your role in this assessment does not allow this.
error-csrf = This form had expired or did not come from bmma. Nothing was saved; open the page again and retry.
error-admin-only = Only administrators may do this.
account-title = Your account
account-name = Name
account-role = Role
account-administrator = Administrator
account-member = Member
account-password = Password
account-current-password = Current password
account-new-password = New password
account-confirm-password = New password, again
account-password-hint = { $count ->
    [one] At least one character.
   *[other] At least { $count } characters. A sentence you can remember works well.
}
account-change-password = Change the password
account-password-changed = Your password was changed. Other sessions of your account were signed out.
error-current-password = The current password is wrong.
error-password-short = { $count ->
    [one] Use at least one character.
   *[other] Use at least { $count } characters.
}
error-password-mismatch = The two new passwords differ.
account-tokens = API tokens
account-tokens-lead = Tokens let scripts use the API under your name: send one as "Authorization: Bearer …". Revoke a token as soon as it is no longer needed.
account-token-once = Copy this token now; it will not be shown again.
account-tokens-empty = No token yet.
account-token-name = Token name
account-token-name-hint = What the token is for, e.g. "monthly export"
account-token-created = Created
account-token-state = State
account-token-active = Active
account-token-revoked = Revoked
account-token-revoke = Revoke
account-token-create = Create a token
account-token-revoked-notice = The token was revoked.

## Members, sharing and history
members-title = Members
members-role = Role
members-remove = Remove
members-add = Add a member
members-role-hint = Adding someone who is already a member changes their role.
members-add-submit = Add
members-invited = Invited
members-withdraw = Withdraw
members-invite-hint = Someone who is not yet a member is invited: they join once they accept, signed in with this address. An administrator creates the account if they have none.
invitations-title = Invitations
invitations-from = invited by
invitations-accept = Accept
invitations-decline = Decline
role-team-lead = Team lead
role-expert = Expert
role-government-focal-point = Government focal point
role-donor = Donor
role-observer = Observer
error-unknown-role = Choose one of the roles.
error-no-such-account = No account has this e-mail address. An administrator can create it.
error-last-team-lead = An assessment needs a team lead: add another one first.
sharing-title = Sharing
sharing-for-validation = Share drafts with the government focal points for validation
sharing-with-donors = Share the assessment with donors (they never see drafts)
sharing-save = Save
assessment-drafts-withheld = The work in progress of this assessment is not shared with you.
history-title = History
history-lead = Every change to this assessment, oldest first. The trail cannot be edited; its integrity can be checked with "bmma audit verify".
history-when = When
history-who = Who
history-what = What
history-change = Change
history-withheld = Another expert's rating: shown once you have rated this indicator yourself.
history-subject = About
history-yes = yes
history-no = no
history-detail-opened = Opened with the framework { $framework }.
history-detail-status = From { $from } to { $to }.
history-detail-scope-everything = The whole framework.
history-detail-scope = Limited to { $codes }.
history-detail-plan = Plan saved with { $counterparts } counterparts and { $milestones } milestones.
history-detail-sharing = Results shared with donors: { $donors }. Drafts shared with the government: { $validation }.
history-detail-loaded = { $assignments } assignments, { $ratings } ratings and { $agreed } agreed scores loaded.
history-detail-role = As { $role }.
history-detail-role-changed = From { $from } to { $to }.
history-detail-assigned = Assigned to { $experts }.
history-detail-nobody-assigned = Nobody assigned.
history-detail-level = Level { $level }
history-detail-cites = { $count ->
    [one] Cites one evidence item.
   *[other] Cites { $count } evidence items.
}
history-detail-evidence-file = { $kind }, file { $file }.
history-detail-visit = Visited on { $date }; { $observed } indicators observed.

## Accounts (administrators)
users-title = Accounts
users-add = Create an account
users-initial-password = Initial password
users-make-admin = Administrator (manages accounts and frameworks, sees every assessment)
users-add-submit = Create the account
users-added = The account { $email } was created. Give its owner the initial password by a separate channel.
error-email = Enter an e-mail address such as name@example.org.
error-framework-version-taken = This version is already stored with different content; give the changed file a new version.
error-account-exists = An account with this e-mail address exists already.

## What the audit trail records
audit-user-create = Account created
audit-user-change-password = Password changed
audit-api-token-create = API token created
audit-api-token-revoke = API token revoked
audit-framework-install = Framework installed
audit-framework-replace = Built-in framework updated
audit-assessment-create = Assessment opened
audit-assessment-share = Sharing changed
audit-membership-set-member = Member added, or role changed
audit-membership-remove-member = Member removed
audit-invitation-invite = Invited to join, or invitation changed
audit-invitation-accept = Invitation accepted
audit-invitation-end = Invitation withdrawn or declined
audit-assessment-change-status = Status changed
audit-assessment-set-scope = Scope changed
audit-assessment-set-plan = Plan saved
audit-assessment-load-scores = Generated scores loaded
audit-element-assign = Experts assigned to an element
audit-indicator-rate = Indicator rated by an expert
audit-indicator-agree = Score agreed by the team
audit-evidence-create = Evidence filed
audit-evidence-update = Evidence edited
audit-site-create = Border site added
audit-visit-create = Site visit recorded

## Moving along the life cycle
status-move-forward = Move to { $status }
status-move-back = Back to { $status }
assessment-status-since = In this status since { $when }, moved by { $who }.
error-stale = This assessment was changed by { $who } at { $when }. Review it and save again.
error-transition = An assessment cannot move from { $from } to { $to }.
error-unknown-status = "{ $value }" is not a status.

## Scoring
scores-title = Scores
scores-my-work = Your work
scores-my-unrated = { $count ->
    [0] Every indicator assigned to you is rated.
    [one] One indicator assigned to you is still unrated:
   *[other] { $count } indicators assigned to you are still unrated:
}
scores-element = Element
scores-experts = Experts
scores-rated = Rated
scores-agreed = Agreed
scores-disagreements = To resolve
scores-indicators = Indicators
scores-score = Score
scores-explanation = { $count ->
    [one] { $method } of one agreed score
   *[other] { $method } of { $count } agreed scores
}; { $left_out } left out (not applicable, not assessed or not yet agreed).
scores-insufficient-evidence = * Held down by insufficient evidence.
assignments-title = Assignments
assignments-lead = Tick the experts who rate each element. Each rates independently; the team lead then agrees the score.
assignments-no-raters = Add experts on the Members page first.
assignments-save = Save the assignments
indicator-out-of-scope = This indicator is outside the assessment's scope.
indicator-descriptors = Level descriptors
indicator-ratings = Ratings
indicator-rated-by = { $count ->
    [0] No rating yet.
    [one] Rated by one expert.
   *[other] Rated by { $count } experts.
}
indicator-assigned = Assigned:
indicator-disagreement = The experts differ by two levels or more: discuss before agreeing a score.
indicator-expert = Expert
indicator-rating = Rating
indicator-justification = Justification
indicator-ratings-hidden = The other experts' ratings appear once you have saved your own.
indicator-your-rating = Your rating
indicator-save-rating = Save my rating
indicator-agreed = Agreed score
indicator-agreed-none = Not agreed yet.
indicator-narrative = Narrative
indicator-save-agreed = Save the agreed score
rating-insufficient-evidence = Insufficient evidence
rating-not-applicable = Not applicable
rating-not-assessed = Not assessed
error-stale-score = This was saved by { $who } at { $when } after you opened it. Review it and save again.
error-stale-assignments = The assignments were changed by someone else after you opened this page. Review them and save again.
error-stale-members = The team was changed by someone else after you opened this page; it is shown here as it is now. Review it and try again.
error-not-rating-period = Ratings are recorded during fieldwork and validation; this assessment is in { $status }.
error-out-of-scope = { $value } is outside the assessment's scope.
error-not-on-scale = { $value } is not a level of the scale.
error-not-assigned = { $value } is not assigned to you.
error-not-a-rater = Only team leads and experts can be assigned elements.
scores-none-agreed = No agreed score yet.
scope-title = Change the scope
scope-lead = Components, elements and indicators agreed with the government. Ratings of an indicator taken out of scope are kept, hidden, and come back if it returns.
scope-save = Save the scope

## Method and timeline
plan-title = Method and timeline
plan-lead = Agreed with the government: the dates, the evidence cut-off, the counterparts, how evidence is gathered for each element, and the milestones. A plan never saved starts from the usual 12 weeks.
plan-start = Start
plan-end = End
plan-cutoff = Evidence cut-off
plan-counterparts = Government counterparts
plan-counterparts-hint = One per line, for example "Director of Border Police".
plan-milestones = Milestones
plan-milestone = Milestone
plan-due = Due
plan-methods = Methods per element
plan-save = Save the method and timeline
plan-summary = From { $start } to { $end }.
plan-next = Next milestone: { $name }, due { $due }.
plan-none = No timeline agreed yet.
milestone-scope-agreed = Scope and method agreed with the government
milestone-desk-review = Desk review complete
milestone-field-visits = Field visits complete
milestone-draft-shared = Draft findings shared for validation
milestone-final-report = Final report delivered
method-desk-review = Desk review
method-interviews = Interviews
method-questionnaires = Questionnaires
method-site-visits = Site visits
method-observation = Observation
error-before-start = This date falls before the start.
error-after-end = The milestone "{ $value }" falls after the assessment's end.
error-before-start-named = The milestone "{ $value }" falls before the start.
error-bad-date = "{ $value }" is not a date; use the form YYYY-MM-DD.

## Fieldwork: sites and visits
fieldwork-title = Sites and visits
fieldwork-sites = Border crossing points and offices
fieldwork-no-sites = No site recorded for this country yet.
fieldwork-add-site = Add a site
fieldwork-visits = Visits
fieldwork-no-visits = No visit recorded yet.
fieldwork-notes-withheld = Visit notes are part of the evidence and stay with the team lead and the experts.
fieldwork-add-visit = Record a visit
site-name = Name
site-kind = Kind
site-place = Coordinates
site-latitude = Latitude (decimal degrees)
site-longitude = Longitude (decimal degrees)
site-agencies = Agencies present
site-agencies-hint = Separated by commas, for example "Border police, Customs, Port health".
site-travellers = Travellers a year
site-kind-land = Land border crossing point
site-kind-air = Airport
site-kind-sea = Seaport
site-kind-inland-office = Inland office
visit-date = Date
visit-site = Site
visit-team = Team members
visit-observed = Indicators observed
visit-notes = Notes
indicator-visits = Observed during visits
error-bad-coordinate = "{ $value }" is not a coordinate; use decimal degrees such as -1.2921, with at most six decimals.
error-negative = Use a whole number of zero or more.
error-not-a-number = “{ $value }” is not a number: write it in digits, such as 125000 or 1,250,000.

## Evidence register
evidence-title = Evidence
evidence-search = Search the evidence
evidence-search-button = Search
evidence-search-hint = Finds items whose title, notes or document text has words starting with every word you type: "pass" finds "passport".
evidence-for-indicator = Evidence for { $code }.
evidence-all = Show all evidence
evidence-none = Nothing filed yet. Add documents, interview notes and observations below, each linked to the indicators it supports.
evidence-no-match = No item matches every word of this search.
evidence-found = { $count ->
    [one] One item matches.
   *[other] { $count } items match.
}
evidence-found-many = More items match than can be shown: these are the newest { $count }. Add a word to narrow the search.
evidence-item = Item
evidence-indicators = Indicators it supports
evidence-file = File
evidence-filed = Filed
evidence-last-saved = Last saved
evidence-text-waiting = text being read
evidence-text-unreadable = text could not be read: the file is damaged or too complex
evidence-text-no-text = no searchable text
evidence-add = File evidence
evidence-kind = Kind
evidence-item-title = Title
evidence-notes = Notes
evidence-notes-hint = For an interview: who was met (by function, not by name, unless they agreed), what was said, what documents were promised.
evidence-file-hint = Optional. PDF, text, CSV, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG, up to { $limit } MB. The words of PDF and text files become searchable.
evidence-save = Save changes
evidence-kind-document = Document
evidence-kind-interview = Interview notes
evidence-kind-observation = Observation
evidence-kind-visit-record = Visit record
indicator-evidence = Evidence
indicator-evidence-none = No evidence is linked to this indicator yet.
indicator-evidence-add = File evidence for this indicator
indicator-cite = Evidence you rely on
indicator-cited = Cites
error-file-too-large = The file is larger than the upload limit of { $limit } MB.
error-file-type = "{ $value }" is not a kind of file bmma accepts: use PDF, text, CSV, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG.
error-unknown-evidence = "{ $value }" is not an item of this assessment's evidence register.
