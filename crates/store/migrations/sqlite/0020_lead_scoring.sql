-- Lead scoring and qualification. `scoring_rules` are an administrator's rules of a record
-- type: a field rule holds a list filter (the same JSON as a list's `filter`, custom fields
-- included), an engagement rule counts held activities of a kind in the last `window_days`
-- (or their absence). A person's or company's score is the sum of the points of the rules
-- it meets, kept between 0 and 100, with the breakdown beside it (`[{rule_id, name,
-- points}]`) and when it was worked out. Writing a score never moves the record's version.
-- `unqualified_reason` says why a lead was unqualified. `settings` holds the few
-- organisation-wide choices an administrator makes in the app (the BANT gate). Jobs report
-- their progress. Kept in step with the other backend's migration of the same version.

CREATE TABLE scoring_rules (
    id           INTEGER PRIMARY KEY,
    record_type  TEXT NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    condition    TEXT NOT NULL,
    window_days  BIGINT,
    points       BIGINT NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    position     BIGINT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT scoring_rules_record_type_check CHECK (record_type IN ('person', 'company')),
    CONSTRAINT scoring_rules_kind_check CHECK (kind IN ('field', 'engagement')),
    CONSTRAINT scoring_rules_points_check CHECK (points BETWEEN -100 AND 100 AND points <> 0),
    CONSTRAINT scoring_rules_window_check CHECK (
        (kind = 'field' AND window_days IS NULL)
        OR (kind = 'engagement' AND window_days BETWEEN 1 AND 3650))
);

CREATE INDEX scoring_rules_type_idx ON scoring_rules (record_type, position, id);

INSERT INTO scoring_rules (record_type, name, kind, condition, window_days, points, position, created_at, updated_at) VALUES
    ('person', 'Son 30 günde toplantı yapıldı', 'engagement', '{"activity":"meeting","absent":false}', 30, 15, 1, 0, 0),
    ('person', '90 gündür hiç etkileşim yok', 'engagement', '{"activity":"any","absent":true}', 90, -20, 2, 0, 0),
    ('company', 'Son 30 günde toplantı yapıldı', 'engagement', '{"activity":"meeting","absent":false}', 30, 15, 1, 0, 0),
    ('company', '90 gündür hiç etkileşim yok', 'engagement', '{"activity":"any","absent":true}', 90, -20, 2, 0, 0);

ALTER TABLE people ADD COLUMN lead_score BIGINT NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN lead_score_breakdown TEXT NOT NULL DEFAULT '[]';
ALTER TABLE people ADD COLUMN lead_scored_at BIGINT;
ALTER TABLE people ADD COLUMN unqualified_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN lead_score BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN lead_score_breakdown TEXT NOT NULL DEFAULT '[]';
ALTER TABLE companies ADD COLUMN lead_scored_at BIGINT;
ALTER TABLE companies ADD COLUMN unqualified_reason TEXT NOT NULL DEFAULT '';

-- The hottest leads first.
CREATE INDEX people_score_idx ON people (lead_score, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_score_idx ON companies (lead_score, id) WHERE deleted_at IS NULL;

ALTER TABLE jobs ADD COLUMN progress_done BIGINT;
ALTER TABLE jobs ADD COLUMN progress_total BIGINT;

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
