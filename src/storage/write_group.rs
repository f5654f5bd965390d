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

use super::transaction::{at_top_level, begin_write, commit, in_savepoint, rollback};
use super::{Conn, DbConnection, StorageError, is_storage_full};

/// Most writers that share one commit, so the first of a long queue is not held for long.
const MAX_MEMBERS: usize = 32;
/// A group older than this takes nobody else in and commits.
const MAX_AGE: Duration = Duration::from_millis(20);

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

/// How a group's transaction ended: committed, or lost for the given reason.
type Outcome = OnceLock<Result<(), String>>;

struct Group {
    conn: Conn,
    /// Set once, when the group's transaction ends; the members wait for it.
    outcome: Arc<Outcome>,
    /// Writers whose work succeeded and waits for the commit.
    members: usize,
    started: Instant,
}

impl Group {
    /// A group on `conn`, its transaction open. The write lock is taken now, not at the first
    /// write, so a competing process waits in `busy_timeout` instead of failing
    /// mid-transaction.
    fn open(mut conn: Conn) -> Result<Self, StorageError> {
        begin_write(&mut conn)?;
        Ok(Self {
            conn,
            outcome: Arc::new(OnceLock::new()),
            members: 0,
            started: Instant::now(),
        })
    }
}

fn turn_lost() -> StorageError {
    broken("the write transaction was lost")
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

/// Why a member's write was lost with its group: a full disk, or the database unavailable.
fn broken(reason: &str) -> StorageError {
    if is_storage_full(reason) {
        StorageError::Full(reason.to_owned())
    } else {
        StorageError::Connection(reason.to_owned())
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
        connect: impl FnOnce() -> Result<Conn, StorageError>,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StorageError>,
    {
        let open = self.take_turn();
        let mut turn = Turn {
            groups: self,
            group: None,
        };
        let group = match open {
            Some(group) => group,
            None => Group::open(connect()?)?,
        };
        // From here the group belongs to the turn, so a panic in `f` still ends it.
        let group = turn.group.insert(group);

        // The work, in a savepoint: on error only this writer's changes are undone.
        let result = in_savepoint(&mut group.conn, f);
        if !at_top_level(&mut group.conn) {
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
        match self.hand_over(&mut turn) {
            Some(outcome) => {
                // Another writer carries the transaction on; wait for whoever commits.
                drop(turn);
                let value = result?;
                self.wait_for(&outcome)?;
                Ok(value)
            }
            // Nobody is waiting, or the group is full: end the transaction for the group.
            None => self.end_transaction(turn, result),
        }
    }

    /// Waits for this writer's ticket to be served; returns the open group, if any.
    fn take_turn(&self) -> Option<Group> {
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
    }

    /// Leaves the open transaction to the next writer if one waits and the group may grow;
    /// returns where the group's outcome will be set (the turn then holds no group), or
    /// `None` when this writer must end the group.
    fn hand_over(&self, turn: &mut Turn<'_>) -> Option<Arc<Outcome>> {
        let mut state = self.lock();
        let waiting = state.next_ticket > state.serving + 1;
        let group = match turn.group.take() {
            Some(group)
                if waiting && group.members < MAX_MEMBERS && group.started.elapsed() < MAX_AGE =>
            {
                group
            }
            other => {
                turn.group = other;
                return None;
            }
        };
        let outcome = Arc::clone(&group.outcome);
        state.open = Some(group);
        Some(outcome)
    }

    /// Waits until the group this writer left is committed or known lost.
    fn wait_for(&self, outcome: &Outcome) -> Result<(), StorageError> {
        let mut state = self.lock();
        while outcome.get().is_none() {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        drop(state);
        match outcome.get() {
            Some(Ok(())) => Ok(()),
            Some(Err(reason)) => Err(broken(reason)),
            None => Err(broken("the write was not committed")),
        }
    }

    /// Commits the group's transaction (rolls it back if no member's work succeeded) and
    /// answers every member; returns this writer's own result unless the commit failed.
    fn end_transaction<T, E>(&self, mut turn: Turn<'_>, result: Result<T, E>) -> Result<T, E>
    where
        E: From<StorageError>,
    {
        let Some(mut group) = turn.group.take() else {
            return Err(turn_lost().into());
        };
        let members = group.members as u64;
        let ended = if members == 0 {
            rollback(&mut group.conn)
        } else {
            commit(&mut group.conn)
        };
        match ended {
            Ok(()) => {
                if members > 0 {
                    self.count_commit(members);
                }
                self.end(group, Ok(()));
                drop(turn);
                result
            }
            Err(error) => {
                // A failed COMMIT can leave the transaction open; close it before the
                // connection goes back to the pool.
                let _ = rollback(&mut group.conn);
                self.end(group, Err(format!("the commit failed: {error}")));
                drop(turn);
                match result {
                    Ok(_) => Err(StorageError::from(error).into()),
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// Counts a successful commit of `members` writes.
    fn count_commit(&self, members: u64) {
        let mut stats = self.stats.lock().unwrap_or_else(PoisonError::into_inner);
        stats.writes += members;
        stats.commits += 1;
        // Their ratio is the mean group size an operator sees on /metrics.
        metrics::counter!("sqlite_commits_total").increment(1);
        metrics::counter!("sqlite_committed_writes_total").increment(members);
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
