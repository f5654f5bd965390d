//! Group commit for SQLite writers.
//!
//! SQLite admits one writer at a time, and with `synchronous = FULL` every COMMIT waits for
//! the write-ahead log to reach the disk. Writers that arrive while another one works would
//! each pay their own COMMIT and flush after queueing behind the others. Instead they share
//! one transaction: each writer runs its work in a savepoint of the open transaction, in
//! arrival order, and the last writer of the group (the one that finds nobody waiting)
//! commits for all of them. Every writer is answered only after that COMMIT, so an
//! acknowledged write is as durable as before; the group pays one flush, and pages that
//! several writers touch (table and index leaves, the audit trail) reach the log once.
//!
//! Failure semantics, kept narrow on purpose:
//! - a writer whose work fails has its savepoint rolled back and gets its own error at once;
//!   the other members are not affected;
//! - a failed COMMIT (disk full, I/O error) fails every member with `Unavailable`: nothing of
//!   the group was written, and each client may retry;
//! - a writer that panics, or leaves the transaction in a state its savepoint cannot undo,
//!   fails the group the same way, and the connection is discarded.
//!
//! PostgreSQL writers do not come here: they run concurrently, each in its own transaction.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use diesel::connection::{Connection, TransactionManager};

use super::ServiceError;
use super::registry::Conn;
use crate::storage::DbConnection;

/// Most writers that share one commit, so the first of a long queue is not held for long.
const MAX_MEMBERS: usize = 32;
/// A group older than this takes nobody else in and commits.
const MAX_AGE: Duration = Duration::from_millis(20);

type TxManager = <DbConnection as Connection>::TransactionManager;

/// The queue of this process's SQLite writers and the transaction they share.
#[derive(Default)]
pub(crate) struct WriteGroups {
    state: Mutex<State>,
    changed: Condvar,
    stats: Mutex<WriteStats>,
}

/// How many writes have been committed, and in how many commits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Writers whose work was committed.
    pub writes: u64,
    /// COMMITs that succeeded.
    pub commits: u64,
}

/// Writers take turns in arrival order (a ticket each), so none waits behind later arrivals:
/// waking every waiter to race for the turn let unlucky writers wait several groups.
#[derive(Default)]
struct State {
    /// The next ticket to hand out.
    next_ticket: u64,
    /// The ticket whose holder has the turn (works on the group's connection) or is next.
    serving: u64,
    /// The group whose transaction is open while no writer works on it.
    open: Option<Group>,
}

struct Group {
    conn: Conn,
    /// Set once, when the group's transaction ends; the members wait for it.
    outcome: Arc<OnceLock<Result<(), String>>>,
    /// Writers whose work succeeded and waits for the commit.
    members: usize,
    started: Instant,
}

/// The current writer's hold on the group. Dropping it without `finish` (a panic in the
/// writer's work, an early return) fails the group and frees the turn.
struct Turn<'a> {
    groups: &'a WriteGroups,
    group: Option<Group>,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if let Some(group) = self.group.take() {
            // The transaction is still open, so r2d2 discards the connection on return and
            // closing it rolls the transaction back.
            self.groups
                .end(group, Err("a write in the same transaction failed".into()));
        }
        self.groups.release();
    }
}

/// Runs `f` in a savepoint of the open transaction. Unlike diesel's nested `transaction`,
/// a failed rollback does not replace `f`'s error: SQLite may end the whole transaction
/// itself (after a full disk or an I/O error), and then "no such savepoint" would hide the
/// cause the client and the log need. The caller sees the broken transaction by its depth.
fn in_savepoint<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    TxManager::begin_transaction(conn)?;
    match f(conn) {
        Ok(value) => {
            TxManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            let _ = TxManager::rollback_transaction(conn);
            Err(error)
        }
    }
}

fn broken(reason: &str) -> ServiceError {
    if super::error::is_storage_full(reason) {
        ServiceError::StorageFull(reason.to_owned())
    } else {
        ServiceError::Unavailable(reason.to_owned())
    }
}

