-- Corrections: financing rounds and certificates carry a version (for If-Match) and can be
-- withdrawn. A withdrawn record stays stored with who withdrew it, when and why, and no
-- longer counts for classification.
ALTER TABLE financings ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE financings ADD COLUMN withdrawn_at TIMESTAMP;
ALTER TABLE financings ADD COLUMN withdrawn_by TEXT;
ALTER TABLE financings ADD COLUMN withdrawal_reason TEXT;

-- A certificate number is unique among the records that count: withdrawing a wrongly entered
-- certificate frees its number for the right record. SQLite cannot drop the table's inline
-- UNIQUE constraint, so the table is rebuilt (nothing references it).
CREATE TABLE certificates_new (
    id TEXT PRIMARY KEY NOT NULL,
    firm_id TEXT NOT NULL REFERENCES firms (id),
    kind TEXT NOT NULL CHECK (kind IN ('high_tech')),
    number TEXT NOT NULL,
    issued_on DATE NOT NULL,
    expires_on DATE NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1),
    withdrawn_at TIMESTAMP,
    withdrawn_by TEXT,
    withdrawal_reason TEXT
);
INSERT INTO certificates_new (id, firm_id, kind, number, issued_on, expires_on, recorded_at)
    SELECT id, firm_id, kind, number, issued_on, expires_on, recorded_at FROM certificates;
DROP TABLE certificates;
ALTER TABLE certificates_new RENAME TO certificates;
CREATE INDEX certificates_firm ON certificates (firm_id, issued_on);
CREATE UNIQUE INDEX certificates_kind_number ON certificates (kind, number)
    WHERE withdrawn_at IS NULL;

-- The ledger records corrections as their own cause. SQLite cannot change a CHECK constraint,
-- so the ledger is rebuilt with its rows, indexes and append-only triggers (DROP TABLE does
-- not fire the delete trigger).
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
        'certificate_changed', 'rules_published', 'time_passed', 'import', 'correction')),
    actor TEXT NOT NULL,
    ruleset_id TEXT NOT NULL,
    ruleset_version INTEGER NOT NULL,
    ruleset_hash TEXT NOT NULL,
    region_code TEXT NOT NULL,
    industry_code TEXT NOT NULL,
    explanation TEXT NOT NULL,
    UNIQUE (firm_id, seq)
);
INSERT INTO tier_events_new SELECT position, firm_id, seq, track, from_tier, to_tier, kind,
    effective_on, recorded_at, cause, actor, ruleset_id, ruleset_version, ruleset_hash,
    region_code, industry_code, explanation FROM tier_events;
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
