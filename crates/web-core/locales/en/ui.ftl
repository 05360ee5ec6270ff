# The user interface frame, sign-in, settings and administration pages.
# Record pages (people, companies, trash) keep their texts in records.ftl.

## Navigation
nav-main = Main navigation
nav-skip = Skip to content
nav-toggle = Menu
nav-home = Home
nav-people = People
nav-companies = Companies
nav-admin = Administration
nav-users = Users
nav-teams = Teams
nav-audit = Audit log
nav-trash = Trash
nav-settings = Settings
nav-api-docs = API documentation
nav-breadcrumbs = You are here

## Common actions
action-login = Sign in
action-logout = Sign out
action-theme = Switch between light and dark
action-save = Save
action-cancel = Cancel
action-filter = Filter
action-clear = Clear filters
action-copy = Copy
action-copied = Copied to the clipboard
table-actions = Actions
form-has-errors = Some fields need your attention. The messages are under each field.
hint-password = At least 10 characters. A long phrase is easier to remember and harder to guess.
value-true = Yes
value-false = No
pagination-older = Older
pagination-newest = Newest

## Notices after an action
notice-saved = Changes saved.
notice-signed-out = You have signed out.
notice-password-changed = Your password has been changed.
notice-token-created = The API token has been created.
notice-token-revoked = The API token has been revoked. Programs using it can no longer sign in.
notice-user-created = The user has been created.
notice-team-created = The team is ready.

## Secrets shown once
secret-token-once = Copy this token now: it is shown only once and Rehber keeps only a fingerprint of it. Treat it like a password.
secret-password-once = Copy this password now and give it to the user in a safe way: it is shown only once. They can change it under Settings.

## Errors
error-csrf = This form has expired. Reload the page and try again.
error-title = Error
error-home = Go to the home page
error-back = Go back
error-request-id = Request id:
error-toast = The request could not be completed. Reload the page and try again.
error-not-found-title = Page not found
error-not-found-detail = This page or record does not exist, was deleted, or is not visible to you.
error-forbidden-title = Access denied
error-forbidden-detail = Your role does not allow this. Ask an administrator if you need access.
error-stale-title = The record was changed by someone else
error-stale-detail = While you were editing, someone else saved this record. Reload it, check their change, and apply yours again.
error-rate-limited-title = Too many attempts
error-rate-limited-detail = Wait a few minutes and try again.
error-invalid-state-title = This cannot be done now
error-invalid-state-detail = The record is not in a state that allows this action.
error-validation-title = Some values are not valid
error-validation-detail = Go back, correct the values below and try again.
error-internal-title = Something went wrong on our side
error-internal-detail = The error was logged. If it happens again, send the request id below to your administrator.

## First run
setup-title = Set up Rehber
setup-heading = Welcome to Rehber
setup-lead = Create the first administrator account. You can invite your team afterwards.
setup-submit = Create account and sign in

## Sign in
login-title = Sign in
login-heading = Sign in to Rehber
login-lead = Use your work e-mail address and password.
login-failed = The e-mail address or password is not correct.
login-rate-limited = Too many failed attempts. Try again in { $seconds } seconds.

## Home
home-title = Home
home-welcome = Welcome, { $name }
home-lead = Your customers at a glance.
home-counts = Your records
home-people = People you can see
home-companies = Companies you can see
home-quick = Quick links
home-new-person = New person
home-new-company = New company
home-api-token = Create an API token
home-recent = Recent changes
home-all-audit = Full audit log

## Settings
settings-title = Settings
settings-lead = Your language, password and API access.
settings-language = Language
settings-language-hint = Rehber shows pages, dates and numbers in this language.
settings-password = Password
settings-password-submit = Change password
settings-tokens = API tokens
settings-tokens-lead = Programs use a token to call the Rehber API in your name, with your permissions.
settings-tokens-empty = You have no API tokens yet.
settings-token-name = Token name
settings-token-name-hint = Say where it is used, for example "Accounting export".
settings-token-create = Create token
settings-token-created = New token "{ $name }"
settings-token-prefix = Starts with
settings-token-created-at = Created
settings-token-last-used = Last used
settings-token-never = Never
settings-token-status = Status
settings-token-active = Active
settings-token-revoked = Revoked
settings-token-revoke = Revoke
settings-token-revoke-confirm = Revoke the token "{ $name }"? Programs using it will stop working.

## Administration: users
admin-users-title = Users
admin-users-lead = Who can sign in, with which role and in which team.
admin-users-new = New user
admin-users-create = Create user
admin-users-status = Status
admin-users-active = Active
admin-users-inactive = Inactive
admin-users-since = Created
admin-users-created = { $name } can now sign in
admin-users-created-lead = Sign-in e-mail: { $email }
admin-no-team = No team
admin-new-team = Or a new team
admin-new-team-hint = Type a name to create a team and put the user in it.
admin-password-hint = Leave empty and Rehber generates a strong password to show you once.
admin-user-title = User
admin-user-edit = Profile and access
admin-user-self-hint = You cannot deactivate yourself or give up your administrator role.
admin-user-password = Password
admin-user-password-lead = Give the user a new generated password. Their open sessions end.
admin-user-password-button = Reset password
admin-user-password-confirm = Reset this user's password? They will have to use the new one.
admin-user-password-reset = New password

## Administration: teams
admin-teams-title = Teams
admin-teams-lead = Sales managers see their team's customers; sales reps see their own.
admin-teams-members = Members
admin-teams-new = New team
admin-teams-create = Create team
admin-teams-empty = No teams yet
admin-teams-empty-lead = Create a team, then put users in it from their page.

