-- When a firm came into the city: registered with a district of the city, or moved into one
-- from outside. The plan's "recruited" (招引) targets count firms entering a tier in the year
-- that arrived in the year; a tier event alone cannot tell an arrival from a firm already
-- here that newly qualifies. Written only from now on: firms registered before this table
-- existed have no row, so they never count as recruited (they were already here).
CREATE TABLE city_arrivals (
    id TEXT PRIMARY KEY NOT NULL,
    firm_id TEXT NOT NULL REFERENCES firms (id),
    arrived_on DATE NOT NULL,
    how TEXT NOT NULL CHECK (how IN ('registered', 'moved_in')),
    region_code TEXT NOT NULL
);
CREATE INDEX city_arrivals_day ON city_arrivals (arrived_on);
