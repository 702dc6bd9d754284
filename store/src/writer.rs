//! The writer: one thread owns the store's connection (SQLite's file, or one PostgreSQL
//! session). Callers hand it work; it runs whatever is waiting in one transaction, each
//! caller's part in a savepoint of its own, commits once (one sync for the group), and only
//! then answers each caller: with its result, or with the commit's error if the commit failed.
//!
//! On PostgreSQL other processes write too: a part that deadlocks with one of them is undone
//! to its savepoint and run again (its work is a function of its inputs, so running it twice
//! is running it once).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex};

use tokio::sync::oneshot;
use wabakit_core::{Error, Result};

use crate::db::{Conn, Dialect};
use crate::schema;
use crate::store_error;
use crate::url::{StoreUrl, Sync};

/// A caller's part: run it (again, after a conflict) on the writer's connection, then answer
/// (with the commit's error instead, if the commit fails).
struct Part {
    run: Box<Run>,
    answer: Answer,
}

/// Tells a part's caller how it ended (with the commit's error instead, if it failed).
type Answer = Box<dyn FnOnce(Option<Error>) + Send>;

/// A part's work, which may run more than once.
type Run = dyn FnMut(&mut dyn Conn) -> Ran + Send;

/// How a part's run went.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ran {
    Ok,
    Failed,
    /// Failed by a conflict with another transaction: worth running again.
    Conflict,
}

/// How many callers' parts one transaction takes at most.
const GROUP: usize = 1024;

/// How many times a part that conflicts with another process's transaction is run.
const RUNS: usize = 8;

/// A handle on the writer thread; clones share it, and the thread ends with the last one.
#[derive(Clone)]
pub struct Writer {
    work: mpsc::Sender<Part>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

fn connect_sqlite(url: &StoreUrl) -> Result<rusqlite::Connection> {
    use rusqlite::{Connection, OpenFlags};
    let open = |e| store_error(&format!("opening {url}"), e);
    // One thread uses the connection: SQLite's own per-call locking is not needed.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match url {
        StoreUrl::Sqlite { path, .. } => Connection::open_with_flags(path, flags).map_err(open)?,
        _ => Connection::open_in_memory_with_flags(flags).map_err(open)?,
    };
    let sync = match url {
        StoreUrl::Sqlite {
            sync: Sync::Normal, ..
        } => "NORMAL",
        _ => "FULL",
    };
    // WAL: readers do not block the writer; a busy database is waited for, not failed at once.
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = {sync}; PRAGMA busy_timeout = 5000;"
    ))
    .map_err(open)?;
    // Every statement of the hot path stays prepared (the default cache holds 16).
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn connect(url: &StoreUrl) -> Result<Box<dyn Conn>> {
    match url {
        #[cfg(feature = "postgres")]
        StoreUrl::Postgres(pg) => Ok(Box::new(
            crate::db::Pg::connect(pg.connect_string())
                .map_err(|e| store_error(&format!("connecting to {url}"), e))?,
        )),
        #[cfg(not(feature = "postgres"))]
        StoreUrl::Postgres(_) => Err(store_error(
            &format!("opening {url}"),
            "this build has no PostgreSQL (the store's `postgres` feature)",
        )),
        _ => Ok(Box::new(connect_sqlite(url)?)),
    }
}

