//! Moving the write-ahead log into the database file, on a thread of its own.
//!
//! Why: SQLite checkpoints by itself inside the COMMIT that finds the log past 1,000
//! pages, on the writer's thread. That copy and its two syncs made every write waiting
//! behind that batch wait too, tens of milliseconds on a busy disk. Here the writer
//! only rings after each COMMIT; this thread, with a connection of the pool, runs a
//! passive checkpoint (one that never waits for readers or the writer) at most every
//! `BUSY` while the log grows fast, and every `QUIET` otherwise, so that a floor with
//! a write now and then does not sync its disk four times a second. The writer's own
//! automatic checkpoint stays, at a far larger log (`WRITER_AUTOCHECKPOINT`), for when
//! this thread cannot keep up.

use std::sync::mpsc;
use std::time::Duration;

use super::Pool;

/// How long the thread lets commits gather before it checkpoints what they wrote:
/// `BUSY` after a checkpoint that copied at least `BUSY_PAGES` pages, `QUIET` after one
/// that copied fewer.
const BUSY: Duration = Duration::from_millis(250);
const QUIET: Duration = Duration::from_secs(1);
const BUSY_PAGES: i64 = 256;

/// The writer checkpoints by itself only past this many pages in the log (40 MB).
pub(super) const WRITER_AUTOCHECKPOINT: u32 = 10_000;

/// Starts the thread; what it returns is the bell the writer rings after each COMMIT.
/// The thread ends when the bell is dropped (with the writer).
pub(super) fn start(pool: Pool) -> std::io::Result<mpsc::SyncSender<()>> {
    let (bell, rung) = mpsc::sync_channel(1);
    std::thread::Builder::new().name("atende-checkpoint".into()).spawn(move || {
        let (mut wait, mut done_before) = (QUIET, 0);
        while rung.recv().is_ok() {
            std::thread::sleep(wait);
            // The commits that rang meanwhile are covered by this checkpoint.
            while rung.try_recv().is_ok() {}
            wait = match checkpoint(&pool) {
                Ok(done) => {
                    // Fewer than before: the writer started the log over meanwhile.
                    let copied = if done >= done_before { done - done_before } else { done };
                    done_before = done;
                    if copied >= BUSY_PAGES {
                        BUSY
                    } else {
                        QUIET
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the write-ahead log could not be checkpointed");
                    QUIET
                }
            };
        }
    })?;
    Ok(bell)
}

/// A passive checkpoint; how many pages of the log are now in the file.
fn checkpoint(pool: &Pool) -> Result<i64, super::DbError> {
    let conn = pool.get()?;
    // Columns: busy, pages in the log, pages of the log now in the file (counted from
    // the log's start, which the writer resets once all of it is in the file). Busy
    // (`privacy`'s checkpoint is running) is not an error: the next ring tries again.
    let (log, done): (i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| Ok((r.get(1)?, r.get(2)?)))?;
    Ok(if log > 0 { done } else { 0 })
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::super::Db;

    /// Commits far below the writer's own threshold still reach the database file soon
    /// after, copied by the checkpointer: the file grows while the log stops growing.
    #[test]
    fn commits_reach_the_file_without_the_writer_checkpointing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let db = Db::open(&path).unwrap();
        let size = || std::fs::metadata(&path).unwrap().len();
        let before = size();
        // About 300 pages of the log, a thirtieth of `WRITER_AUTOCHECKPOINT`.
        for i in 0..300 {
            db.write_now(move |tx| {
                tx.execute("INSERT INTO tags (name) VALUES (?1)", [format!("{i:04}{}", "x".repeat(3000))])?;
                Ok(())
            })
            .unwrap();
        }
        let wrote = Instant::now();
        while size() < before + 300 * 3000 {
            assert!(wrote.elapsed() < std::time::Duration::from_secs(10), "the log was never checkpointed");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}
