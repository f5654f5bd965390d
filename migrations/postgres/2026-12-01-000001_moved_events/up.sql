-- A firm that changes district or industry while holding a tier now records a `moved` event
-- (same tier, the new district and industry), so the ledger alone accounts for every count,
-- per district and industry too.
ALTER TABLE tier_events DROP CONSTRAINT tier_events_kind_check;
ALTER TABLE tier_events ADD CONSTRAINT tier_events_kind_check
    CHECK (kind IN ('entered', 'promoted', 'demoted', 'exited', 'moved'));
