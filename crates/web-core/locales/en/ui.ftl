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
nav-calendar = Calendar
calendar-title = Calendar
calendar-periods = Other periods
calendar-previous = Previous
calendar-next = Next
calendar-today = Today
calendar-filters = Calendar view
calendar-view = View
calendar-month = Month
calendar-week = Week
calendar-who = Whose
calendar-who-me = Mine
calendar-who-all = Everyone I can see
calendar-open-day = Open this day
calendar-add = Plan an activity on { $day }
calendar-truncated = More than a thousand entries fall in this period; some are not shown. Narrow it to a week or to one person.
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

# Comments and mentions
timeline-comment = Comment
timeline-comments = Comments
comment-body = Comment
comment-mention-hint = To mention a colleague, type @ and the start of their name; only people who can see this record are listed.
comment-mentioned = Mentioned
comment-mention-none = No user by that name can see this record.
comment-mention-choose = Choose whom to mention
comment-delete-confirm = Delete this comment?
notice-comment-deleted = Comment deleted.

# Notifications
nav-notifications = Notifications
notifications-title = Notifications
notifications-unread = unread notifications
notifications-unread-count = { $count } unread
notifications-all-read = You have read them all.
notifications-filter = Filter notifications
notifications-all = All
notifications-unread-only = Unread
notifications-read-all = Mark all as read
notifications-none = No notifications yet. When someone mentions you in a comment, hands you a task, or a reminder is due, it shows up here.
notifications-none-unread = No unread notifications.
notifications-new = New
notifications-mark-read = Mark as read
notifications-older = Older notifications
notice-notifications-read = All notifications marked as read.
notification-hidden-record = a record you can no longer see
notification-mention = { $actor } mentioned you on { $title }
notification-assignment = { $actor } gave you a task: { $title }
notification-reminder = Reminder: { $title }

# Passwords and invitations by e-mail
login-forgot = Forgot your password?
forgot-title = Password reset
forgot-heading = Forgot your password
forgot-lead = Enter your account's e-mail address and we will send you a link to choose a new password.
forgot-send = Send the link
forgot-sent = If an account uses { $email }, a password reset link will arrive there within a few minutes.
forgot-sent-lead = The link works once, for an hour. If no e-mail arrives, look in your spam folder or ask your administrator.
forgot-no-mail = This Rehber installation does not send e-mail. Ask your administrator to reset your password (Administration → Users).
forgot-back = Back to sign in
set-password-title = Set your password
set-password-invite-heading = Welcome to Rehber
set-password-reset-heading = Choose a new password
set-password-lead = { $name }, choose a password for your account:
set-password-new = New password
set-password-repeat = New password (again)
set-password-hint = At least 10 characters. A long sentence is easy to remember and hard to guess.
set-password-save = Save the password
set-password-dead-heading = This link no longer works
set-password-dead = The link was used or has expired. Ask for a new one, or ask your administrator to send a new invitation.
notice-password-set = Your password is saved. You can sign in now.
admin-invite = Send an invitation by e-mail
admin-invite-hint = The user gets a link, valid for 3 days, to choose their own password; nobody has to pass a password on.
notice-user-invited = User created; the invitation is on its way.

# E-mails
email-greeting = Hello { $name },
email-invite-subject = You are invited to Rehber
email-invite-lead = An account was opened for you in Rehber ({ $email }). Open this link to choose your password:
email-invite-valid = The link works once, for 3 days.
email-reset-subject = Rehber password reset
email-reset-lead = A new password was asked for the account { $email }. Open this link to choose it:
email-reset-valid = The link works once, for an hour. If you did not ask for it, ignore this e-mail; your password stays as it is.
email-open-in-rehber = To open it in Rehber:
email-notification-footer = You get this e-mail because the notification was still unread in Rehber. Notifications you have read are never e-mailed.

settings-notifications = Notifications
settings-notifications-lead = When someone mentions you in a comment, hands you a task, or a task's reminder is due, the bell in the sidebar counts it and the Notifications page lists it.
settings-notifications-email = A notification still unread after { $minutes } minutes is e-mailed to you once. Notifications you read within that time are never e-mailed.
settings-notifications-no-email = This installation does not send e-mail: notifications show in Rehber only.

# Attachments
attachments-title = Files
attachments-drop = Drop a file here or choose one
attachments-limit = Up to { $limit }. Pictures and PDFs can be previewed.
attachments-upload = Upload
attachments-empty = No files yet.
attachments-preview = Preview
attachments-delete-confirm = Delete this file?
notice-file-attached = File attached.
notice-file-refused = The file was not attached: it may be empty, too large or a program.
notice-file-deleted = File deleted.
invalid-file-empty = The file is empty.
invalid-file-upload = The upload broke off; try again.
invalid-file-executable = Programs (exe, elf and the like) cannot be attached.
invalid-file-missing = Choose a file.
problem-file-too-large-detail = A file may be at most { $limit }; nothing was kept.
error-file-too-large = The file is too large

# Planning from the calendar
calendar-plan-title = Plan an activity
calendar-plan-lead = Plan a meeting, a visit or a call: it shows in the calendar, on "Bugün" and on the record's timeline.
calendar-plan-record = Person or company
calendar-plan-record-hint = Start typing a name; only records you can see are listed.
calendar-plan-record-required = Choose the person or company the activity is about.
calendar-plan-location = Place
calendar-plan-save = Plan it
calendar-pick-person = Person
calendar-pick-company = Company
notice-activity-planned = Activity planned.

# Administration → Pipelines
nav-pipelines = Pipelines
pipelines-admin-title = Sales pipelines
pipelines-admin-lead = The stages deals move through. Every pipeline has open stages, a won and a lost stage; the probability weighs the forecast.
pipelines-new = New pipeline
pipelines-delete = Delete pipeline
pipelines-delete-confirm = Delete this pipeline and its stages?
pipelines-name = Name
pipelines-currency = Currency
pipelines-currency-hint = An ISO code such as TRY, EUR or USD; totals of the board are shown in it.
pipelines-stages = Stages
pipelines-stages-hint = In the order deals move through them. Leave the probability empty to spread open stages evenly; a deal untouched for the days given is shown as rotting. Fill an empty row to add a stage, tick a row to remove it.
pipelines-stage-order = Order
pipelines-stage-name = Stage
pipelines-stage-kind = Kind
pipelines-stage-probability = Probability (%)
pipelines-stage-rotting = Rotting after (days)
pipelines-stage-remove = Remove
pipelines-default-open = New
pipelines-default-won = Won
pipelines-default-lost = Lost
stage-kind-open = Open
stage-kind-won = Won
stage-kind-lost = Lost
notice-pipeline-created = The pipeline was created.
notice-pipeline-deleted = The pipeline was deleted.
