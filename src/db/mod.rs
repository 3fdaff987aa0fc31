//! SQLite storage: the read pool, the one writer (`writer`), their pragmas, embedded
//! migrations and the helpers that move blocking database work off the async executor.

pub mod api_idempotency;
pub mod api_reads;
pub mod api_tokens;
pub mod audit;
pub mod backup;
pub mod channel_state;
pub mod channels;
pub mod contact_fields;
pub mod contacts;
pub mod conversation_pane;
pub mod conversations;
pub mod cross_channel;
pub mod export_jobs;
pub mod floor_lists;
pub mod flows;
pub mod groups;
pub mod history;
pub mod internal_chat;
pub mod links;
pub mod messages;
pub mod metrics;
pub mod monitoring;
pub mod monitoring_thresholds;
pub mod notifications;
pub mod outbox;
pub mod paging;
pub mod parsed;
pub mod pauses;
pub mod phrases;
pub mod privacy;
pub mod protocol_links;
pub mod reports;
pub mod schedules;
pub mod server_lock;
pub mod sessions;
pub mod settings;
pub mod survey_answers;
pub mod surveys;
pub mod tabulations;
pub mod tags;
pub mod team_rules;
pub mod teams;
pub mod telephony;
pub mod templates;
pub mod upkeep;
pub mod users;
pub mod webhook_deliveries;
pub mod webhook_payloads;
pub mod webhooks;
pub mod word_filter;
pub mod writer;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, Transaction};
use rusqlite_migration::{Migrations, M};
use serde::{Deserialize, Serialize};

pub use writer::WriterUse;

pub type Pool = r2d2::Pool<SqliteConnectionManager>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database migration: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    #[error("database task failed: {0}")]
    Task(String),
    /// The batch this write was part of did not commit: nothing of it was stored.
    #[error("database commit failed: {0}")]
    Commit(String),
}

/// How far a commit has gone when the caller hears of it (SQLite's `synchronous`, in
/// WAL mode). `Normal` survives a crash of the process but may lose the last commits
/// on power loss; `Full` waits for the disk on every commit (the writer groups
/// concurrent writes so that they share one wait).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Synchronous {
    #[default]
    #[serde(alias = "NORMAL")]
    Normal,
    #[serde(alias = "FULL")]
    Full,
}

impl Synchronous {
    pub fn as_str(self) -> &'static str {
        match self {
            Synchronous::Normal => "normal",
            Synchronous::Full => "full",
        }
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// Numbered migrations, embedded; applied at start and recorded in `user_version`.
/// Never edit one that has landed: add the next number.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/0001_accounts.sql")),
        M::up(include_str!("../../migrations/0002_administration.sql")),
        M::up(include_str!("../../migrations/0003_conversations.sql")),
        M::up(include_str!("../../migrations/0004_profile.sql")),
        M::up(include_str!("../../migrations/0005_queue_overflow.sql")),
        M::up(include_str!("../../migrations/0006_contact_changes.sql")),
        M::up(include_str!("../../migrations/0008_floor_prefs.sql")),
        M::up(include_str!("../../migrations/0009_phones_e164.sql")),
        M::up(include_str!("../../migrations/0010_outbox_lease.sql")),
        M::up(include_str!("../../migrations/0011_channel_edges.sql")),
        M::up(include_str!("../../migrations/0012_conversation_subject.sql")),
        M::up(include_str!("../../migrations/0013_template_sends.sql")),
        M::up(include_str!("../../migrations/0014_flows.sql")).foreign_key_check(),
        M::up(include_str!("../../migrations/0015_reports.sql")),
        M::up(include_str!("../../migrations/0017_template_media_header.sql")),
        M::up(include_str!("../../migrations/0018_survey_inactivity.sql")),
        M::up(include_str!("../../migrations/0019_report_facts.sql")),
        M::up(include_str!("../../migrations/0020_privacy_protocols_exports.sql")),
        M::up(include_str!("../../migrations/0021_export_jobs.sql")),
        M::up(include_str!("../../migrations/0022_message_indexes.sql")),
        M::up(include_str!("../../migrations/0023_notification_centre.sql")),
        M::up(include_str!("../../migrations/0024_internal_chat.sql")),
        M::up(include_str!("../../migrations/0025_monitoring.sql")),
        M::up(include_str!("../../migrations/0026_api_tokens.sql")),
        M::up(include_str!("../../migrations/0027_webhooks.sql")),
        M::up(include_str!("../../migrations/0028_team_chat_switch.sql")),
        M::up(include_str!("../../migrations/0029_api_message_authors.sql")),
        M::up(include_str!("../../migrations/0030_message_search_batched.sql")),
    ])
}

