ALTER TABLE annual_figures DROP COLUMN version;
