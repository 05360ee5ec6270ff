# Duplicates: a person or company repeating one already kept.
problem-duplicate = This record is already kept
problem-duplicate-detail = It repeats { $name } (#{ $id }). Give allow_duplicate=true to save it anyway.
problem-duplicate-hidden = It repeats a record you cannot see (#{ $id }). Give allow_duplicate=true to save it anyway.
invalid-duplicate-record = Another record already has this.
duplicate-notice = This may already be kept:
duplicate-hidden = a record you cannot open (ask its owner or an administrator)
duplicate-notice-detail = Open it to add what is new there, or tick "Save anyway" to keep both.
duplicate-save-anyway = Save anyway
invalid-merge-self = A record cannot be merged into itself.
invalid-merge-unknown = There is no such record you can see to merge.
invalid-merge-vkn = These companies have different tax numbers: they are different legal entities and cannot be merged.
invalid-merge-tckn = These have different national ID numbers: they are different persons and cannot be merged.
invalid-merge-ledger = This record has invoices, payments or ledger entries; merge the other way round, into it.
action-merged = Merged
action-merged_into = Merged into another record
field-merged_from = Merged from
field-merged_into = Merged into
duplicates-title = Possible duplicates
duplicates-lead = Records you can see that share an e-mail address, phone, national ID or tax number, or have similar names (a person's at the same company or in the same city, a company's without "Ltd. Şti." or "A.Ş."). The one you keep takes what it lacks from the other and all its activities, tasks, comments, files, deals and consents; the other goes to the trash.
duplicates-empty = No possible duplicates.
duplicates-shared = Shared
duplicates-keep = Keep this one and merge the other into it
notice-merged = The records are merged.
duplicates-similar-name = Similar name
duplicates-compare = Compare and merge
merge-title = Merge two records
merge-lead = The record on the left stays. Where both hold a different value, pick the one to keep; an empty value is filled from the other record.
merge-swap = Keep the other one instead
merge-field = Field
merge-kept = Kept
merge-other = Merged into it
merge-address = Address
merge-list-hint = Both lists are kept; the one picked comes first.
merge-moves = Every activity, task, comment, file, deal, quote, order and consent of the record on the right moves to the one on the left, and the record on the right goes to the trash, pointing at it.
merge-submit = Merge
invalid-merge-field = This is not a field that can be taken from the other record.