## Administration: audit log
admin-audit-title = Audit log
admin-audit-lead = Every change, who made it and when. Newest first.
audit-time = Time
audit-actor = User
audit-record = Record
audit-action = Action
audit-changes = Changes
audit-to = changed to
audit-anyone = Anyone
audit-any-type = Any record
audit-system = System
audit-empty = No entries match.
record-person = Person
record-company = Company
record-user = User
record-team = Team
record-api_token = API token
record-demo = Demo data
action-created = Created
action-updated = Updated
action-deleted = Deleted
action-restored = Restored
action-revoked = Revoked
action-password_reset = Password reset
action-generated = Generated
action-signed_in = Signed in
action-sign_in_failed = Sign-in failed
field-address = Address (IP)
field-failures = Failures in a row
field-delay_seconds = Next attempt delayed (seconds)

## Search across every kind of record
search-title = Search
search-lead = People and companies you can see, found as their lists find them.
search-label = Search people and companies
search-placeholder = Search people and companies…
search-action = Search
search-shortcut = Press / to search from any page
search-people = People
search-companies = Companies
search-none = Nothing found. Try fewer or shorter words: the start of a word is enough.
search-more = See every match in the list

## Activities on a record's page
activities-title = Timeline
activities-empty = Nothing of this kind yet: log a call, an e-mail or a visit above, or add a task.
activities-log = Log
activities-back = Back to the record
activity-kind = Kind
activity-status = Status
activity-when = When
activity-subject = Subject
activity-body = Details
activity-kind-call = Call
activity-kind-email = E-mail
activity-kind-sms = SMS
activity-kind-meeting = Meeting
activity-kind-visit = Visit
activity-kind-note = Note
activity-status-planned = Planned
activity-status-done = Done
activity-status-cancelled = Cancelled
activity-outcome-connected = Reached
activity-outcome-no_answer = No answer
activity-outcome-busy = Busy
activity-outcome-voicemail = Voicemail
activity-outcome-wrong_number = Wrong number
activity-outcome-held = Held
activity-outcome-no_show = Did not come
activity-outcome-rescheduled = Rescheduled
notice-activity-saved = The activity was logged.

## Tasks and "Bugün" (my day)
nav-today = Today
nav-tasks = Tasks
today-title = Today
today-days = Other days
today-previous = Previous day
today-next = Next day
today-back = Back to today
today-overdue = Overdue
today-all-overdue = All overdue tasks
today-tasks = Tasks for the day
today-no-tasks = Nothing is due this day. Add a task above.
today-activities = Planned activities
today-no-activities = No meetings, visits or calls planned for this day.
today-all-day = All day
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
task-new = New task
task-title = Task
task-title-placeholder = What needs doing?
task-due-date = Due date
task-due-time = Time (optional)
task-priority = Priority
task-priority-low = Low
task-priority-normal = Normal
task-priority-high = High
task-assignee = Assignee
task-add = Add task
task-no-due = No due date
task-overdue = Overdue
task-status-open = Open
task-status-done = Done
task-done = Done
task-done-named = Mark “{ $title }” done
task-snooze-day = +1 day
task-snooze-week = +1 week
task-snooze-day-named = Move “{ $title }” one day later
task-snooze-week-named = Move “{ $title }” one week later
tasks-title = Tasks
tasks-lead = Your tasks and your team's: filter, complete several at once, or hand them to a colleague.
tasks-filters = Filter tasks
tasks-who = Whose
tasks-who-mine = Mine
tasks-who-all = Everyone I can see
tasks-status = Status
tasks-status-all = Open and done
tasks-due = Due
tasks-due-any = Any time
tasks-due-overdue = Overdue
tasks-due-today = Today
tasks-due-week = Within 7 days
tasks-found = Tasks
tasks-empty = No tasks match these filters.
tasks-select = Select “{ $title }”
tasks-bulk-action = With the selected tasks
tasks-bulk-complete = Mark done
tasks-bulk-reassign = Assign to
tasks-bulk-apply = Apply
tasks-next = Next tasks
notice-task-saved = The task was added.
notice-task-done = The task is done.
notice-task-snoozed = The task was moved.
notice-tasks-changed = The selected tasks were changed.
notice-tasks-some-changed = Some of the selected tasks were changed; the others are not yours to change or their assignee cannot see their records.
timeline-all = All
timeline-activities = Activities
timeline-tasks = Tasks
timeline-changes = Changes
timeline-task = Task
timeline-task-due = Due
timeline-filter = Show in the timeline
timeline-older = Load older
settings-feed = Calendar feed
settings-feed-lead = Your planned meetings, visits and calls and your open tasks, in Google Calendar, Outlook or Apple Calendar: subscribe to the address (an .ics feed). Anyone with the address sees them: make a new one if it leaks.
settings-feed-none = You have no calendar feed yet.
settings-feed-active = Your calendar feed is active. Its address was shown once, when you made it; make a new one if you lost it.
settings-feed-once = Copy this address into your calendar app now: it is shown only once.
settings-feed-create = Make a feed address
settings-feed-replace = Make a new address
settings-feed-replace-confirm = The current address will stop working. Make a new one?
settings-feed-revoke = Turn the feed off
settings-feed-revoke-confirm = Turn the calendar feed off? Calendar apps stop receiving updates.
notice-feed-created = Your calendar feed address was made; any earlier one no longer works.
notice-feed-revoked = The calendar feed was turned off.
