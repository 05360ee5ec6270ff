-- Sales pipelines and their stages. A stage is open, won or lost, with the probability a
-- deal in it closes and, for open stages, the days without a change after which a deal in
-- it is rotting. Stages are kept in their order by `position`. Every installation starts
-- with one pipeline an administrator can rename, reshape or replace. Times are UTC
-- microseconds. Kept in step with the other backend's migration of the same version.

CREATE TABLE pipelines (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    currency    TEXT NOT NULL,
    position    BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT pipelines_currency_check CHECK (length(currency) = 3)
);

CREATE TABLE pipeline_stages (
    id            INTEGER PRIMARY KEY,
    pipeline_id   BIGINT NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    probability   BIGINT NOT NULL,
    rotting_days  BIGINT,
    position      BIGINT NOT NULL,
    CONSTRAINT pipeline_stages_kind_check CHECK (kind IN ('open', 'won', 'lost')),
    CONSTRAINT pipeline_stages_probability_check CHECK (probability BETWEEN 0 AND 100)
);

CREATE INDEX pipeline_stages_pipeline_idx ON pipeline_stages (pipeline_id, position);

INSERT INTO pipelines (name, currency, position, created_at, updated_at)
VALUES ('Satış', 'TRY', 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER));
INSERT INTO pipeline_stages (pipeline_id, name, kind, probability, rotting_days, position)
SELECT id, stage.name, stage.kind, stage.probability, stage.rotting_days, stage.position
FROM pipelines,
     (SELECT 'Yeni fırsat' AS name, 'open' AS kind, 10 AS probability, 14 AS rotting_days, 1 AS position
      UNION ALL SELECT 'Nitelikli', 'open', 25, 14, 2
      UNION ALL SELECT 'Teklif verildi', 'open', 50, 21, 3
      UNION ALL SELECT 'Pazarlık', 'open', 75, 14, 4
      UNION ALL SELECT 'Kazanıldı', 'won', 100, NULL, 5
      UNION ALL SELECT 'Kaybedildi', 'lost', 0, NULL, 6) AS stage
WHERE pipelines.name = 'Satış';
