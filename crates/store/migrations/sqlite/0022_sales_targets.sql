-- Sales targets: what a rep or a team is to reach in a period, by one measure (the won
-- amount in minor units of `currency`, the number of deals won, or the number of new
-- customers). Exactly one of `user_id` and `team_id` is set; two targets of the same
-- subject and measure never overlap (the service's check, under the write lock).
-- Periods are inclusive ISO dates; times are UTC microseconds. Kept in step with the other
-- backend's migration of the same version.

CREATE TABLE sales_targets (
    id            INTEGER PRIMARY KEY,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    user_id       BIGINT REFERENCES users (id),
    team_id       BIGINT REFERENCES teams (id),
    metric        TEXT NOT NULL,
    target_minor  BIGINT NOT NULL,
    currency      TEXT,
    created_by    BIGINT REFERENCES users (id),
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT sales_targets_subject_check CHECK ((user_id IS NULL) <> (team_id IS NULL)),
    CONSTRAINT sales_targets_metric_check CHECK (metric IN ('won_amount', 'won_count', 'new_customers')),
    CONSTRAINT sales_targets_period_check CHECK (period_start <= period_end),
    CONSTRAINT sales_targets_target_check CHECK (target_minor >= 0),
    CONSTRAINT sales_targets_currency_check CHECK ((metric = 'won_amount') = (currency IS NOT NULL))
);
CREATE INDEX sales_targets_user_idx ON sales_targets (user_id, period_start) WHERE user_id IS NOT NULL;
CREATE INDEX sales_targets_team_idx ON sales_targets (team_id, period_start) WHERE team_id IS NOT NULL;
CREATE INDEX sales_targets_period_idx ON sales_targets (period_start, period_end);

-- The forecast reads a period's won deals by their close day and its open deals by their
-- expected close, through the caller's scope.
CREATE INDEX deals_close_idx ON deals (expected_close, stage_id) WHERE deleted_at IS NULL;
