-- Rebuilds the ledger without the `correction` cause (fails if such events exist) and the
-- certificates with their original constraint.
CREATE TABLE tier_events_old (
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
INSERT INTO tier_events_old SELECT position, firm_id, seq, track, from_tier, to_tier, kind,
    effective_on, recorded_at, cause, actor, ruleset_id, ruleset_version, ruleset_hash,
    region_code, industry_code, explanation FROM tier_events;
DROP TABLE tier_events;
ALTER TABLE tier_events_old RENAME TO tier_events;
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

CREATE TABLE certificates_old (
    id TEXT PRIMARY KEY NOT NULL,
    firm_id TEXT NOT NULL REFERENCES firms (id),
    kind TEXT NOT NULL CHECK (kind IN ('high_tech')),
    number TEXT NOT NULL,
    issued_on DATE NOT NULL,
    expires_on DATE NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    UNIQUE (kind, number)
);
INSERT INTO certificates_old SELECT id, firm_id, kind, number, issued_on, expires_on,
    recorded_at FROM certificates;
DROP TABLE certificates;
ALTER TABLE certificates_old RENAME TO certificates;
CREATE INDEX certificates_firm ON certificates (firm_id, issued_on);

-- A column with a CHECK constraint cannot be dropped in SQLite: the table is rebuilt.
CREATE TABLE financings_old (
    id TEXT PRIMARY KEY NOT NULL,
    firm_id TEXT NOT NULL REFERENCES firms (id),
    closed_on DATE NOT NULL,
    round TEXT NOT NULL,
    amount_value BIGINT,
    amount_currency TEXT CHECK (amount_currency IN ('CNY', 'USD')),
    valuation_value BIGINT,
    valuation_currency TEXT CHECK (valuation_currency IN ('CNY', 'USD')),
    investor_kind TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
INSERT INTO financings_old SELECT id, firm_id, closed_on, round, amount_value,
    amount_currency, valuation_value, valuation_currency, investor_kind, recorded_at
    FROM financings;
DROP TABLE financings;
ALTER TABLE financings_old RENAME TO financings;
CREATE INDEX financings_firm ON financings (firm_id, closed_on);