/// How many connections the pool holds and how many of them are idle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    pub connections: u32,
    pub idle: u32,
    pub max: u32,
}

/// Handle to the database shared by web handlers, jobs and the CLI.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    /// Every write goes through it (see `writer`); the pool only reads.
    writer: writer::Writer,
    /// The folder of the database file (attachments live under it).
    dir: std::path::PathBuf,
    /// Moves whenever who may see what changed (team members, history permissions,
    /// groups, accounts switched off): the use cases that change it call
    /// `access_changed` after they commit, and a live stream reloads its viewer when the
    /// number it holds is behind.
    access: Arc<AtomicU64>,
}

impl Db {
    /// Opens (creating if needed) the database file and applies pending migrations,
    /// with `synchronous = NORMAL`.
    pub fn open(path: &Path) -> DbResult<Db> {
        Db::open_with(path, Synchronous::Normal)
    }

    /// Like `open`, committing as `synchronous` says.
    pub fn open_with(path: &Path, synchronous: Synchronous) -> DbResult<Db> {
        sqlite_without_memory_statistics();
        create_private(path)?;
        // WAL is a property of the file: switch it once, on one connection, before the
        // pool opens several at the same time (they would race for the lock).
        {
            let mut conn = Connection::open(path)?;
            conn.busy_timeout(Duration::from_secs(5))?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            // Off while migrating: a table rebuilt to change a constraint is dropped
            // and renamed, and with foreign keys on the drop would delete what refers
            // to it. Migrations that rebuild check every key before they commit.
            conn.pragma_update(None, "foreign_keys", "OFF")?;
            migrations().to_latest(&mut conn)?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            upkeep::run(&mut conn)?;
        }
        let mut conn = Connection::open(path)?;
        configure(&mut conn, synchronous)?;
        let batching = writer::Batching { max_work: writer::MAX_BATCH_WORK, finish: messages::index_waiting };
        let writer = writer::Writer::start(conn, batching)?;
        // Read-only, so that no write can bypass the writer (and its durability).
        let manager = SqliteConnectionManager::file(path).with_init(move |c| {
            configure(c, synchronous)?;
            c.pragma_update(None, "query_only", true)
        });
        // No test query on every checkout: a SQLite connection does not go stale, and
        // the `SELECT 1` was parsed anew for every read. Two connections are kept when
        // idle (each holds its own copy of the schema and page cache); more open under
        // load and close after the pool's idle timeout.
        let pool = r2d2::Pool::builder()
            .max_size(8)
            .min_idle(Some(2))
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(10))
            .build(manager)?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_else(|| std::path::PathBuf::from("."));
        Ok(Db { pool, writer, dir, access: Arc::default() })
    }

    /// The data directory: the folder of the database file.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Says, after a commit, that who may see what has changed.
    pub fn access_changed(&self) {
        self.access.fetch_add(1, Ordering::AcqRel);
    }

    /// Read before loading a viewer, so a change committed meanwhile moves it again.
    pub fn access_version(&self) -> u64 {
        self.access.load(Ordering::Acquire)
    }

    /// Runs read work on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> DbResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> DbResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        rocket::tokio::task::spawn_blocking(move || {
            let conn = pool.get()?;
            f(&conn)
        })
        .await
        .map_err(|e| DbError::Task(e.to_string()))?
    }

    /// A read of a few rows by an index (a token, a key, an id): on the calling thread
    /// when a pooled connection is idle, otherwise like `read`. The hop to a blocking
    /// thread and back costs more than such a read: under web chat load, waking threads
    /// was a third of the server's CPU. Never for anything that scans or sorts, which
    /// would hold up the async worker and every request on it.
    pub async fn read_point<T, F>(&self, f: F) -> DbResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> DbResult<T> + Send + 'static,
    {
        match self.pool.try_get() {
            Some(conn) => f(&conn),
            None => self.read(f).await,
        }
    }

    /// Runs write work on the writer, inside `BEGIN IMMEDIATE … COMMIT` shared with the
    /// writes waiting at the same moment; an error rolls back this work only. Answers
    /// once the commit returned.
    pub async fn write<T, F>(&self, f: F) -> DbResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> DbResult<T> + Send + 'static,
    {
        self.transact(f).await
    }

    /// Like `write`, for use cases that may refuse with their own error: the work is
    /// kept only when the closure returns `Ok`; a refusal rolls all of it back.
    pub async fn transact<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&Transaction) -> Result<T, E> + Send + 'static,
    {
        let (reply, answer) = rocket::tokio::sync::oneshot::channel();
        self.writer.submit(f, move |outcome| {
            let _ = reply.send(outcome);
        });
        answer.await.unwrap_or_else(|_| Err(E::from(DbError::Task("the database writer has stopped".into()))))
    }

    /// The pool's connections now, for the metrics.
    pub fn pool_use(&self) -> PoolUse {
        let state = self.pool.state();
        PoolUse { connections: state.connections, idle: state.idle_connections, max: self.pool.max_size() }
    }

    /// The schema's version and the number of migrations this build embeds: equal once
    /// every migration is applied (the readiness check).
    pub async fn schema(&self) -> DbResult<(i64, i64)> {
        self.read(|c| {
            let pending = migrations().pending_migrations(c)?;
            let applied: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            Ok((applied, applied + i64::from(pending)))
        })
        .await
    }

    /// Whether the database answers a query, for the health check.
    pub async fn answers(&self) -> bool {
        matches!(self.read(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)).await, Ok(1))
    }

    /// Synchronous write, for the CLI and start-up code that is not on the executor.
    pub fn write_now<T: Send>(&self, f: impl FnOnce(&Transaction) -> DbResult<T> + Send) -> DbResult<T> {
        self.writer.run_now(f)
    }

    /// Commits and writes the writer has done since start, for the metrics.
    pub fn writer_use(&self) -> WriterUse {
        self.writer.usage()
    }

    /// Synchronous read, for the CLI and start-up code that is not on the executor.
    pub fn read_now<T>(&self, f: impl FnOnce(&Connection) -> DbResult<T>) -> DbResult<T> {
        let conn = self.pool.get()?;
        f(&conn)
    }
}

