//! The one writer: a thread that owns the only connection that writes.
//!
//! Why: with `synchronous = FULL` every COMMIT waits for the disk (about 1,000 a second
//! here), and writers on pooled connections queue on SQLite's lock and each pay their
//! own sync. Here the writes waiting at the same moment run in ONE `BEGIN IMMEDIATE …
//! COMMIT` (group commit), one sync for all of them. Each write runs inside its own
//! SAVEPOINT, so a refusal (`Err`) or a panic undoes only that write's work, and every
//! caller hears back only after its batch's COMMIT returned: an acknowledged write is
//! as durable as the mode says. A batch ends with the work every batch owes (the
//! search index, see `messages::index_waiting`), outside the writes' savepoints.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::DbError;

/// A batch takes at most this many writes, or what arrives within this much work after
/// its first, so that the first caller is not kept waiting long.
const MAX_BATCH: usize = 64;
pub(super) const MAX_BATCH_WORK: Duration = Duration::from_millis(5);

thread_local! {
    /// Set on the writer's thread: a write submitted from inside a write would wait
    /// for itself forever.
    static ON_WRITER: Cell<bool> = const { Cell::new(false) };
}

/// One caller's write as the writer sees it, its types erased.
trait Job: Send {
    /// Runs the work inside the batch's transaction; whether it is kept (returned `Ok`).
    fn run(&mut self, tx: &Transaction) -> bool;
    /// Answers the caller: its own outcome, or `failed` when the batch did not commit.
    fn answer(self: Box<Self>, failed: Option<&DbError>);
}

struct Work<F, T, E, R> {
    work: Option<F>,
    outcome: Option<Result<T, E>>,
    reply: R,
}

impl<F, T, E, R> Job for Work<F, T, E, R>
where
    F: FnOnce(&Transaction) -> Result<T, E> + Send,
    T: Send,
    E: From<DbError> + Send,
    R: FnOnce(Result<T, E>) + Send,
{
    fn run(&mut self, tx: &Transaction) -> bool {
        let Some(work) = self.work.take() else { return false };
        let outcome = catch_unwind(AssertUnwindSafe(|| work(tx)))
            .unwrap_or_else(|_| Err(E::from(DbError::Task("a write panicked and was undone".into()))));
        let kept = outcome.is_ok();
        self.outcome = Some(outcome);
        kept
    }

    fn answer(self: Box<Self>, failed: Option<&DbError>) {
        let Work { work, outcome, reply } = *self;
        // Gone before the caller hears back (see `Writer::run_now`).
        drop(work);
        let outcome = match (outcome, failed) {
            // A write refused on its own keeps its own reason.
            (Some(Err(own)), _) => Err(own),
            (Some(Ok(value)), None) => Ok(value),
            (_, Some(e)) => Err(E::from(DbError::Commit(e.to_string()))),
            (None, None) => Err(E::from(DbError::Task("a write was never run".into()))),
        };
        reply(outcome)
    }
}

/// Commits and the writes they carried since start, for the metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriterUse {
    pub commits: u64,
    pub writes: u64,
}

#[derive(Default)]
struct Counters {
    commits: AtomicU64,
    writes: AtomicU64,
}

/// How the writer closes its batches.
pub(super) struct Batching {
    /// A batch stops taking writes this long after its first (`MAX_BATCH_WORK`).
    pub max_work: Duration,
    /// What every batch runs after its writes and before its COMMIT.
    pub finish: fn(&Connection) -> rusqlite::Result<()>,
}

/// The handle every `Db` clone holds; the thread ends when the last one is dropped.
#[derive(Clone)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Box<dyn Job>>,
    counters: Arc<Counters>,
}

impl Writer {
    /// The writer thread on `conn`, batching as `batching` says.
    pub(super) fn start(conn: Connection, batching: Batching) -> std::io::Result<Writer> {
        let (jobs, queue) = mpsc::channel();
        let counters = Arc::new(Counters::default());
        let seen = counters.clone();
        std::thread::Builder::new().name("atende-writer".into()).spawn(move || {
            ON_WRITER.with(|w| w.set(true));
            run(conn, queue, &seen, &batching);
        })?;
        Ok(Writer { jobs, counters })
    }

