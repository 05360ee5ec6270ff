-- Quotes (teklif), the orders accepted quotes become, their shipments and returns.
--
-- `document_numbers` holds the last number given per series (`TKF` quotes, `SIP` orders)
-- and year. A number is taken by bumping that row inside the transaction that writes the
-- document, so a failed write gives its number back and two writers queue on the row:
-- numbers have no gaps. A revision keeps its quote's number (`revision` 2, 3, …;
-- `root_id` is the first revision). Only a draft is changed; every money column is minor
-- units of the document's currency, computed by the money rule and stored as shown.
-- Quantities are thousandths, discounts and KDV rates basis points. An order is made once
-- per quote (`orders_quote_id_key`). Dates are ISO text, times UTC microseconds. Kept in
-- step with the other backend's migration of the same version.

CREATE TABLE document_numbers (
    series       TEXT NOT NULL,
    year         BIGINT NOT NULL,
    last_number  BIGINT NOT NULL,
    PRIMARY KEY (series, year)
);

CREATE TABLE quotes (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL,
    revision           BIGINT NOT NULL,
    root_id            BIGINT REFERENCES quotes (id),
    status             TEXT NOT NULL,
    company_id         BIGINT REFERENCES companies (id),
    person_id          BIGINT REFERENCES people (id),
    deal_id            BIGINT REFERENCES deals (id),
    currency           TEXT NOT NULL,
    issue_date         TEXT NOT NULL,
    valid_until        TEXT NOT NULL,
    subtotal_minor     BIGINT NOT NULL,
    discount_minor     BIGINT NOT NULL,
    net_minor          BIGINT NOT NULL,
    vat_minor          BIGINT NOT NULL,
    gross_minor        BIGINT NOT NULL,
    terms              TEXT NOT NULL,
    notes              TEXT NOT NULL,
    sent_at            BIGINT,
    sent_to            TEXT,
    send_error         TEXT,
    decided_at         BIGINT,
    reject_reason      TEXT NOT NULL DEFAULT '',
    pdf_attachment_id  BIGINT REFERENCES attachments (id),
    owner_id           BIGINT REFERENCES users (id),
    team_id            BIGINT REFERENCES teams (id),
    created_by         BIGINT REFERENCES users (id),
    version            BIGINT NOT NULL DEFAULT 1,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    CONSTRAINT quotes_number_revision_key UNIQUE (number, revision),
    CONSTRAINT quotes_status_check CHECK (status IN
        ('draft', 'sent', 'accepted', 'rejected', 'expired', 'superseded', 'cancelled'))
);
CREATE INDEX quotes_updated_idx ON quotes (updated_at, id);
CREATE INDEX quotes_owner_idx ON quotes (owner_id, updated_at, id);
CREATE INDEX quotes_team_idx ON quotes (team_id, updated_at, id);
CREATE INDEX quotes_company_idx ON quotes (company_id);
CREATE INDEX quotes_person_idx ON quotes (person_id);
CREATE INDEX quotes_deal_idx ON quotes (deal_id);
CREATE INDEX quotes_root_idx ON quotes (root_id);
-- The nightly expiry looks at open quotes only.
CREATE INDEX quotes_open_idx ON quotes (valid_until) WHERE status IN ('draft', 'sent');

CREATE TABLE quote_lines (
    quote_id            BIGINT NOT NULL REFERENCES quotes (id),
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
    PRIMARY KEY (quote_id, position),
    CONSTRAINT quote_lines_quantity_check CHECK (quantity_milli > 0),
    CONSTRAINT quote_lines_vat_check CHECK (vat_bp IN (0, 100, 1000, 2000))
);

CREATE TABLE orders (
    id                INTEGER PRIMARY KEY,
    number            TEXT NOT NULL,
    quote_id          BIGINT NOT NULL REFERENCES quotes (id),
    status            TEXT NOT NULL,
    company_id        BIGINT REFERENCES companies (id),
    person_id         BIGINT REFERENCES people (id),
    deal_id           BIGINT REFERENCES deals (id),
    currency          TEXT NOT NULL,
    net_minor         BIGINT NOT NULL,
    vat_minor         BIGINT NOT NULL,
    gross_minor       BIGINT NOT NULL,
    delivery_address  TEXT NOT NULL DEFAULT '',
    requested_date    TEXT,
    notes             TEXT NOT NULL DEFAULT '',
    owner_id          BIGINT REFERENCES users (id),
    team_id           BIGINT REFERENCES teams (id),
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    CONSTRAINT orders_number_key UNIQUE (number),
    CONSTRAINT orders_quote_id_key UNIQUE (quote_id),
    CONSTRAINT orders_status_check CHECK (status IN ('confirmed', 'preparing',
        'partially_shipped', 'shipped', 'delivered', 'closed', 'cancelled'))
);
CREATE INDEX orders_updated_idx ON orders (updated_at, id);
CREATE INDEX orders_owner_idx ON orders (owner_id, updated_at, id);
CREATE INDEX orders_team_idx ON orders (team_id, updated_at, id);
CREATE INDEX orders_company_idx ON orders (company_id);
CREATE INDEX orders_person_idx ON orders (person_id);

CREATE TABLE order_lines (
    order_id            BIGINT NOT NULL REFERENCES orders (id),
    position            BIGINT NOT NULL,
    product_id          BIGINT REFERENCES products (id),
    description         TEXT NOT NULL,
    unit                TEXT NOT NULL,
    quantity_milli      BIGINT NOT NULL,
    unit_price_minor    BIGINT NOT NULL,
    discount_bp         BIGINT NOT NULL,
    vat_bp              BIGINT NOT NULL,
    net_minor           BIGINT NOT NULL,
    vat_minor           BIGINT NOT NULL,
    gross_minor         BIGINT NOT NULL,
    PRIMARY KEY (order_id, position)
);

CREATE TABLE shipments (
    id           INTEGER PRIMARY KEY,
    order_id     BIGINT NOT NULL REFERENCES orders (id),
    shipped_on   TEXT NOT NULL,
    carrier      TEXT NOT NULL DEFAULT '',
    tracking_no  TEXT NOT NULL DEFAULT '',
    created_by   BIGINT REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX shipments_order_idx ON shipments (order_id, id);

CREATE TABLE shipment_lines (
    shipment_id     BIGINT NOT NULL REFERENCES shipments (id),
    position        BIGINT NOT NULL,
    quantity_milli  BIGINT NOT NULL,
    PRIMARY KEY (shipment_id, position),
    CONSTRAINT shipment_lines_quantity_check CHECK (quantity_milli > 0)
);

CREATE TABLE order_returns (
    id          INTEGER PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders (id),
    status      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT order_returns_status_check CHECK (status IN
        ('requested', 'approved', 'received', 'credited', 'rejected'))
);
CREATE INDEX order_returns_order_idx ON order_returns (order_id, id);

CREATE TABLE order_return_lines (
    return_id       BIGINT NOT NULL REFERENCES order_returns (id),
    position        BIGINT NOT NULL,
    quantity_milli  BIGINT NOT NULL,
    PRIMARY KEY (return_id, position),
    CONSTRAINT order_return_lines_quantity_check CHECK (quantity_milli > 0)
);
