//! The writer: one thread owns the SQLite connection. Callers hand it work; it runs whatever is
//! waiting in one transaction, each caller's part in a savepoint of its own, commits once (one
//! sync for the group), and only then answers each caller: with its result, or with the commit's
//! error if the commit failed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;
use wabakit_core::{Error, Result};

use crate::schema;
use crate::store_error;
use crate::url::{StoreUrl, Sync};

/// A caller's part: it runs on the writer's connection and says whether it succeeded, and how to
/// answer (with the commit's error instead, if the commit fails).
type Work = Box<dyn FnOnce(&Connection) -> Done + Send>;

struct Done {
    ok: bool,
    answer: Box<dyn FnOnce(Option<Error>) + Send>,
}

/// How many callers' parts one transaction takes at most.
const GROUP: usize = 1024;

/// A handle on the writer thread; clones share it, and the thread ends with the last one.
#[derive(Clone)]
pub struct Writer {
    work: mpsc::Sender<Work>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

fn connect(url: &StoreUrl) -> Result<Connection> {
    let open = |e| store_error(&format!("opening {url}"), e);
    // One thread uses the connection: SQLite's own per-call locking is not needed.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match url {
        StoreUrl::Memory => Connection::open_in_memory_with_flags(flags).map_err(open)?,
        StoreUrl::Sqlite { path, .. } => Connection::open_with_flags(path, flags).map_err(open)?,
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

impl Writer {
    /// Open the store, bring its schema up to date, and start the thread.
    pub fn start(url: &StoreUrl) -> Result<Writer> {
        let mut conn = connect(url)?;
        let now = wabakit_core::Clock::unix_millis(&wabakit_core::SystemClock);
        let tx = conn
            .transaction()
            .map_err(|e| store_error("migrating", e))?;
        let applied = schema::migrate(&tx, now)?;
        tx.commit().map_err(|e| store_error("migrating", e))?;
        if !applied.is_empty() {
            tracing::info!(store = %url, ?applied, "store migrated");
        }
        let (work, rx) = mpsc::channel::<Work>();
        std::thread::Builder::new()
            .name("wabakit-store".into())
            .spawn(move || serve(conn, rx))
            .map_err(|e| store_error("starting the writer", e))?;
        Ok(Writer { work })
    }

    /// Run `f` in the next group's transaction; its result once the group is committed.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = oneshot::channel();
        let work: Work = Box::new(move |conn| {
            let r = f(conn);
            Done {
                ok: r.is_ok(),
                answer: Box::new(move |failed| {
                    let _ = tx.send(match failed {
                        Some(e) => Err(e),
                        None => r,
                    });
                }),
            }
        });
        self.work
            .send(work)
            .map_err(|_| store_error("writing", "the store's writer has stopped"))?;
        rx.await
            .map_err(|_| store_error("writing", "the store's writer dropped the work (a bug)"))?
    }
}

/// Run one of the transaction's control statements, prepared once (SQLite would parse it again
/// at every call otherwise, which was most of a small write's cost).
fn control(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(drop)
}

fn serve(conn: Connection, rx: mpsc::Receiver<Work>) {
    while let Ok(first) = rx.recv() {
        let mut group = vec![first];
        while group.len() < GROUP {
            match rx.try_recv() {
                Ok(w) => group.push(w),
                Err(_) => break,
            }
        }
        if let Err(e) = control(&conn, "BEGIN IMMEDIATE") {
            // Not run: dropping the parts tells their callers through the closed channels.
            drop(group);
            tracing::error!(error = %e, "store: cannot begin a transaction");
            continue;
        }
        let mut answers = Vec::with_capacity(group.len());
        // A part alone needs no savepoint: if it fails, the transaction is rolled back whole.
        let alone = group.len() == 1;
        let mut failed_alone = false;
        for w in group {
            if !alone && control(&conn, "SAVEPOINT part").is_err() {
                continue;
            }
            // A panicking part is undone alone; its caller hears of it by the dropped answer.
            let done = catch_unwind(AssertUnwindSafe(|| w(&conn)));
            let ok = matches!(&done, Ok(d) if d.ok);
            let kept = if alone {
                failed_alone = !ok;
                ok
            } else {
                let kept = ok && control(&conn, "RELEASE part").is_ok();
                if !kept {
                    // Undone: the part's changes go, the transaction goes on.
                    let _ = control(&conn, "ROLLBACK TO part");
                    let _ = control(&conn, "RELEASE part");
                }
                kept
            };
            match done {
                Ok(d) => {
                    let failed = (d.ok && !kept)
                        .then(|| store_error("committing", "a part could not be kept"));
                    answers.push((d.answer, failed));
                }
                Err(_) => tracing::error!("store: a write panicked; undone"),
            }
        }
        if failed_alone {
            let _ = control(&conn, "ROLLBACK");
            answers.into_iter().for_each(|(a, failed)| a(failed));
            continue;
        }
        match control(&conn, "COMMIT") {
            Ok(()) => answers.into_iter().for_each(|(a, failed)| a(failed)),
            Err(e) => {
                let _ = control(&conn, "ROLLBACK");
                let msg = e.to_string();
                for (a, _) in answers {
                    a(Some(store_error("committing", &msg)));
                }
            }
        }
    }
}