/// Statements each connection keeps prepared (`prepare_cached`): rusqlite's default of
/// 16 is fewer than one visitor message runs, so every statement was parsed again.
const STATEMENT_CACHE: usize = 128;

/// SQLite counts the memory it holds under one global mutex taken on every allocation,
/// which threads reading and writing at once queue on; nothing here reads the count.
/// Only possible before SQLite's first use in the process; later it is refused, and
/// the count simply stays on.
fn sqlite_without_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: a configuration call with its documented int argument; SQLite refuses
        // it (SQLITE_MISUSE, ignored) once initialised, so it cannot race a connection.
        unsafe {
            rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::os::raw::c_int);
        }
    });
}

fn configure(conn: &mut Connection, synchronous: Synchronous) -> rusqlite::Result<()> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "synchronous", synchronous.as_str())?;
    // secure_delete: what is deleted or overwritten is zeroed in the file, so an
    // anonymised contact (LGPD) leaves no readable trace in free pages.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA secure_delete = ON;",
    )
}

/// Creates an empty file readable only by its owner, unless it exists. The database
/// holds password hashes and two-factor secrets; SQLite gives its -wal and -shm files
/// the same permissions as the database file.
pub fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Current time in unix milliseconds, the one time format stored.
/// The data directory: the folder of the database file (attachments live under it).
pub fn data_dir(conn: &Connection) -> DbResult<std::path::PathBuf> {
    let file: String = conn.query_row("SELECT file FROM pragma_database_list WHERE name = 'main'", [], |r| r.get(0))?;
    Ok(Path::new(&file).parent().map(Path::to_path_buf).unwrap_or_else(|| std::path::PathBuf::from(".")))
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Ids as one bound parameter: a JSON array that `json_each(?)` reads, so a list of
/// any length is one query and no SQL is assembled from values.
pub fn json_ids(ids: impl IntoIterator<Item = i64>) -> String {
    let ids: Vec<String> = ids.into_iter().map(|id| id.to_string()).collect();
    format!("[{}]", ids.join(","))
}

/// Whether another row of `table` has this name, compared case- and accent-insensitively
/// (SQLite's NOCASE folds ASCII only). `table` is always a constant of ours.
pub fn name_taken(conn: &Connection, table: &'static str, name: &str, except: Option<i64>) -> DbResult<bool> {
    let wanted = crate::domain::text::fold(name.trim());
    let mut stmt = conn.prepare(&format!("SELECT name FROM {table} WHERE id IS NOT ?1"))?;
    let mut rows = stmt.query([except])?;
    while let Some(row) = rows.next()? {
        if crate::domain::text::fold(row.get_ref(0)?.as_str().unwrap_or_default()) == wanted {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A point read answers on the calling thread while a connection is idle, and
    /// waits for one like `read` when every connection is taken.
    #[rocket::async_test]
    async fn a_point_read_waits_for_a_connection_when_all_are_taken() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("atende.db")).unwrap();
        // The thread the read ran on, and its answer.
        let where_read = |c: &Connection| -> DbResult<(std::thread::ThreadId, i64)> {
            Ok((std::thread::current().id(), c.query_row("SELECT 1", [], |r| r.get(0))?))
        };
        let caller = std::thread::current().id();
        let (on, _) = db.read_point(where_read).await.unwrap();
        assert_eq!(on, caller, "an idle connection is used where the read was asked");

        let taken: Vec<_> = (0..db.pool.max_size()).map(|_| db.pool.get().unwrap()).collect();
        assert!(db.pool.try_get().is_none());
        let freed = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            drop(taken);
        });
        let (on, one) = db.read_point(where_read).await.unwrap();
        assert_eq!(one, 1);
        assert_ne!(on, caller, "with no idle connection the read went to a blocking thread");
        freed.join().unwrap();
    }

    /// A database at 0013 (the twelfth migration: there is no 0007) with the floor's
    /// rows keeps every one of them through the rebuild of `conversations`, and the
    /// tables that refer to it still do.
    #[test]
    fn the_conversations_rebuild_keeps_everything() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "foreign_keys", "ON").unwrap();
            migrations().to_version(&mut conn, 12).unwrap();
            conn.execute_batch(
                "INSERT INTO users (id, name, username, email, role, password_hash, created_at, updated_at)
                     VALUES (1, 'Ana', 'ana', 'ana@x', 'agent', '', 0, 0);
                 INSERT INTO teams (id, name, created_at) VALUES (1, 'Vendas', 0);
                 INSERT INTO channels (id, kind, name, key, default_team_id, created_at) VALUES (1, 'webchat', 'Site', 'k', 1, 0);
                 INSERT INTO contacts (id, name, created_at, updated_at) VALUES (1, 'Bia', 0, 0), (2, 'Caio', 0, 0);
                 INSERT INTO conversations (id, protocol, channel_id, contact_id, team_id, agent_id, status, opened_at,
                     queued_at, last_message_at, subject)
                     VALUES (1, 'WC1', 1, 1, 1, 1, 'active', 0, 0, 5, 'Assunto'),
                            (2, 'WC2', 1, 2, 1, NULL, 'closed', 0, 0, 6, '');
                 INSERT INTO messages (conversation_id, channel_id, direction, body, created_at)
                     VALUES (1, 1, 'in', 'oi', 1), (1, 1, 'out', 'olá', 2), (2, 1, 'in', 'tchau', 3);
                 INSERT INTO tags (id, name) VALUES (1, 'vip');
                 INSERT INTO conversation_tags VALUES (1, 1);
                 INSERT INTO conversation_participants VALUES (1, 1, NULL, 0);",
            )
            .unwrap();
        }
        let db = Db::open(&path).unwrap();
        let counts =
            |sql: &'static str| db.read_now(move |c| Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))?)).unwrap();
        assert_eq!(counts("SELECT count(*) FROM conversations"), 2);
        assert_eq!(counts("SELECT count(*) FROM messages"), 3);
        assert_eq!(counts("SELECT count(*) FROM conversation_tags"), 1);
        assert_eq!(counts("SELECT count(*) FROM conversation_participants"), 1);
        // The search index, built again by a later migration, with each message's conversation.
        assert_eq!(counts("SELECT conversation_id FROM message_search WHERE message_search MATCH 'tchau'"), 2);
        assert_eq!(counts("SELECT count(*) FROM conversations WHERE subject = 'Assunto' AND agent_id = 1"), 1);
        // The rebuild's four indexes, and the one a later migration adds (reports).
        let indexes = counts(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'conversations'
               AND name IN ('conversations_one_open', 'conversations_queue', 'conversations_agent',
                            'conversations_contact', 'conversations_closed')",
        );
        assert_eq!(indexes, 5);
        db.write_now(|tx| {
            tx.execute("UPDATE conversations SET status = 'bot' WHERE id = 1", [])?;
            // Still one open conversation per contact and channel.
            let twice = tx.execute(
                "INSERT INTO conversations (protocol, channel_id, contact_id, status, opened_at, queued_at, last_message_at)
                 VALUES ('WC3', 1, 1, 'waiting', 0, 0, 0)",
                [],
            );
            assert!(twice.is_err());
            // Messages still belong to conversations: deleting one takes its messages.
            tx.execute("DELETE FROM conversations WHERE id = 2", [])?;
            Ok(())
        })
        .unwrap();
        assert_eq!(counts("SELECT count(*) FROM messages"), 2);
        let orphan = db.write_now(|tx| {
            Ok(tx.execute(
                "INSERT INTO messages (conversation_id, channel_id, direction, created_at) VALUES (99, 1, 'in', 0)",
                [],
            )?)
        });
        assert!(orphan.is_err(), "foreign keys are on again");
    }

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn open_applies_migrations_and_pragmas() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        let (mode, fk): (String, i64) = db
            .read_now(|c| {
                Ok((
                    c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                    c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
                ))
            })
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("t.db")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "the database holds secrets");
        }
    }
}
