# Shared messages: validation errors, problem titles, choice lists, field and role names.
# The user interface's own texts live in ui.ftl.

invalid-required = This field is required.
invalid-too-long = This is too long.
invalid-email = Enter a valid e-mail address, like name@example.com.
invalid-phone = Enter a valid phone number, like 0532 123 45 67 or +44 20 7946 0958.
invalid-vkn-format = A tax number (VKN) has exactly 10 digits.
invalid-vkn-checksum = This tax number (VKN) is not valid: its check digit does not match.
invalid-tckn-format = A national ID (TCKN) has 11 digits and does not start with 0.
invalid-tckn-checksum = This national ID (TCKN) is not valid: its check digits do not match.
invalid-date = Enter a date as YYYY-MM-DD, not in the future.
invalid-url = Enter a web address, like example.com.
invalid-amount = Enter an amount, like 1250000 or 1,250,000.50.
invalid-unknown-value = Choose one of the offered values.
invalid-number = Enter a number.
invalid-company = Choose a company you can see.
invalid-password-short = Use at least 10 characters.
invalid-password-wrong = The current password is not correct.
invalid-taken = This value is already used by another record.
invalid-json = The request body is not valid JSON for this endpoint.

problem-validation = Some fields are not valid
problem-not-found = Not found
problem-stale = The record was changed by someone else
problem-stale-detail = Reload the record, check the other change, and apply yours again.
problem-taken = Already in use
problem-forbidden = You are not allowed to do this
problem-unauthenticated = Sign in required
problem-unauthenticated-detail = Send a valid API token as "Authorization: Bearer <token>".
problem-rate-limited = Too many attempts
problem-rate-limited-detail = Wait a few minutes and try again.
problem-invalid-state = This cannot be done now
problem-bad-request = The request could not be read
problem-internal = Something went wrong on our side
problem-internal-detail = The error was logged with request id { $request_id }.

lifecycle-subscriber = Subscriber
lifecycle-lead = Lead
lifecycle-qualified = Qualified
lifecycle-opportunity = Opportunity
lifecycle-customer = Customer
lifecycle-churned = Churned

lead-status-new = New
lead-status-attempted = Attempted to contact
lead-status-connected = Connected
lead-status-in_progress = In progress
lead-status-unqualified = Unqualified
lead-status-bad_timing = Bad timing

lead-source-website = Website
lead-source-referral = Referral
lead-source-event = Event
lead-source-advertising = Advertising
lead-source-cold_call = Cold call
lead-source-social_media = Social media
lead-source-partner = Partner
lead-source-email = E-mail
lead-source-other = Other

size-1-9 = 1–9 employees
size-10-49 = 10–49 employees
size-50-249 = 50–249 employees
size-250-999 = 250–999 employees
size-1000plus = 1000+ employees

role-administrator = Administrator
role-sales_manager = Sales manager
role-sales_rep = Sales rep
role-support_agent = Support agent
role-marketer = Marketer
role-read_only = Read-only

field-name = Name
field-first_name = First name
field-last_name = Last name
field-emails = E-mail addresses
field-phones = Phone numbers
field-website = Website
field-street = Street address
field-district = District
field-city = City
field-postal_code = Postal code
field-country = Country
field-tags = Tags
field-lifecycle_stage = Lifecycle stage
field-lead_status = Lead status
field-lead_source = Lead source
field-bant_budget = Budget confirmed
field-bant_authority = Authority confirmed
field-bant_need = Need confirmed
field-bant_timing = Timing confirmed
field-industry = Industry
field-size = Company size
field-annual_revenue = Annual revenue
field-currency = Currency
field-tax_office = Tax office
field-tax_number = Tax number (VKN)
field-national_id = National ID (TCKN)
field-trade_registry_number = Trade registry number
field-e_invoice = e-Invoice taxpayer
field-notes = Notes
field-company_id = Company
field-job_title = Job title
field-birthday = Birthday
field-owner = Owner
field-owner_id = Owner
field-team = Team
field-team_id = Team
field-email = E-mail
field-password = Password
field-role = Role
field-active = Active
field-locale = Language
field-current_password = Current password
field-new_password = New password
field-tag = Tag

# Added by the UI frame: password confirmation, state refusals shown on forms.
invalid-password-mismatch = The two passwords do not match.
invalid-state-self-demotion = You cannot deactivate yourself or remove your own administrator role.
field-password_confirm = Repeat the password
field-new_password_confirm = Repeat the new password
field-team_name = Team name
