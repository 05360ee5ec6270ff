-- The customer ledger (cari hesap): invoices and credit notes, payments (tahsilat) with
-- their allocations to invoices, and the append-only ledger entries they write.
--
-- An account is one customer in one currency: the company when the document names one,
-- else the person (`*_account_check`: exactly one of the two on payments and entries).
-- Invoices take their number when posted (`FTR` invoices, `IAD` credit notes), payments when
-- recorded (`THS`), all through `document_numbers`, so without gaps; a draft has none.
-- Cancelling a posted invoice writes a reversing entry, dated `cancelled_on`; an invoice
-- with allocations cannot be cancelled. Money columns are minor units of the document's currency; amounts on entries
-- are never negative (a debit or a credit). Dates are ISO text, times UTC microseconds.
-- Ledger entries refuse every UPDATE, DELETE and rewrite in the database itself, like the
-- audit log. Kept in step with the other backend's migration of the same version.

CREATE TABLE invoices (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL,
    number            TEXT,
    status            TEXT NOT NULL,
    company_id        BIGINT REFERENCES companies (id),
    person_id         BIGINT REFERENCES people (id),
    order_id          BIGINT REFERENCES orders (id),
    currency          TEXT NOT NULL,
    issue_date        TEXT NOT NULL,
    due_date          TEXT NOT NULL,
    subtotal_minor    BIGINT NOT NULL,
    discount_minor    BIGINT NOT NULL,
    net_minor         BIGINT NOT NULL,
    vat_minor         BIGINT NOT NULL,
    gross_minor       BIGINT NOT NULL,
    notes             TEXT NOT NULL DEFAULT '',
    e_invoice_number  TEXT NOT NULL DEFAULT '',
    ettn              TEXT NOT NULL DEFAULT '',
    posted_at         BIGINT,
    cancelled_on      TEXT,
    created_by        BIGINT REFERENCES users (id),
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    CONSTRAINT invoices_number_key UNIQUE (number),
    CONSTRAINT invoices_kind_check CHECK (kind IN ('invoice', 'credit_note')),
    CONSTRAINT invoices_status_check CHECK (status IN ('draft', 'posted', 'cancelled')),
    CONSTRAINT invoices_party_check CHECK (company_id IS NOT NULL OR person_id IS NOT NULL)
);
CREATE INDEX invoices_company_idx ON invoices (company_id, currency, status, due_date);
CREATE INDEX invoices_person_idx ON invoices (person_id, currency, status, due_date);
CREATE INDEX invoices_updated_idx ON invoices (updated_at, id);
CREATE INDEX invoices_order_idx ON invoices (order_id);

CREATE TABLE invoice_lines (
    invoice_id          BIGINT NOT NULL REFERENCES invoices (id),
    position            BIGINT NOT NULL,
    product_id          BIGINT REFERENCES products (id),
    description         TEXT NOT NULL,
    unit                TEXT NOT NULL,
    quantity_milli      BIGINT NOT NULL,
    unit_price_minor    BIGINT NOT NULL,
    discount_bp         BIGINT NOT NULL,
    vat_bp              BIGINT NOT NULL,
    vat_exemption_code  TEXT,
    subtotal_minor      BIGINT NOT NULL,
    discount_minor      BIGINT NOT NULL,
    net_minor           BIGINT NOT NULL,
    vat_minor           BIGINT NOT NULL,
    gross_minor         BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, position),
    CONSTRAINT invoice_lines_quantity_check CHECK (quantity_milli > 0),
    CONSTRAINT invoice_lines_vat_check CHECK (vat_bp IN (0, 100, 1000, 2000))
);

CREATE TABLE payments (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL,
    company_id    BIGINT REFERENCES companies (id),
    person_id     BIGINT REFERENCES people (id),
    currency      TEXT NOT NULL,
    amount_minor  BIGINT NOT NULL,
    method        TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    reference     TEXT NOT NULL DEFAULT '',
    due_date      TEXT,
    notes         TEXT NOT NULL DEFAULT '',
    collected_by  BIGINT REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    CONSTRAINT payments_number_key UNIQUE (number),
    CONSTRAINT payments_amount_check CHECK (amount_minor > 0),
    CONSTRAINT payments_method_check CHECK (method IN
        ('cash', 'transfer', 'card', 'cheque', 'promissory_note', 'offset')),
    CONSTRAINT payments_account_check CHECK ((company_id IS NULL) <> (person_id IS NULL))
);
CREATE INDEX payments_company_idx ON payments (company_id, currency, received_at);
CREATE INDEX payments_person_idx ON payments (person_id, currency, received_at);

CREATE TABLE payment_allocations (
    payment_id    BIGINT NOT NULL REFERENCES payments (id),
    invoice_id    BIGINT NOT NULL REFERENCES invoices (id),
    amount_minor  BIGINT NOT NULL,
    PRIMARY KEY (payment_id, invoice_id),
    CONSTRAINT payment_allocations_amount_check CHECK (amount_minor > 0)
);
CREATE INDEX payment_allocations_invoice_idx ON payment_allocations (invoice_id);

CREATE TABLE ledger_entries (
    id            INTEGER PRIMARY KEY,
    company_id    BIGINT REFERENCES companies (id),
    person_id     BIGINT REFERENCES people (id),
    currency      TEXT NOT NULL,
    entry_date    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    document      TEXT NOT NULL,
    description   TEXT NOT NULL,
    due_date      TEXT,
    debit_minor   BIGINT NOT NULL,
    credit_minor  BIGINT NOT NULL,
    invoice_id    BIGINT REFERENCES invoices (id),
    payment_id    BIGINT REFERENCES payments (id),
    reverses_id   BIGINT REFERENCES ledger_entries (id),
    created_by    BIGINT REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    CONSTRAINT ledger_entries_kind_check CHECK (kind IN
        ('invoice', 'credit_note', 'payment', 'reversal', 'opening', 'adjustment')),
    CONSTRAINT ledger_entries_amount_check CHECK (debit_minor >= 0 AND credit_minor >= 0),
    CONSTRAINT ledger_entries_account_check CHECK ((company_id IS NULL) <> (person_id IS NULL))
);
CREATE INDEX ledger_entries_company_idx ON ledger_entries (company_id, currency, entry_date, id);
CREATE INDEX ledger_entries_person_idx ON ledger_entries (person_id, currency, entry_date, id);

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER ledger_entries_no_overwrite BEFORE INSERT ON ledger_entries
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM ledger_entries WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
