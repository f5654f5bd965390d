DROP TABLE job_runs;
DROP TABLE tier_count_days;
DROP TABLE tier_counts;
DROP TABLE current_tiers;
DROP TABLE tier_events;
DROP FUNCTION tier_events_append_only();
DROP TABLE ledger_head;
DROP TABLE rule_sets;
