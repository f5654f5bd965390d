-- Corrections: financing rounds and certificates carry a version (for If-Match) and can be
-- withdrawn. A withdrawn record stays stored with who withdrew it, when and why, and no
-- longer counts for classification.
ALTER TABLE financings ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE financings ADD COLUMN withdrawn_at TIMESTAMP;
ALTER TABLE financings ADD COLUMN withdrawn_by TEXT;
ALTER TABLE financings ADD COLUMN withdrawal_reason TEXT;
ALTER TABLE certificates ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE certificates ADD COLUMN withdrawn_at TIMESTAMP;
ALTER TABLE certificates ADD COLUMN withdrawn_by TEXT;
ALTER TABLE certificates ADD COLUMN withdrawal_reason TEXT;

-- A certificate number is unique among the records that count: withdrawing a wrongly entered
-- certificate frees its number for the right record.
ALTER TABLE certificates DROP CONSTRAINT certificates_kind_number_key;
CREATE UNIQUE INDEX certificates_kind_number ON certificates (kind, number)
    WHERE withdrawn_at IS NULL;

-- The ledger records corrections as their own cause.
ALTER TABLE tier_events DROP CONSTRAINT tier_events_cause_check;
ALTER TABLE tier_events ADD CONSTRAINT tier_events_cause_check CHECK (cause IN ('firm_changed',
    'figures_changed', 'financing_added', 'certificate_changed', 'rules_published',
    'time_passed', 'import', 'correction'));
