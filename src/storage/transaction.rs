//! Transactions: one writer's own (PostgreSQL, or SQLite without group commit), a read
//! snapshot, and the pieces group commit is built from (`write_group`).

use diesel::Connection;
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::r2d2::R2D2Connection;

use super::{DbConnection, StorageError};

type TxManager = <DbConnection as Connection>::TransactionManager;

/// Opens a transaction meant to write. On SQLite it starts with `BEGIN IMMEDIATE`, so the
/// write lock is taken at once and `busy_timeout` applies; a deferred transaction that later
/// tries to write can fail with SQLITE_BUSY without waiting.
pub(super) fn begin_write(conn: &mut DbConnection) -> Result<(), StorageError> {
    match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        DbConnection::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    Ok(())
}

/// Commits the open transaction (or releases the innermost savepoint).
pub(super) fn commit(conn: &mut DbConnection) -> Result<(), diesel::result::Error> {
    TxManager::commit_transaction(conn)
}

/// Rolls the open transaction back (or the innermost savepoint).
pub(super) fn rollback(conn: &mut DbConnection) -> Result<(), diesel::result::Error> {
    TxManager::rollback_transaction(conn)
}

/// Whether exactly one transaction is open and no savepoint: what a group's transaction is
/// between two writers.
pub(super) fn at_top_level(conn: &mut DbConnection) -> bool {
    matches!(
        TxManager::transaction_manager_status_mut(conn).transaction_depth(),
        Ok(Some(depth)) if depth.get() == 1
    )
}

/// Runs `f` in a transaction meant to write (see `begin_write`) and commits it.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<StorageError>,
{
    begin_write(conn)?;
    let result = f(conn);
    finish(conn, result)
}

/// Runs `f` in one read transaction: every query in it sees the same snapshot (on SQLite in
/// WAL mode and on PostgreSQL alike).
pub fn read_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<StorageError>,
{
    match conn {
        DbConnection::Sqlite(_) => {
            TxManager::begin_transaction(conn).map_err(StorageError::from)?;
        }
        // PostgreSQL's default (READ COMMITTED) takes a new snapshot per statement; REPEATABLE
        // READ keeps the first one for the whole transaction, which is what readers of several
        // tables (an export, the counts snapshot's head and rows) need to agree.
        DbConnection::Pg(c) => AnsiTransactionManager::begin_transaction_sql(
            c,
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        )
        .map_err(StorageError::from)?,
    }
    let result = f(conn);
    finish(conn, result)
}

/// Commits after `result` succeeded, rolls back otherwise.
fn finish<T, E: From<StorageError>>(conn: &mut DbConnection, result: Result<T, E>) -> Result<T, E> {
    match result {
        Ok(value) => {
            if let Err(commit_error) = commit(conn) {
                // A failed COMMIT leaves the transaction open on some backends; close it.
                let _ = rollback(conn);
                return Err(StorageError::from(commit_error).into());
            }
            Ok(value)
        }
        Err(error) => {
            let _ = rollback(conn);
            Err(error)
        }
    }
}

/// Runs `f` in a savepoint of the open transaction. Unlike diesel's nested `transaction`,
/// a failed rollback does not replace `f`'s error: SQLite may end the whole transaction
/// itself (after a full disk or an I/O error), and then "no such savepoint" would hide the
/// cause the client and the log need. The caller sees the broken transaction by its depth.
pub(super) fn in_savepoint<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StorageError>,
{
    TxManager::begin_transaction(conn).map_err(StorageError::from)?;
    match f(conn) {
        Ok(value) => {
            commit(conn).map_err(StorageError::from)?;
            Ok(value)
        }
        Err(error) => {
            let _ = rollback(conn);
            Err(error)
        }
    }
}

/// Whether the database answers a trivial query.
pub fn ping(conn: &mut DbConnection) -> Result<(), StorageError> {
    conn.ping()?;
    Ok(())
}
