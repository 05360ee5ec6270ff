-- What each customer owes, kept on the customer's row so that lists sort and filter by it:
-- the balance of their TRY account (positive: they owe) and the part of it overdue (posted
-- invoices past their due date, less what is allocated to them). Ledger writes keep both
-- current; the nightly job moves `overdue_minor` on as due dates pass. Other currencies'
-- accounts are shown on the customer's page, never summed into these. Kept in step with the
-- other backend's migration of the same version.

ALTER TABLE companies ADD COLUMN balance_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN overdue_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN balance_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN overdue_minor BIGINT NOT NULL DEFAULT 0;

UPDATE companies SET balance_minor = COALESCE((SELECT SUM(debit_minor - credit_minor) FROM ledger_entries
    WHERE ledger_entries.company_id = companies.id AND ledger_entries.currency = 'TRY'), 0);
UPDATE people SET balance_minor = COALESCE((SELECT SUM(debit_minor - credit_minor) FROM ledger_entries
    WHERE ledger_entries.company_id IS NULL AND ledger_entries.person_id = people.id AND ledger_entries.currency = 'TRY'), 0);
-- Overdue as of the migration's (UTC) day; the nightly job keeps it in step afterwards.
UPDATE companies SET overdue_minor = COALESCE((SELECT SUM(invoices.gross_minor - COALESCE((SELECT SUM(payment_allocations.amount_minor)
    FROM payment_allocations WHERE payment_allocations.invoice_id = invoices.id), 0)) FROM invoices
    WHERE invoices.company_id = companies.id AND invoices.status = 'posted' AND invoices.kind = 'invoice'
    AND invoices.currency = 'TRY' AND invoices.due_date < date('now')), 0);
UPDATE people SET overdue_minor = COALESCE((SELECT SUM(invoices.gross_minor - COALESCE((SELECT SUM(payment_allocations.amount_minor)
    FROM payment_allocations WHERE payment_allocations.invoice_id = invoices.id), 0)) FROM invoices
    WHERE invoices.company_id IS NULL AND invoices.person_id = people.id AND invoices.status = 'posted' AND invoices.kind = 'invoice'
    AND invoices.currency = 'TRY' AND invoices.due_date < date('now')), 0);

-- The lists sort by them, and filter on what is owed or overdue.
CREATE INDEX companies_balance_idx ON companies (balance_minor, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_overdue_idx ON companies (overdue_minor, id) WHERE deleted_at IS NULL;
CREATE INDEX people_balance_idx ON people (balance_minor, id) WHERE deleted_at IS NULL;
CREATE INDEX people_overdue_idx ON people (overdue_minor, id) WHERE deleted_at IS NULL;
-- The nightly refresh reads the open invoices by their due date.
CREATE INDEX invoices_due_idx ON invoices (due_date) WHERE status = 'posted';
