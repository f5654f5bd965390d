ALTER TABLE tier_events DROP CONSTRAINT tier_events_cause_check;
ALTER TABLE tier_events ADD CONSTRAINT tier_events_cause_check CHECK (cause IN ('firm_changed',
    'figures_changed', 'financing_added', 'certificate_changed', 'rules_published',
    'time_passed', 'import'));
DROP INDEX certificates_kind_number;
ALTER TABLE certificates ADD CONSTRAINT certificates_kind_number_key UNIQUE (kind, number);
ALTER TABLE certificates DROP COLUMN withdrawal_reason;
ALTER TABLE certificates DROP COLUMN withdrawn_by;
ALTER TABLE certificates DROP COLUMN withdrawn_at;
ALTER TABLE certificates DROP COLUMN version;
ALTER TABLE financings DROP COLUMN withdrawal_reason;
ALTER TABLE financings DROP COLUMN withdrawn_by;
ALTER TABLE financings DROP COLUMN withdrawn_at;
ALTER TABLE financings DROP COLUMN version;
