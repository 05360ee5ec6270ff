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

-- Statement-level on insert (the rows inserted together, summed per invoice), so that a bulk
-- load updates each invoice once; row-level for the rare correction.
CREATE FUNCTION rehber_invoice_paid_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE invoices SET paid_minor = invoices.paid_minor + added.amount_minor
    FROM (SELECT invoice_id, SUM(amount_minor) AS amount_minor FROM new_allocations GROUP BY invoice_id) AS added
    WHERE invoices.id = added.invoice_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER payment_allocations_paid_insert AFTER INSERT ON payment_allocations
REFERENCING NEW TABLE AS new_allocations
FOR EACH STATEMENT EXECUTE FUNCTION rehber_invoice_paid_insert();
CREATE FUNCTION rehber_invoice_paid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE invoices SET paid_minor = paid_minor - OLD.amount_minor WHERE id = OLD.invoice_id;
    IF TG_OP = 'UPDATE' THEN
        UPDATE invoices SET paid_minor = paid_minor + NEW.amount_minor WHERE id = NEW.invoice_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER payment_allocations_paid_change AFTER UPDATE OR DELETE ON payment_allocations
FOR EACH ROW EXECUTE FUNCTION rehber_invoice_paid_change();

CREATE TABLE ledger_balances (
    company_id     BIGINT REFERENCES companies (id),
    person_id      BIGINT REFERENCES people (id),
    currency       TEXT NOT NULL,
    balance_minor  BIGINT NOT NULL,
    CONSTRAINT ledger_balances_account_check CHECK ((company_id IS NULL) <> (person_id IS NULL))
);
CREATE UNIQUE INDEX ledger_balances_account_idx
    ON ledger_balances ((COALESCE(company_id, 0)), (COALESCE(person_id, 0)), currency);
CREATE INDEX ledger_balances_company_idx ON ledger_balances (company_id);
CREATE INDEX ledger_balances_person_idx ON ledger_balances (person_id);

INSERT INTO ledger_balances (company_id, person_id, currency, balance_minor)
SELECT company_id, person_id, currency, SUM(debit_minor - credit_minor)
FROM ledger_entries GROUP BY company_id, person_id, currency;

-- Once per statement, with the statement's entries summed per account: a bulk load of many
-- entries on one account updates its row once, not once per entry. The upsert locks the
-- account's row, so two transactions writing entries at once both count.
CREATE FUNCTION rehber_ledger_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_balances (company_id, person_id, currency, balance_minor)
    SELECT company_id, person_id, currency, SUM(debit_minor - credit_minor)
    FROM new_entries GROUP BY company_id, person_id, currency
    ON CONFLICT ((COALESCE(company_id, 0)), (COALESCE(person_id, 0)), currency)
    DO UPDATE SET balance_minor = ledger_balances.balance_minor + EXCLUDED.balance_minor;
    RETURN NULL;
END;
$$;
CREATE TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries
REFERENCING NEW TABLE AS new_entries
FOR EACH STATEMENT EXECUTE FUNCTION rehber_ledger_balance();

-- Aging reads the open invoices grouped by account from this index alone (the report's
-- WHERE repeats the predicate word for word, so that both planners see it applies).
CREATE INDEX invoices_open_idx
    ON invoices (company_id, person_id, currency, due_date, gross_minor, paid_minor, issue_date, cancelled_on)
    WHERE kind = 'invoice' AND posted_at IS NOT NULL AND gross_minor <> paid_minor;
-- Aging at an earlier date adds back what was paid after it and takes off what was entered
-- after it: both read by date.
CREATE INDEX payments_received_idx ON payments (received_at);
CREATE INDEX ledger_entries_date_idx ON ledger_entries (entry_date);
