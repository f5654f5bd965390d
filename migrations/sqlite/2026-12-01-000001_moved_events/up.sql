-- A firm that changes district or industry while holding a tier now records a `moved` event
-- (same tier, the new district and industry), so the ledger alone accounts for every count,
-- per district and industry too. SQLite cannot alter a CHECK constraint: the table is
-- rebuilt with its rows, indexes and append-only triggers. DROP TABLE fires no DELETE trigger.
CREATE TABLE tier_events_new (
    position BIGINT PRIMARY KEY NOT NULL,
    firm_id TEXT NOT NULL REFERENCES firms (id),
    seq INTEGER NOT NULL,
    track TEXT NOT NULL,
    from_tier TEXT,
    to_tier TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('entered', 'promoted', 'demoted', 'exited', 'moved')),
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
INSERT INTO tier_events_new SELECT * FROM tier_events;
DROP TABLE tier_events;
ALTER TABLE tier_events_new RENAME TO tier_events;
CREATE INDEX tier_events_effective ON tier_events (effective_on, position);
CREATE INDEX tier_events_track ON tier_events (track, position);
CREATE TRIGGER tier_events_no_update BEFORE UPDATE ON tier_events
BEGIN
    SELECT RAISE(ABORT, 'tier_events is append-only');
END;
CREATE TRIGGER tier_events_no_delete BEFORE DELETE ON tier_events
BEGIN
    SELECT RAISE(ABORT, 'tier_events is append-only');
END;