impl WriteGroups {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes committed so far and the commits they took.
    pub(crate) fn stats(&self) -> WriteStats {
        *self.stats.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` as one member of a group transaction; `connect` opens the group's connection
    /// when no group is open. Returns once `f`'s work is committed or known lost.
    pub(crate) fn run<T, E>(
        &self,
        connect: impl FnOnce() -> Result<Conn, ServiceError>,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<diesel::result::Error> + From<ServiceError>,
    {
        let open = {
            let mut state = self.lock();
            let ticket = state.next_ticket;
            state.next_ticket += 1;
            while state.serving != ticket {
                state = self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            state.open.take()
        };
        let mut turn = Turn {
            groups: self,
            group: None,
        };
        let group = match open {
            Some(group) => group,
            None => {
                let mut conn = connect()?;
                if let DbConnection::Sqlite(c) = &mut *conn {
                    // Take the write lock now, not at the first write, so a competing
                    // process waits in `busy_timeout` instead of failing mid-transaction.
                    diesel::connection::AnsiTransactionManager::begin_transaction_sql(
                        c,
                        "BEGIN IMMEDIATE",
                    )?;
                } else {
                    TxManager::begin_transaction(&mut conn)?;
                }
                Group {
                    conn,
                    outcome: Arc::new(OnceLock::new()),
                    members: 0,
                    started: Instant::now(),
                }
            }
        };
        // From here the group belongs to the turn, so a panic in `f` still ends it.
        let group = turn.group.insert(group);

        // The work, in a savepoint: on error only this writer's changes are undone.
        let result = in_savepoint(&mut group.conn, f);
        let intact = matches!(
            TxManager::transaction_manager_status_mut(&mut group.conn).transaction_depth(),
            Ok(Some(depth)) if depth.get() == 1
        );
        if !intact {
            // The savepoint could not be rolled back or released, or SQLite ended the
            // transaction itself (it may after a full disk or an I/O error).
            drop(turn);
            return match result {
                Ok(_) => Err(broken("the write transaction broke").into()),
                Err(e) => Err(e),
            };
        }
        if result.is_ok() {
            group.members += 1;
        }

        let mut state = self.lock();
        let waiting = state.next_ticket > state.serving + 1;
        let take_more = waiting && group.members < MAX_MEMBERS && group.started.elapsed() < MAX_AGE;
        if take_more {
            // Hand the open transaction to the next writer and wait for whoever commits.
            let outcome = Arc::clone(&group.outcome);
            state.open = turn.group.take();
            drop(state);
            drop(turn);
            let value = result?;
            let mut state = self.lock();
            while outcome.get().is_none() {
                state = self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            drop(state);
            return match outcome.get() {
                Some(Ok(())) => Ok(value),
                Some(Err(reason)) => Err(broken(reason).into()),
                None => Err(broken("the write was not committed").into()),
            };
        }
        drop(state);

        // Nobody is waiting, or the group is full: end the transaction for the group.
        let members = group.members as u64;
        let ended = if members == 0 {
            TxManager::rollback_transaction(&mut group.conn)
        } else {
            TxManager::commit_transaction(&mut group.conn)
        };
        let Some(mut group) = turn.group.take() else {
            return Err(broken("the write transaction was lost").into());
        };
        match ended {
            Ok(()) => {
                if members > 0 {
                    let mut stats = self.stats.lock().unwrap_or_else(PoisonError::into_inner);
                    stats.writes += members;
                    stats.commits += 1;
                    // Their ratio is the mean group size an operator sees on /metrics.
                    metrics::counter!("sqlite_commits_total").increment(1);
                    metrics::counter!("sqlite_committed_writes_total").increment(members);
                }
                self.end(group, Ok(()));
                drop(turn);
                result
            }
            Err(error) => {
                // A failed COMMIT can leave the transaction open; close it before the
                // connection goes back to the pool.
                let _ = TxManager::rollback_transaction(&mut group.conn);
                self.end(group, Err(format!("the commit failed: {error}")));
                drop(turn);
                match result {
                    Ok(_) => Err(error.into()),
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// Ends `group`'s transaction for its members (the connection goes back to the pool).
    fn end(&self, group: Group, outcome: Result<(), String>) {
        let Group {
            conn,
            outcome: slot,
            ..
        } = group;
        drop(conn);
        let _state = self.lock();
        let _ = slot.set(outcome);
        self.changed.notify_all();
    }

    /// Passes the turn to the next writer.
    fn release(&self) {
        let mut state = self.lock();
        state.serving += 1;
        self.changed.notify_all();
    }
}
