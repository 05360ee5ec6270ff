-- Price lists: prices of products per currency, net of KDV or KDV-included, with quantity
-- breaks (`min_quantity_milli`: the price applies from that quantity up, in thousandths).
-- One list per currency may be the default; a list may be given to customers (companies or
-- people), whose quotes take its prices first and fall back to the default list, then to
-- the product's own price. Names are unique ignoring Turkish case (`name_key`). Times are
-- UTC microseconds. Kept in step with the other backend's migration of the same version.

CREATE TABLE price_lists (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    currency      TEXT NOT NULL,
    vat_included  BOOLEAN NOT NULL DEFAULT FALSE,
    is_default    BOOLEAN NOT NULL DEFAULT FALSE,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT price_lists_name_key_key UNIQUE (name_key)
);
-- At most one default list per currency.
CREATE UNIQUE INDEX price_lists_default_key ON price_lists (currency) WHERE is_default;

CREATE TABLE price_list_items (
    price_list_id       BIGINT NOT NULL REFERENCES price_lists (id),
    product_id          BIGINT NOT NULL REFERENCES products (id),
    min_quantity_milli  BIGINT NOT NULL,
    unit_price_minor    BIGINT NOT NULL,
    PRIMARY KEY (price_list_id, product_id, min_quantity_milli),
    CONSTRAINT price_list_items_quantity_check CHECK (min_quantity_milli > 0),
    CONSTRAINT price_list_items_price_check CHECK (unit_price_minor >= 0)
);
CREATE INDEX price_list_items_product_idx ON price_list_items (product_id);

CREATE TABLE price_list_customers (
    price_list_id  BIGINT NOT NULL REFERENCES price_lists (id),
    record_type    TEXT NOT NULL,
    record_id      BIGINT NOT NULL,
    PRIMARY KEY (record_type, record_id, price_list_id),
    CONSTRAINT price_list_customers_type_check CHECK (record_type IN ('company', 'person'))
);
CREATE INDEX price_list_customers_list_idx ON price_list_customers (price_list_id);
