ALTER TABLE tier_events DROP CONSTRAINT tier_events_kind_check;
ALTER TABLE tier_events ADD CONSTRAINT tier_events_kind_check
    CHECK (kind IN ('entered', 'promoted', 'demoted', 'exited'));
