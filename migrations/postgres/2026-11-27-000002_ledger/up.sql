-- Published rule sets: the registry classifies with these, never with local files, so every
-- instance uses the same rules.
CREATE TABLE rule_sets (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    effective_from DATE NOT NULL,
    content_hash TEXT NOT NULL,
    origin TEXT NOT NULL,
    content TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    published_by TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

-- The last ledger position handed out. Appending events updates this single row, which makes
-- concurrent appenders queue, so positions become visible in increasing order and a feed
-- reader resuming "after N" never skips a row that commits late.
CREATE TABLE ledger_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    last_position BIGINT NOT NULL
);
INSERT INTO ledger_head (id, last_position) VALUES (1, 0);

-- The append-only ledger of tier changes.
CREATE TABLE tier_events (
    position BIGINT PRIMARY KEY NOT NULL,
    firm_id TEXT NOT NULL REFERENCES firms (id),
    seq INTEGER NOT NULL,
    track TEXT NOT NULL,
    from_tier TEXT,
    to_tier TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('entered', 'promoted', 'demoted', 'exited')),
    effective_on DATE NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    cause TEXT NOT NULL CHECK (cause IN ('firm_changed', 'figures_changed', 'financing_added',
        'certificate_changed', 'rules_published', 'time_passed', 'import')),
    actor TEXT NOT NULL,
    ruleset_id TEXT NOT NULL,
    ruleset_version INTEGER NOT NULL,
    ruleset_hash TEXT NOT NULL,
    region_code TEXT NOT NULL,
    industry_code TEXT NOT NULL,
    explanation TEXT NOT NULL,
    UNIQUE (firm_id, seq)
);
CREATE INDEX tier_events_effective ON tier_events (effective_on, position);
CREATE INDEX tier_events_track ON tier_events (track, position);

-- Each firm's tier per track now (rows only for tracks where it holds a tier).
CREATE TABLE current_tiers (
    firm_id TEXT NOT NULL REFERENCES firms (id),
    track TEXT NOT NULL,
    tier TEXT NOT NULL,
    since DATE NOT NULL,
    region_code TEXT NOT NULL,
    industry_code TEXT NOT NULL,
    PRIMARY KEY (firm_id, track)
);
CREATE INDEX current_tiers_bucket ON current_tiers (track, tier, region_code, industry_code);

-- Firms per (track, tier, region, industry), kept in the transaction of every event.
CREATE TABLE tier_counts (
    track TEXT NOT NULL,
    tier TEXT NOT NULL,
    region_code TEXT NOT NULL,
    industry_code TEXT NOT NULL,
    firms BIGINT NOT NULL CHECK (firms >= 0),
    PRIMARY KEY (track, tier, region_code, industry_code)
);

-- Per day and bucket: the net change and the count at the end of that day, so a count as of
-- any date is the latest row on or before it.
CREATE TABLE tier_count_days (
    track TEXT NOT NULL,
    tier TEXT NOT NULL,
    region_code TEXT NOT NULL,
    industry_code TEXT NOT NULL,
    day DATE NOT NULL,
    delta BIGINT NOT NULL,
    firms BIGINT NOT NULL CHECK (firms >= 0),
    PRIMARY KEY (track, tier, region_code, industry_code, day)
);
CREATE INDEX tier_count_days_day ON tier_count_days (day);

-- The last day the time-passing re-evaluation covered.
CREATE TABLE job_runs (
    job TEXT PRIMARY KEY NOT NULL,
    last_day DATE NOT NULL
);

-- The ledger cannot be rewritten, whatever the client.
CREATE FUNCTION tier_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tier_events is append-only';
END
$$;
CREATE TRIGGER tier_events_no_update_or_delete BEFORE UPDATE OR DELETE ON tier_events
    FOR EACH ROW EXECUTE FUNCTION tier_events_append_only();
CREATE TRIGGER tier_events_no_truncate BEFORE TRUNCATE ON tier_events
    FOR EACH STATEMENT EXECUTE FUNCTION tier_events_append_only();
