//! Storage: diesel lives only here. Query functions take a connection; `Database` opens the
//! transactions (group commit on SQLite, `write_group`) and keeps the write-ahead log short
//! (`checkpoint`). Failures come out as `StorageError`, classified by kind and constraint.

/// Inserts `$rows` into `$table` with multi-row statements of `$per` rows. The multi-backend
/// connection cannot batch insert (ECOSYSTEM.md), so this matches on the backend and uses each
/// one's own multi-row `INSERT`.
macro_rules! insert_chunks {
    ($conn:expr, $table:expr, $rows:expr, $per:expr) => {{
        for chunk in $rows.chunks($per) {
            match $conn {
                DbConnection::Sqlite(c) => diesel::insert_into($table).values(chunk).execute(c)?,
                DbConnection::Pg(c) => diesel::insert_into($table).values(chunk).execute(c)?,
            };
        }
    }};
}

mod accounts;
mod arrivals;
mod audit;
mod batch;
mod bulk_insert;
mod certificates;
mod checkpoint;
mod connection;
mod convert;
mod counts;
mod database;
mod dossier;
mod error;
mod figures;
mod financings;
mod firms;
mod firms_bulk;
mod idempotency;
mod ledger;
mod ledger_bulk;
mod ledger_feed;
mod login_failures;
mod rulesets;
pub mod schema;
mod transaction;
mod write_group;

pub use accounts::{
    SessionRow, TokenRow, UserRow, delete_session, delete_sessions_of_user, delete_stale_sessions,
    find_live_token, find_session, find_user_by_name, insert_session, insert_token, insert_user,
    list_tokens, list_users, revoke_token, set_password, set_role_and_disabled, touch_session,
};
pub use arrivals::{arrivals_between, history_start, insert_arrival};
pub use audit::{AuditFilter, AuditRow, find_audit, insert_audit, latest_audit_id, list_audit};
pub use batch::{BatchRows, FirmForClassification, load_batch, load_batch_rows, load_firms};
pub use bulk_insert::{
    DEMO_CACHE_KIB, IMPORT_CACHE_KIB, Population, analyze_after_bulk, find_firm_ids_by_usccs,
    find_usccs_by_ids, has_firms, insert_population, prepare_for_bulk,
};
pub use certificates::{
    find_certificate, insert_certificate, list_certificate_records, list_certificates,
    update_certificate, withdraw_certificate,
};
pub use connection::{
    AUTO_CHECKPOINT_PAGES, Conn, DatabaseUrl, DbConnection, DbPool, Manager, PoolOptions,
    build_pool, check_durability, run_migrations,
};
pub use convert::from_utc as stored_time;
pub use counts::{
    BucketCount, DataHead, DayDelta, DayRow, TransitionCount, count_rows_on, counts_as_of,
    data_head, day_deltas, effective_days_between, ledger_position, live_counts, transitions,
};
pub use database::Database;
pub use dossier::load_dossier;
pub use error::{StorageError, StorageResult, UniqueKey, is_storage_full};
pub use figures::{list_year_versions, list_years, put_year, year_version};
pub use financings::{
    find_financing, insert_financing, list_financing_records, list_financings, update_financing,
    withdraw_financing,
};
pub use firms::{
    FirmFilter, FirmOrder, FirmRow, count_firms, find_firm, find_firm_id_by_uscc, firm_names,
    insert_firm, list_firms, update_firm,
};
pub use firms_bulk::insert_firm_rows;
pub use idempotency::{StoredKey, find_key, insert_key};
pub use ledger::{
    Bucket, CurrentTierRow, EventRow, LedgerLock, add_to_count, all_current_tiers,
    current_tiers_of, current_tiers_of_firms, events_of_firm, job_last_day, last_effective_on,
    latest_ledger_day, lock_firm, lock_ledger, reserve_positions, set_job_last_day,
};
pub use ledger_bulk::{append_events, next_seqs, replace_current_tiers};
pub use ledger_feed::{EventFilter, events_touching, list_events};
pub use login_failures::{clear_login_failures, insert_login_failure, recent_login_failures};
pub use rulesets::{
    RuleSetRow, find_rule_set, insert_rule_set, list_rule_sets, rule_set_generation,
};
pub use transaction::{ping, read_transaction, write_transaction};
pub use write_group::WriteStats;