/// Connect, and bring the schema up to date.
fn open(url: &StoreUrl) -> Result<Box<dyn Conn>> {
    let mut conn = connect(url)?;
    let now = wabakit_core::Clock::unix_millis(&wabakit_core::SystemClock);
    let migrating = |e| store_error("migrating", e);
    conn.batch(begin(conn.dialect())).map_err(migrating)?;
    match schema::migrate(conn.as_mut(), now) {
        Ok(applied) => {
            conn.batch("COMMIT").map_err(migrating)?;
            if !applied.is_empty() {
                tracing::info!(store = %url, ?applied, "store migrated");
            }
            Ok(conn)
        }
        Err(e) => {
            let _ = conn.batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Run one of the transaction's control statements.
fn control(conn: &mut dyn Conn, sql: &str) -> bool {
    conn.exec(sql, &[]).is_ok()
}

impl Writer {
    /// Open the store, bring its schema up to date, and start the thread. The connection is
    /// made on the writer's own thread (PostgreSQL's blocking client runs a runtime of its own,
    /// which cannot start inside a caller's).
    pub fn start(url: &StoreUrl) -> Result<Writer> {
        let (work, rx) = mpsc::channel::<Part>();
        let (ready, opened) = mpsc::channel::<Result<()>>();
        let at = url.clone();
        std::thread::Builder::new()
            .name("wabakit-store".into())
            .spawn(move || match open(&at) {
                Ok(conn) => {
                    let _ = ready.send(Ok(()));
                    serve(conn, rx)
                }
                Err(e) => {
                    let _ = ready.send(Err(e));
                }
            })
            .map_err(|e| store_error("starting the writer", e))?;
        opened
            .recv()
            .map_err(|_| store_error("opening", "the store's writer stopped"))??;
        Ok(Writer { work })
    }

    /// Run `f` in the next group's transaction; its result once the group is committed.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl Fn(&mut dyn Conn) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = oneshot::channel();
        let slot: Arc<Mutex<Option<Result<T>>>> = Arc::new(Mutex::new(None));
        let kept = slot.clone();
        let part = Part {
            run: Box::new(move |conn| {
                LAST_CONFLICT.with(|c| c.set(false));
                let r = f(conn);
                let ran = match &r {
                    Ok(_) => Ran::Ok,
                    Err(_) if conflicted(conn) => Ran::Conflict,
                    Err(_) => Ran::Failed,
                };
                *kept.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                ran
            }),
            answer: Box::new(move |failed| {
                let r = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
                let _ = tx.send(match (failed, r) {
                    (Some(e), _) => Err(e),
                    (None, Some(r)) => r,
                    (None, None) => {
                        Err(store_error("writing", "the write panicked (a bug); undone"))
                    }
                });
            }),
        };
        self.work
            .send(part)
            .map_err(|_| store_error("writing", "the store's writer has stopped"))?;
        rx.await
            .map_err(|_| store_error("writing", "the store's writer dropped the work (a bug)"))?
    }
}

/// Whether the last statement failed by a conflict with another transaction.
fn conflicted(conn: &mut dyn Conn) -> bool {
    LAST_CONFLICT.with(|c| c.replace(false)) && conn.dialect() == Dialect::Postgres
}

thread_local! {
    /// Set by [`crate::db::sql`] when the error it wraps was a conflict: the store's functions
    /// return the crate's [`Error`], which does not carry the database's code.
    pub(crate) static LAST_CONFLICT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The statement that opens a group's transaction: SQLite takes the write lock at once (a
/// reader upgrading later could fail), PostgreSQL's default isolation suits the store's
/// statements, each of which reads the newest row it changes.
fn begin(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => "BEGIN",
    }
}

fn serve(mut conn: Box<dyn Conn>, rx: mpsc::Receiver<Part>) {
    let conn = conn.as_mut();
    while let Ok(first) = rx.recv() {
        let mut group = vec![first];
        while group.len() < GROUP {
            match rx.try_recv() {
                Ok(w) => group.push(w),
                Err(_) => break,
            }
        }
        match conn.dialect() {
            Dialect::Sqlite => with_savepoints(conn, group),
            Dialect::Postgres => optimistic(conn, group),
        }
    }
}

/// Run a part; how it went (a panic is a failure, undone with the rest).
fn run_part(conn: &mut dyn Conn, p: &mut Part) -> Ran {
    catch_unwind(AssertUnwindSafe(|| (p.run)(conn))).unwrap_or(Ran::Failed)
}

/// SQLite: each part in a savepoint of its own (in-process, nearly free), one commit.
fn with_savepoints(conn: &mut dyn Conn, group: Vec<Part>) {
    if !control(conn, begin(Dialect::Sqlite)) {
        for p in group {
            (p.answer)(Some(store_error("writing", "cannot begin a transaction")));
        }
        tracing::error!("store: cannot begin a transaction");
        return;
    }
    // A part alone needs no savepoint: if it fails, the transaction is rolled back whole.
    let alone = group.len() == 1;
    let mut failed_alone = false;
    let mut answers = Vec::with_capacity(group.len());
    for mut p in group {
        if alone {
            failed_alone = run_part(conn, &mut p) != Ran::Ok;
            answers.push((p.answer, None));
            continue;
        }
        let mut kept = false;
        // Whether the part's own result (in its slot) says what became of it.
        let mut answered = false;
        if control(conn, "SAVEPOINT part") {
            let ran = run_part(conn, &mut p);
            answered = ran != Ran::Ok;
            kept = ran == Ran::Ok && control(conn, "RELEASE SAVEPOINT part");
            if !kept {
                // Undone: the part's changes go, the transaction goes on.
                let _ = control(conn, "ROLLBACK TO SAVEPOINT part");
                let _ = control(conn, "RELEASE SAVEPOINT part");
            }
        }
        // A part that failed answers with its own error (in its slot); one that succeeded
        // but could not be kept hears why.
        let lost =
            (!kept && !answered).then(|| store_error("committing", "a part could not be kept"));
        answers.push((p.answer, lost));
    }
    if failed_alone {
        let _ = control(conn, "ROLLBACK");
        answers.into_iter().for_each(|(a, lost)| a(lost));
        return;
    }
    commit(conn, answers);
}

/// Commit, and answer each part: with its own result, or with the commit's error.
fn commit(conn: &mut dyn Conn, answers: Vec<(Answer, Option<Error>)>) {
    match conn.exec("COMMIT", &[]) {
        Ok(_) => answers.into_iter().for_each(|(a, lost)| a(lost)),
        Err(e) => {
            let _ = control(conn, "ROLLBACK");
            let msg = e.to_string();
            for (a, _) in answers {
                a(Some(store_error("committing", &msg)));
            }
        }
    }
}

/// PostgreSQL: every part in one transaction without savepoints (each would cost two round
/// trips); if one fails, the group is undone and each part runs again in a transaction of its
/// own (a part that conflicted with another process, again until it gets through).
fn optimistic(conn: &mut dyn Conn, mut group: Vec<Part>) {
    let begin = begin(Dialect::Postgres);
    if control(conn, begin) {
        let all = group.iter_mut().all(|p| run_part(conn, p) == Ran::Ok);
        if all && control(conn, "COMMIT") {
            group.into_iter().for_each(|p| (p.answer)(None));
            return;
        }
        let _ = control(conn, "ROLLBACK");
    }
    for mut p in group {
        let mut lost = Some(store_error("writing", "cannot begin a transaction"));
        for _ in 0..RUNS {
            if !control(conn, begin) {
                break;
            }
            let ran = run_part(conn, &mut p);
            if ran == Ran::Ok {
                match conn.exec("COMMIT", &[]) {
                    Ok(_) => lost = None,
                    Err(e) => {
                        let _ = control(conn, "ROLLBACK");
                        let conflict = e.conflict;
                        lost = Some(store_error("committing", e));
                        if conflict {
                            continue;
                        }
                    }
                }
                break;
            }
            let _ = control(conn, "ROLLBACK");
            // Its own error is in its slot.
            lost = None;
            if ran != Ran::Conflict {
                break;
            }
        }
        (p.answer)(lost);
    }
}
