-- Running totals kept by the database itself, so that aging and balances as of today read
-- one row per invoice or account instead of grouping every allocation and entry:
--   * `invoices.paid_minor`: what payments have allocated to the invoice so far;
--   * `ledger_balances`: each account's balance (one customer in one currency) over all its
--     entries. A balance at an earlier date is this less the entries after that date.
-- Triggers keep both in step with every row written, whoever writes it (the services, a
-- bulk load, an import). Kept in step with the other backend's migration of the same version.

ALTER TABLE invoices ADD COLUMN paid_minor BIGINT NOT NULL DEFAULT 0;
UPDATE invoices SET paid_minor = COALESCE((SELECT SUM(amount_minor) FROM payment_allocations
    WHERE payment_allocations.invoice_id = invoices.id), 0);

CREATE TRIGGER payment_allocations_paid_insert AFTER INSERT ON payment_allocations
BEGIN
    UPDATE invoices SET paid_minor = paid_minor + NEW.amount_minor WHERE id = NEW.invoice_id;
END;
CREATE TRIGGER payment_allocations_paid_delete AFTER DELETE ON payment_allocations
BEGIN
    UPDATE invoices SET paid_minor = paid_minor - OLD.amount_minor WHERE id = OLD.invoice_id;
END;
CREATE TRIGGER payment_allocations_paid_update AFTER UPDATE OF invoice_id, amount_minor ON payment_allocations
BEGIN
    UPDATE invoices SET paid_minor = paid_minor - OLD.amount_minor WHERE id = OLD.invoice_id;
    UPDATE invoices SET paid_minor = paid_minor + NEW.amount_minor WHERE id = NEW.invoice_id;
END;

CREATE TABLE ledger_balances (
    company_id     BIGINT REFERENCES companies (id),
    person_id      BIGINT REFERENCES people (id),
    currency       TEXT NOT NULL,
    balance_minor  BIGINT NOT NULL,
    CONSTRAINT ledger_balances_account_check CHECK ((company_id IS NULL) <> (person_id IS NULL))
);
CREATE UNIQUE INDEX ledger_balances_account_idx
    ON ledger_balances (COALESCE(company_id, 0), COALESCE(person_id, 0), currency);
CREATE INDEX ledger_balances_company_idx ON ledger_balances (company_id);
CREATE INDEX ledger_balances_person_idx ON ledger_balances (person_id);

INSERT INTO ledger_balances (company_id, person_id, currency, balance_minor)
SELECT company_id, person_id, currency, SUM(debit_minor - credit_minor)
FROM ledger_entries GROUP BY company_id, person_id, currency;

-- Writers to SQLite are serialised, so "insert when missing, then add" cannot race.
CREATE TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries
BEGIN
    INSERT INTO ledger_balances (company_id, person_id, currency, balance_minor)
    SELECT NEW.company_id, NEW.person_id, NEW.currency, 0
    WHERE NOT EXISTS (SELECT 1 FROM ledger_balances
        WHERE COALESCE(company_id, 0) = COALESCE(NEW.company_id, 0)
          AND COALESCE(person_id, 0) = COALESCE(NEW.person_id, 0)
          AND currency = NEW.currency);
    UPDATE ledger_balances SET balance_minor = balance_minor + NEW.debit_minor - NEW.credit_minor
    WHERE COALESCE(company_id, 0) = COALESCE(NEW.company_id, 0)
      AND COALESCE(person_id, 0) = COALESCE(NEW.person_id, 0)
      AND currency = NEW.currency;
END;

-- Aging reads the open invoices grouped by account from this index alone (the report's
-- WHERE repeats the predicate word for word, so that both planners see it applies).
CREATE INDEX invoices_open_idx
    ON invoices (company_id, person_id, currency, due_date, gross_minor, paid_minor, issue_date, cancelled_on)
    WHERE kind = 'invoice' AND posted_at IS NOT NULL AND gross_minor <> paid_minor;
-- Aging at an earlier date adds back what was paid after it and takes off what was entered
-- after it: both read by date.
CREATE INDEX payments_received_idx ON payments (received_at);
CREATE INDEX ledger_entries_date_idx ON ledger_entries (entry_date);
