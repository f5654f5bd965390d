-- A firm that changes district or industry while holding a tier now records a `moved` event
-- (same tier, the new district and industry), so the ledger alone accounts for every count,
-- per district and industry too. SQLite cannot alter a CHECK constraint in place: the table is
-- rebuilt once, by 2026-12-01-000020_corrections, whose new constraint allows `moved` (and
-- the cause `correction`); rebuilding it twice would only cost time on a large ledger.
SELECT 1;
