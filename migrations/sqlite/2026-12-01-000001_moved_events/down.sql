-- Nothing to undo here: see up.sql.
SELECT 1;
