# People, companies and trash pages (lists, record pages, forms, bulk actions, history).
# Field names (field-*), choices (lifecycle-*, lead-status-*, lead-source-*, size-*) and
# validation messages (invalid-*) are shared in main.ftl.

## People
people-title = People
people-count = { $count } people
people-count-one = { $count } person
people-new = New person
people-new-title = New person
people-edit-title = Edit person
people-create = Create person
people-empty = No people yet
people-empty-lead = Add the people you sell to and work with: their e-mails, phones and where they stand.
people-none-match = No people match
people-delete-confirm = Delete { $name }? An administrator can restore them from the trash.
people-section-business = Personal details
people-no-company = Not linked to a company.
people-company-hidden = This company belongs to someone else's portfolio.
people-company-in-trash = in the trash
people-company-deleted = This company was deleted and is in the trash; an administrator can restore it.

## Companies
companies-title = Companies
companies-count = { $count } companies
companies-count-one = { $count } company
companies-new = New company
companies-new-title = New company
companies-edit-title = Edit company
companies-create = Create company
companies-empty = No companies yet
companies-empty-lead = Add the companies you sell to, with their tax details and the people who work there.
companies-none-match = No companies match
companies-delete-confirm = Delete { $name }? An administrator can restore it from the trash.
companies-section-business = Business details
companies-people = People
companies-no-people = No people you can see work here yet.
companies-add-person = Add person
companies-all-people = Show all people of this company

## Lists
records-search = Search
records-search-placeholder = Search by name, e-mail, phone or city…
records-searching = Searching…
records-filters = Filters
records-anyone = Anyone
records-any-team = Any team
records-any-stage = Any stage
records-combine = Records matching
records-combine-all = all filters
records-combine-any = any filter
records-sort = Order
records-rule = Filter rule
records-rule-active = A filter rule from the address narrows this list too.
records-rule-remove = Remove the rule
records-any-company = Any company
records-created = Created
records-updated = Updated
records-created-from = Created from
records-created-to = Created until
records-stage = Stage
records-phone = Phone
records-tax-number-short = VKN
records-filter-problems = Some filters could not be read and were left out:
records-none-match-lead = Try another search or clear the filters.
records-pages = Pages
records-first-page = First page
records-next-page = Next page
records-previous-page = Previous page
records-page-of = Page { $page } of { $pages }
records-columns = Columns
records-columns-lead = Columns shown in this list (remembered in this browser)

## Bulk actions
bulk-title = Bulk actions
bulk-lead = With the selected rows:
bulk-select = Select { $name }
bulk-select-all = Select all rows on this page
bulk-tag-label = Tag to add
bulk-tag-placeholder = Tag
bulk-tag = Add tag
bulk-owner-label = New owner
bulk-owner-placeholder = Choose an owner…
bulk-assign = Assign owner
bulk-delete = Delete selected
bulk-delete-confirm = Delete the selected records? An administrator can restore them from the trash.
bulk-page-selected = All rows on this page are selected.
bulk-select-matching = Select all { $count } matching records
bulk-matching-selected = All { $count } records matching the filters are selected.
bulk-too-many-to-select = More records match than one action may change (1,000); narrow the filters to act on all of them.
notice-bulk-too-many = More than 1,000 records match: narrow the filters and try again.
bulk-result-assign = Owner assigned: { $changed } updated, { $skipped } skipped.
bulk-result-assign-away = { $changed } records assigned to their new owner, who is outside your team: they have left your view. { $skipped } skipped.
notice-moved-out-of-view = Saved. The record now belongs to someone outside your team, so it has left your view.
bulk-result-tag = Tag added: { $changed } updated, { $skipped } skipped.
bulk-result-delete = { $changed } deleted, { $skipped } skipped.

## Record pages
records-edit = Edit
records-edit-all = Edit all
records-delete = Delete
records-primary = primary
records-bant = BANT qualification
records-bant-score = { $score } of 4 confirmed
records-no-tags = No tags.
records-no-notes = No notes.
records-no-company = No company
records-no-team = No team
records-none = Not set
records-company-search = Search companies…
records-section-profile = Profile
records-section-contact = Contact
records-section-address = Address
records-section-qualification = Qualification
records-section-tags = Tags
records-section-notes = Notes
records-section-ownership = Owner and team

## Forms
records-list-hint = Empty boxes are ignored; the first address and number are the primary ones.
records-add-email = Add e-mail
records-add-phone = Add phone
records-remove = Remove
records-confirm-discard = Discard what you typed?
records-company-none-found = No company found
records-tags-hint = Separate tags with commas, for example: vip, istanbul, fair 2026.
records-tckn-hint = 11 digits, checked with its check digits.
records-vkn-hint = 10 digits, checked with its check digit.
records-company-tckn-hint = For sole proprietorships taxed under the owner's national ID.
records-amount-hint = For example 1.250.000,50 or 1,250,000.50.
records-team-hint = Leave the team as it is and it follows the new owner.
records-stale = Someone else changed this record while you were editing
records-stale-detail = Nothing was saved, so their change is not lost. Your values are still in the form: copy what you need, load the current version and apply your change again.
records-stale-reload = Load the current version
records-live-changed = This record changed since you started editing. Saving will not overwrite that change, and what you typed stays in the form.
records-live-deleted = Someone else deleted this record.

## History
history-title = History
history-empty = No changes recorded yet.
history-system = System
history-fields = { $count } fields

## Trash
trash-title = Trash
trash-lead = Deleted people and companies. Restoring brings a record back with its history.
trash-people = Deleted people
trash-companies = Deleted companies
trash-people-empty = No deleted people.
trash-companies-empty = No deleted companies.
trash-deleted-at = Deleted
trash-restore = Restore

## Notices after an action
notice-person-created = The person has been created.
notice-person-deleted = The person has been deleted. An administrator can restore them from the trash.
notice-company-created = The company has been created.
notice-company-deleted = The company has been deleted. An administrator can restore it from the trash.
notice-record-restored = The record has been restored.
notice-bulk-none-selected = Select at least one row first.
notice-bulk-tag-required = Type the tag to add.
notice-bulk-owner-required = Choose the new owner.
notice-bulk-unknown = Choose an action.
notice-bulk-forbidden = Your role does not allow this action.

# Saved views
views-title = Views
views-none = No saved views yet. Set the filters, sort and columns, then save them here.
views-shared = Shared
views-delete = Delete
views-delete-confirm = Delete this view? The records stay as they are.
views-save-label = Save this list as a view
views-name-placeholder = e.g. Customers in İzmir
views-share = Share with everyone (each sees only the records they may see)
views-save-lead = Filters, sort and columns are saved; a view with the same name is replaced.
views-save = Save view
notice-view-saved = The view is saved.
notice-view-deleted = The view is deleted.
notice-view-not-found = This view does not exist (any more), or it is someone else's.
notice-view-name-required = Give the view a name.
notice-view-name-invalid = Use a name of at most 80 characters on one line.
notice-view-too-many = You already keep 50 views of this list; delete one first.
notice-view-unreadable = The view could not be saved from this page; reload it and try again.
