//! `export_jobs`: the long exports of the history, from the reservation (one waiting or
//! being built per user) through the build's progress to the file and its expiry.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::DbResult;

/// An export as its owner's page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ExportJob {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub rows_done: i64,
    pub rows_total: i64,
    /// Of the rows, how many are written.
    pub percent: i64,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub error: Option<String>,
    pub download_name: String,
}

/// What the worker needs to build a claimed export.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub filter: String,
    pub lang: String,
    pub sees_all: bool,
    pub ip: String,
    pub file: String,
}

/// What a request records: everything but the status and progress.
pub struct NewJob<'a> {
    pub user_id: i64,
    pub kind: &'a str,
    pub filter: &'a str,
    pub lang: &'a str,
    pub sees_all: bool,
    pub ip: &'a str,
    pub rows_total: i64,
    pub file: &'a str,
    pub download_name: &'a str,
    pub now: i64,
}

/// Reserves the user's one pending export; `None` when one is already queued or running.
/// The `NOT EXISTS` runs inside the caller's `BEGIN IMMEDIATE`, and the partial unique
/// index refuses a second one even so.
pub fn reserve(tx: &Transaction, job: &NewJob) -> DbResult<Option<i64>> {
    let inserted = tx
        .query_row(
            "INSERT INTO export_jobs (user_id, kind, filter, lang, sees_all, ip, rows_total, file, download_name, created_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10
             WHERE NOT EXISTS (SELECT 1 FROM export_jobs WHERE user_id = ?1 AND status IN ('queued', 'running'))
             RETURNING id",
            params![
                job.user_id,
                job.kind,
                job.filter,
                job.lang,
                job.sees_all,
                job.ip,
                job.rows_total,
                job.file,
                job.download_name,
                job.now
            ],
            |r| r.get(0),
        )
        .optional()?;
    Ok(inserted)
}

/// The oldest queued export, now running.
pub fn claim_next(tx: &Transaction) -> DbResult<Option<Claimed>> {
    Ok(tx
        .query_row(
            "UPDATE export_jobs SET status = 'running'
             WHERE id = (SELECT id FROM export_jobs WHERE status = 'queued' ORDER BY id LIMIT 1)
             RETURNING id, user_id, kind, filter, lang, sees_all, ip, file",
            [],
            |r| {
                Ok(Claimed {
                    id: r.get(0)?,
                    user_id: r.get(1)?,
                    kind: r.get(2)?,
                    filter: r.get(3)?,
                    lang: r.get(4)?,
                    sees_all: r.get(5)?,
                    ip: r.get(6)?,
                    file: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                })
            },
        )
        .optional()?)
}

pub fn set_progress(tx: &Transaction, id: i64, rows_done: u64) -> DbResult<()> {
    tx.execute(
        "UPDATE export_jobs SET rows_done = ?2 WHERE id = ?1 AND status = 'running'",
        params![id, rows_done as i64],
    )?;
    Ok(())
}

pub fn set_ready(tx: &Transaction, id: i64, rows: u64, now: i64) -> DbResult<()> {
    tx.execute(
        "UPDATE export_jobs SET status = 'ready', rows_done = ?2, rows_total = ?2, finished_at = ?3 WHERE id = ?1",
        params![id, rows as i64, now],
    )?;
    Ok(())
}

/// Marks the export failed with the catalogue key of why; their files are gone.
pub fn set_failed(tx: &Transaction, id: i64, error: &str, now: i64) -> DbResult<()> {
    tx.execute(
        "UPDATE export_jobs SET status = 'failed', file = NULL, finished_at = ?3, error = ?2 WHERE id = ?1",
        params![id, error, now],
    )?;
    Ok(())
}

/// Exports left running by a server that stopped, failed with `error`; their files.
pub fn fail_running(tx: &Transaction, error: &str, now: i64) -> DbResult<Vec<String>> {
    let files = files_where(tx, "status = 'running' AND created_at < ?1", i64::MAX)?;
    tx.execute(
        "UPDATE export_jobs SET status = 'failed', finished_at = ?2, error = ?1, file = NULL WHERE status = 'running'",
        params![error, now],
    )?;
    Ok(files)
}

fn files_where(tx: &Transaction, condition: &str, before: i64) -> DbResult<Vec<String>> {
    let mut stmt = tx.prepare(&format!("SELECT file FROM export_jobs WHERE {condition} AND file IS NOT NULL"))?;
    let files = stmt.query_map([before], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(files)
}

/// Ready exports finished before `before`, now expired; their files to delete.
pub fn expire(tx: &Transaction, before: i64) -> DbResult<Vec<String>> {
    let files = files_where(tx, "status = 'ready' AND finished_at < ?1", before)?;
    tx.execute(
        "UPDATE export_jobs SET status = 'expired', file = NULL WHERE status = 'ready' AND finished_at < ?1",
        [before],
    )?;
    Ok(files)
}

fn job_of(r: &Row) -> rusqlite::Result<ExportJob> {
    let (done, total): (i64, i64) = (r.get(3)?, r.get(4)?);
    Ok(ExportJob {
        percent: if total > 0 { (done * 100 / total).min(100) } else { 100 },
        id: r.get(0)?,
        kind: r.get(1)?,
        status: r.get(2)?,
        rows_done: r.get(3)?,
        rows_total: r.get(4)?,
        created_at: r.get(5)?,
        finished_at: r.get(6)?,
        error: r.get(7)?,
        download_name: r.get(8)?,
    })
}

const COLUMNS: &str = "id, kind, status, rows_done, rows_total, created_at, finished_at, error, download_name";

/// The user's latest exports, newest first.
pub fn of_user(conn: &Connection, user_id: i64, limit: i64) -> DbResult<Vec<ExportJob>> {
    let mut stmt =
        conn.prepare(&format!("SELECT {COLUMNS} FROM export_jobs WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2"))?;
    let jobs = stmt.query_map(params![user_id, limit], job_of)?.collect::<Result<_, _>>()?;
    Ok(jobs)
}

/// The user's ready export `id`: its file under exports/ and what to save it as.
pub fn ready_file(conn: &Connection, user_id: i64, id: i64) -> DbResult<Option<(String, String, String)>> {
    Ok(conn
        .query_row(
            "SELECT file, download_name, kind FROM export_jobs
             WHERE id = ?1 AND user_id = ?2 AND status = 'ready' AND file IS NOT NULL",
            params![id, user_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}
