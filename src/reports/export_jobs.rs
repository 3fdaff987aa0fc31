//! Long exports of the history: past `threshold` rows a request does not build the file
//! but reserves a job (one waiting or being built per user); the worker builds the jobs
//! one at a time with the same writer as a direct export, recording its progress, into
//! the data directory's exports/ under a random name; the owner downloads it from
//! "Exportações" for `LIFETIME_MS`, then it expires and the file is deleted.

use std::sync::Arc;

use rocket::tokio::sync::Notify;

use super::criteria::{FieldErrors, HistoryQuery};
use super::export::{
    audit_history_export, audited_filters, export_history, history_file_name, write_history, Export, SheetKind,
};
use super::history::criteria_of;
use crate::accounts::Actor;
use crate::db::export_jobs::{self, Claimed, ExportJob, NewJob};
use crate::db::reports::history::count;
use crate::db::reports::Scope;
use crate::db::{now_ms, Db, DbError, DbResult};

/// How long a built export can be downloaded.
pub const LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;
/// How many of a user's exports their page lists.
const LISTED: i64 = 20;

/// Wakes the worker when a job is queued.
#[derive(Clone, Default)]
pub struct ExportQueue(Arc<Notify>);

impl ExportQueue {
    pub fn wake(&self) {
        self.0.notify_one();
    }

    pub async fn woken(&self) {
        self.0.notified().await
    }
}

/// A history export as asked: whose view, which filters, format and language.
pub struct HistoryExport {
    pub scope: Scope,
    pub query: HistoryQuery,
    pub kind: SheetKind,
    pub lang: &'static str,
    pub actor: Actor,
}

/// The answer to an export request.
pub enum Requested {
    /// Small enough: the file itself, audited.
    Now(Export),
    /// Queued for the worker.
    Queued,
    /// Refused: the user already has one waiting or being built.
    Busy,
    /// Filters that are no filters.
    Refused(FieldErrors),
}

fn exports_dir(db: &Db) -> std::path::PathBuf {
    db.dir().join("exports")
}

/// The file now, or past `threshold` rows a queued job.
pub async fn request_history_export(
    db: &Db,
    queue: &ExportQueue,
    threshold: u64,
    asked: HistoryExport,
) -> Result<Requested, DbError> {
    let HistoryExport { scope, query, kind, lang, actor } = asked;
    let q = query.clone();
    let counted = db
        .read(move |conn| {
            Ok(criteria_of(conn, &q)?.map(|criteria| {
                let rows = count(conn, scope, &criteria.filter);
                (criteria, rows)
            }))
        })
        .await?;
    let (criteria, rows) = match counted {
        Err(errors) => return Ok(Requested::Refused(errors)),
        Ok((criteria, rows)) => (criteria, rows?),
    };
    if rows as u64 <= threshold {
        return Ok(match export_history(db, scope, query, kind, lang, actor).await? {
            Ok(export) => Requested::Now(export),
            Err(errors) => Requested::Refused(errors),
        });
    }
    // The period as checked, so a job built tomorrow reads the same days.
    let mut kept = query.cleaned();
    let day = |d: chrono::NaiveDate| Some(d.format("%Y-%m-%d").to_string());
    (kept.from, kept.until) = (day(criteria.period.from), day(criteria.period.until));
    let filter = serde_json::to_string(&kept).map_err(|e| DbError::Io(std::io::Error::other(e)))?;
    let download_name = history_file_name(&criteria, kind, lang);
    let file = format!("{}.{}", hex::encode(rand::random::<[u8; 16]>()), kind.extension());
    let Some(user_id) = actor.user_id else { return Ok(Requested::Busy) };
    let reserved = db
        .write(move |tx| {
            let job = NewJob {
                user_id,
                kind: kind.extension(),
                filter: &filter,
                lang,
                sees_all: scope.sees_all,
                ip: &actor.ip,
                rows_total: rows,
                file: &file,
                download_name: &download_name,
                now: now_ms(),
            };
            export_jobs::reserve(tx, &job)
        })
        .await;
    match reserved {
        Ok(Some(_)) => {
            queue.wake();
            Ok(Requested::Queued)
        }
        Ok(None) => Ok(Requested::Busy),
        // The unique index: a parallel request reserved first.
        Err(DbError::Sqlite(e)) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Ok(Requested::Busy)
        }
        Err(e) => Err(e),
    }
}

