-- A version per fiscal year, so that two clerks saving the same year cannot silently
-- overwrite each other: PUT needs If-Match with the version read (ETag "N"). Existing years
-- start at 1.
ALTER TABLE annual_figures ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
