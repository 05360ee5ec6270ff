-- Products that quotes, orders and invoices sell: a stock code (SKU) unique ignoring case
-- (`sku_key`, the folded SKU), a unit by its UN/ECE code, the KDV rate in basis points with
-- its exemption code when 0 %, and a list price net of KDV in minor units of its currency.
-- An inactive product stays on old documents and is not offered for new lines. Documents
-- copy what they need from a product, so changing it never changes an old quote. Times are
-- UTC microseconds. Kept in step with the other backend's migration of the same version.

CREATE TABLE products (
    id                  INTEGER PRIMARY KEY,
    sku                 TEXT NOT NULL,
    sku_key             TEXT NOT NULL,
    name                TEXT NOT NULL,
    name_key            TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    unit                TEXT NOT NULL,
    vat_bp              BIGINT NOT NULL,
    vat_exemption_code  TEXT,
    price_minor         BIGINT NOT NULL,
    currency            TEXT NOT NULL,
    active              BOOLEAN NOT NULL DEFAULT TRUE,
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    CONSTRAINT products_sku_key_key UNIQUE (sku_key),
    CONSTRAINT products_vat_check CHECK (vat_bp IN (0, 100, 1000, 2000)),
    CONSTRAINT products_price_check CHECK (price_minor >= 0)
);

-- The catalogue by name (the quote editor's search looks up SKU and name).
CREATE INDEX products_name_idx ON products (name_key, id);