/// Builds the oldest queued export, if any; its id.
pub async fn build_next(db: &Db) -> DbResult<Option<i64>> {
    let Some(job) = db.write(export_jobs::claim_next).await? else { return Ok(None) };
    let (id, path) = (job.id, exports_dir(db).join(&job.file));
    let writer = db.clone();
    let built = db.read(move |conn| build(conn, &writer, job)).await;
    let now = now_ms();
    match built {
        Ok(Ok(())) => {}
        Ok(Err(reason)) => {
            let _ = std::fs::remove_file(&path);
            db.write(move |tx| export_jobs::set_failed(tx, id, reason, now)).await?;
        }
        Err(e) => {
            tracing::error!(error = %e, export = id, "export failed");
            let _ = std::fs::remove_file(&path);
            db.write(move |tx| export_jobs::set_failed(tx, id, "reports-export-failed", now)).await?;
        }
    }
    Ok(Some(id))
}

/// Writes the job's file and marks it ready with its audit entry; `Err(key)` when its
/// filters no longer check.
fn build(conn: &rusqlite::Connection, db: &Db, job: Claimed) -> DbResult<Result<(), &'static str>> {
    let query: HistoryQuery = serde_json::from_str(&job.filter).unwrap_or_default();
    let Ok(criteria) = criteria_of(conn, &query)? else { return Ok(Err("reports-export-filters")) };
    let kind = SheetKind::parse(&job.kind).unwrap_or(SheetKind::Xlsx);
    let lang = crate::i18n::normalise(&job.lang).unwrap_or("pt-BR");
    let scope = Scope { user_id: job.user_id, sees_all: job.sees_all };
    let dir = exports_dir(db);
    std::fs::create_dir_all(&dir)?;
    let mut file = std::fs::File::create(dir.join(&job.file))?;
    let id = job.id;
    let rows = write_history(conn, scope, &criteria, kind, lang, &mut file, |done| {
        db.write_now(|tx| export_jobs::set_progress(tx, id, done))
    })?;
    file.sync_all()?;
    let actor = Actor { user_id: Some(job.user_id), ip: job.ip };
    db.write_now(|tx| {
        export_jobs::set_ready(tx, id, rows, now_ms())?;
        audit_history_export(tx, &actor, kind, rows, audited_filters(&query))
    })?;
    Ok(Ok(()))
}

/// At start: exports a stopped server left running are failed, their partial files gone.
pub async fn recover(db: &Db) -> DbResult<usize> {
    let files = db.write(|tx| export_jobs::fail_running(tx, "reports-export-interrupted", now_ms())).await?;
    remove(db, &files);
    Ok(files.len())
}

/// Ready exports older than `LIFETIME_MS` at `now` expire; their files are deleted.
pub async fn expire(db: &Db, now: i64) -> DbResult<usize> {
    let files = db.write(move |tx| export_jobs::expire(tx, now - LIFETIME_MS)).await?;
    remove(db, &files);
    Ok(files.len())
}

fn remove(db: &Db, files: &[String]) {
    for file in files {
        if let Err(e) = std::fs::remove_file(exports_dir(db).join(file)) {
            tracing::warn!(error = %e, "an export's file could not be deleted");
        }
    }
}

/// The user's latest exports, newest first.
pub async fn exports_of(db: &Db, user_id: i64) -> DbResult<Vec<ExportJob>> {
    db.read(move |conn| export_jobs::of_user(conn, user_id, LISTED)).await
}

/// The user's own ready export `id`, opened; `None` for anyone else's or one not ready.
pub async fn ready_export(db: &Db, user_id: i64, id: i64) -> DbResult<Option<Export>> {
    let Some((file, file_name, kind)) = db.read(move |conn| export_jobs::ready_file(conn, user_id, id)).await? else {
        return Ok(None);
    };
    let Some(kind) = SheetKind::parse(&kind) else { return Ok(None) };
    match std::fs::File::open(exports_dir(db).join(file)) {
        Ok(file) => Ok(Some(Export { file, file_name, kind })),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}