    /// Queues `work`; `reply` receives its outcome once its batch committed (or failed).
    pub(super) fn submit<F, T, E, R>(&self, work: F, reply: R)
    where
        F: FnOnce(&Transaction) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        R: FnOnce(Result<T, E>) + Send + 'static,
    {
        self.queue(Box::new(Work { work: Some(work), outcome: None, reply }));
    }

    /// Runs `work` and waits for its outcome, on a thread that may block. Unlike
    /// `submit`, `work` may borrow from the caller (the CLI and tests pass closures
    /// that do).
    pub(super) fn run_now<'a, F, T>(&self, work: F) -> Result<T, DbError>
    where
        F: FnOnce(&Transaction) -> Result<T, DbError> + Send + 'a,
        T: Send + 'a,
    {
        let (reply, answer) = mpsc::sync_channel(1);
        let reply = move |outcome| {
            let _ = reply.send(outcome);
        };
        let job: Box<dyn Job + 'a> = Box::new(Work { work: Some(work), outcome: None, reply });
        // SAFETY: only the lifetime is changed. What the job borrows lives until this
        // function returns, and it returns only once `answer` yields: either the
        // outcome, sent by `Work::answer` after the work was dropped and with nothing
        // else borrowed left in the job, or a disconnection, which happens when the
        // job's sender is dropped, after its other fields (declaration order). So
        // nothing that borrows is used after the borrow ends.
        let job = unsafe { std::mem::transmute::<Box<dyn Job + 'a>, Box<dyn Job + 'static>>(job) };
        self.queue(job);
        answer.recv().unwrap_or_else(|_| Err(DbError::Task("the database writer has stopped".into())))
    }

    fn queue(&self, job: Box<dyn Job>) {
        if ON_WRITER.with(Cell::get) {
            return job.answer(Some(&DbError::Task("a write started inside another write".into())));
        }
        if let Err(mpsc::SendError(job)) = self.jobs.send(job) {
            job.answer(Some(&DbError::Task("the database writer has stopped".into())));
        }
    }

    pub(super) fn usage(&self) -> WriterUse {
        WriterUse {
            commits: self.counters.commits.load(Ordering::Relaxed),
            writes: self.counters.writes.load(Ordering::Relaxed),
        }
    }
}

/// The writer's loop: a batch per turn, until every handle is gone.
fn run(mut conn: Connection, queue: mpsc::Receiver<Box<dyn Job>>, counters: &Counters, batching: &Batching) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        let outcome = batch_once(&mut conn, &queue, &mut batch, batching);
        if outcome.is_ok() {
            counters.commits.fetch_add(1, Ordering::Relaxed);
            counters.writes.fetch_add(batch.len() as u64, Ordering::Relaxed);
        } else if let Err(e) = &outcome {
            tracing::error!(error = %e, writes = batch.len(), "a batch of writes did not commit");
            // Never leave the next batch inside this one's transaction.
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
        }
        for job in batch {
            job.answer(outcome.as_ref().err());
        }
    }
}

/// Runs `batch`'s first job and whatever else is waiting (up to the bounds) in one
/// transaction, each in its own savepoint, then `finish`, then commits.
fn batch_once(
    conn: &mut Connection,
    queue: &mpsc::Receiver<Box<dyn Job>>,
    batch: &mut Vec<Box<dyn Job>>,
    batching: &Batching,
) -> Result<(), DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut next = 0;
    // Counted from the end of the first write, however long that one took.
    let mut started = None;
    loop {
        if next == batch.len() {
            let first_done = *started.get_or_insert_with(Instant::now);
            if batch.len() >= MAX_BATCH || first_done.elapsed() >= batching.max_work {
                break;
            }
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // Prepared once: parsing these three was a measurable part of every write.
        tx.prepare_cached("SAVEPOINT write")?.execute([])?;
        let kept = batch[next].run(&tx);
        next += 1;
        // A statement that ends the transaction itself (a full disk, an I/O error)
        // leaves nothing to roll back to: the batch fails whole.
        if tx.is_autocommit() {
            return Err(DbError::Task("the transaction ended inside a write".into()));
        }
        if !kept {
            tx.prepare_cached("ROLLBACK TO write")?.execute([])?;
        }
        tx.prepare_cached("RELEASE write")?.execute([])?;
    }
    (batching.finish)(&tx)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::super::{Db, DbResult};
    use super::*;

    fn tag(tx: &Transaction, name: &str) -> DbResult<i64> {
        tx.execute("INSERT INTO tags (name) VALUES (?1)", [name])?;
        Ok(tx.last_insert_rowid())
    }

    /// A database whose writer takes every waiting write into one batch however long
    /// they take (a slow machine, a panic's backtrace), so a test can count batches.
    fn unbounded(dir: &std::path::Path) -> Db {
        let path = dir.join("t.db");
        let db = Db::open(&path).unwrap();
        let mut conn = Connection::open(&path).unwrap();
        super::super::configure(&mut conn, super::super::Synchronous::Normal).unwrap();
        let batching = Batching { max_work: Duration::MAX, finish: crate::db::messages::index_waiting };
        Db { writer: Writer::start(conn, batching).unwrap(), ..db }
    }

    fn tags(db: &Db) -> Vec<String> {
        db.read_now(|c| {
            let mut stmt = c.prepare("SELECT name FROM tags ORDER BY name")?;
            let names = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(names)
        })
        .unwrap()
    }

    /// Five writes queued behind a first that waits: one batch, one commit; the refused
    /// and the panicking write are undone, the others kept, and the writer goes on.
    #[test]
    fn a_refused_or_panicking_write_undoes_only_itself() {
        let dir = tempfile::tempdir().unwrap();
        let db = unbounded(dir.path());
        let before = db.writer_use();
        let (go, wait) = mpsc::channel::<()>();
        let (done, outcomes) = mpsc::channel::<(usize, DbResult<i64>)>();
        let reply = |n: usize| {
            let done = done.clone();
            move |outcome| done.send((n, outcome)).unwrap()
        };
        db.writer.submit(
            move |tx: &Transaction| {
                wait.recv().unwrap();
                tag(tx, "primeira")
            },
            reply(0),
        );
        db.writer.submit(|tx: &Transaction| tag(tx, "segunda"), reply(1));
        db.writer.submit(
            |tx: &Transaction| {
                tag(tx, "recusada")?;
                Err(DbError::Task("refused".into()))
            },
            reply(2),
        );
        db.writer.submit(
            |tx: &Transaction| -> DbResult<i64> {
                tag(tx, "em pânico")?;
                panic!("a bug in a use case")
            },
            reply(3),
        );
        db.writer.submit(|tx: &Transaction| tag(tx, "quinta"), reply(4));
        go.send(()).unwrap();
        let mut got: Vec<_> = (0..5).map(|_| outcomes.recv().unwrap()).collect();
        got.sort_by_key(|(n, _)| *n);
        assert!(got[0].1.is_ok() && got[1].1.is_ok() && got[4].1.is_ok(), "{got:?}");
        assert!(matches!(&got[2].1, Err(DbError::Task(m)) if m == "refused"), "its own error: {got:?}");
        assert!(matches!(&got[3].1, Err(DbError::Task(m)) if m.contains("panicked")), "{got:?}");
        assert_eq!(tags(&db), ["primeira", "quinta", "segunda"]);
        let after = db.writer_use();
        assert_eq!((after.commits - before.commits, after.writes - before.writes), (1, 5), "one batch");
        // The writer survived the panic.
        db.write_now(|tx| tag(tx, "depois")).unwrap();
        assert!(tags(&db).contains(&"depois".to_string()));
    }

    /// A batch whose commit fails (here: deferred foreign keys violated by one write)
    /// fails every write of it, and none is stored.
    #[test]
    fn a_failed_commit_fails_every_write_of_the_batch() {
        let dir = tempfile::tempdir().unwrap();
        let db = unbounded(dir.path());
        let (go, wait) = mpsc::channel::<()>();
        let (done, outcomes) = mpsc::channel::<DbResult<i64>>();
        let reply = || {
            let done = done.clone();
            move |outcome| done.send(outcome).unwrap()
        };
        db.writer.submit(
            move |tx: &Transaction| {
                wait.recv().unwrap();
                tag(tx, "antes")
            },
            reply(),
        );
        db.writer.submit(
            |tx: &Transaction| {
                tx.execute_batch(
                    "PRAGMA defer_foreign_keys = ON;
                     INSERT INTO conversation_tags (conversation_id, tag_id) VALUES (999, 999);",
                )?;
                Ok(0)
            },
            reply(),
        );
        go.send(()).unwrap();
        let got: Vec<_> = (0..2).map(|_| outcomes.recv().unwrap()).collect();
        assert!(got.iter().all(|o| matches!(o, Err(DbError::Commit(_)))), "{got:?}");
        assert!(tags(&db).is_empty());
        db.write_now(|tx| tag(tx, "depois")).unwrap();
        assert_eq!(tags(&db), ["depois"]);
    }

    #[test]
    fn a_write_inside_a_write_is_refused_instead_of_waiting_forever() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        let inner = db.clone();
        let nested = db.write_now(move |tx| {
            tag(tx, "fora")?;
            Ok(inner.write_now(|tx| tag(tx, "dentro")).is_err())
        });
        assert_eq!(nested.unwrap(), true);
        assert_eq!(tags(&db), ["fora"]);
    }

    /// 200 writers at once: each hears its own row's id, every row is there, and they
    /// shared commits.
    #[rocket::async_test]
    async fn parallel_writers_each_get_their_own_result() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        let before = db.writer_use();
        let tasks: Vec<_> = (0..200)
            .map(|n| {
                let db = db.clone();
                rocket::tokio::spawn(async move {
                    let name = format!("etiqueta {n:03}");
                    let id = db.write(move |tx| tag(tx, &name)).await.unwrap();
                    (n, id)
                })
            })
            .collect();
        let mut ids = Vec::new();
        for task in tasks {
            let (n, id) = task.await.unwrap();
            let name: String = db
                .read(move |c| Ok(c.query_row("SELECT name FROM tags WHERE id = ?1", [id], |r| r.get(0))?))
                .await
                .unwrap();
            assert_eq!(name, format!("etiqueta {n:03}"), "each writer gets its own row");
            ids.push(id);
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 200);
        assert_eq!(tags(&db).len(), 200);
        assert_eq!(db.writer_use().writes - before.writes, 200);
    }

    #[test]
    fn the_pool_cannot_write_and_full_is_applied_to_every_connection() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_with(&dir.path().join("t.db"), super::super::Synchronous::Full).unwrap();
        let pragma = "PRAGMA synchronous";
        assert_eq!(db.write_now(move |tx| Ok(tx.query_row(pragma, [], |r| r.get::<_, i64>(0))?)).unwrap(), 2);
        assert_eq!(db.read_now(|c| Ok(c.query_row(pragma, [], |r| r.get::<_, i64>(0))?)).unwrap(), 2);
        let bypass = db.read_now(|c| Ok(c.execute("INSERT INTO tags (name) VALUES ('x')", [])?));
        assert!(bypass.is_err(), "reads are read-only");
        let normal = Db::open(&dir.path().join("n.db")).unwrap();
        assert_eq!(normal.write_now(move |tx| Ok(tx.query_row(pragma, [], |r| r.get::<_, i64>(0))?)).unwrap(), 1);
    }
}
