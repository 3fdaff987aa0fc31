//! Exports of the reports (XLSX, CSV): the filters checked as the page checks them,
//! every row written to an unnamed temporary file (the history's as it is read, off the
//! async executor, in constant memory; the other reports' small tables at once), then
//! the export recorded in the audit log — who, in which format, with which filters, how
//! many rows — before the file is handed over.

use std::fs::File;
use std::io::{Seek, SeekFrom};

use serde_json::json;

use super::criteria::{Criteria, FieldErrors, HistoryQuery};
use super::csv::CsvSheet;
use super::history::criteria_of;
use super::sheet::{cells, header, Table};
use super::xlsx::XlsxSheet;
use crate::accounts::Actor;
use crate::db::reports::history::each_row;
use crate::db::reports::Scope;
use crate::db::{audit, data_dir, settings, Db, DbError, DbResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    Xlsx,
    Csv,
}

impl SheetKind {
    pub fn parse(extension: &str) -> Option<SheetKind> {
        match extension {
            "xlsx" => Some(SheetKind::Xlsx),
            "csv" => Some(SheetKind::Csv),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            SheetKind::Xlsx => "xlsx",
            SheetKind::Csv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            SheetKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            SheetKind::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// A finished export: the file, read from its start, and the name to save it as.
pub struct Export {
    pub file: std::fs::File,
    pub file_name: String,
    pub kind: SheetKind,
}

fn io(e: impl std::fmt::Display) -> DbError {
    DbError::Io(std::io::Error::other(e.to_string()))
}

/// How often a long export's progress is recorded, in rows.
pub(crate) const PROGRESS_EVERY: u64 = 500;

/// Writes the checked history as `kind` to `file`, row by row as it is read; `progress`
/// hears how many rows are written every `PROGRESS_EVERY`. How many rows there were.
pub(crate) fn write_history(
    conn: &rusqlite::Connection,
    scope: Scope,
    criteria: &Criteria,
    kind: SheetKind,
    lang: &'static str,
    file: &mut File,
    mut progress: impl FnMut(u64) -> DbResult<()>,
) -> DbResult<u64> {
    let (dir, tz) = (data_dir(conn)?, settings::load(conn)?.zone());
    let mut done = 0;
    let mut counted = |_: &crate::db::reports::history::ReportRow| {
        done += 1;
        if done % PROGRESS_EVERY == 0 {
            progress(done)?;
        }
        Ok(())
    };
    let rows = match kind {
        SheetKind::Xlsx => {
            let name = crate::i18n::translate(lang, "reports-history-sheet");
            let mut sheet = XlsxSheet::start(lang, tz, &dir, &name, &header(lang)).map_err(io)?;
            let rows = each_row(conn, scope, &criteria.filter, criteria.order, |r| {
                sheet.row(cells(r, lang)).map_err(io)?;
                counted(r)
            })?;
            sheet.finish(&mut *file).map_err(io)?;
            rows
        }
        SheetKind::Csv => {
            let mut sheet = CsvSheet::start(std::io::BufWriter::new(&mut *file), lang, tz, &header(lang))?;
            let rows = each_row(conn, scope, &criteria.filter, criteria.order, |r| {
                sheet.row(cells(r, lang))?;
                counted(r)
            })?;
            sheet.finish()?;
            rows
        }
    };
    Ok(rows)
}

/// The name the history's export is saved as: the report's and its days.
pub(crate) fn history_file_name(criteria: &Criteria, kind: SheetKind, lang: &'static str) -> String {
    let days = format!("{}_{}", criteria.period.from.format("%Y-%m-%d"), criteria.period.until.format("%Y-%m-%d"));
    format!("{}_{days}.{}", crate::i18n::translate(lang, "reports-history-file"), kind.extension())
}

/// The filters as typed, as the audit entry keeps them.
pub(crate) fn audited_filters(query: &HistoryQuery) -> serde_json::Map<String, serde_json::Value> {
    query.pairs().into_iter().map(|(k, v)| (k.to_string(), v.into())).collect()
}

/// The audit entry of a history export, in the transaction that finishes it.
pub(crate) fn audit_history_export(
    tx: &rusqlite::Transaction,
    actor: &Actor,
    kind: SheetKind,
    rows: u64,
    filters: serde_json::Map<String, serde_json::Value>,
) -> DbResult<()> {
    let details = json!({ "format": kind.extension(), "rows": rows, "filters": filters });
    audit::record(tx, actor.user_id, "report.history-export", "report:history", &details, &actor.ip)
}

/// The filtered history as a spreadsheet, or the field errors of filters that are no
/// filters (nothing written, nothing audited).
pub async fn export_history(
    db: &Db,
    scope: Scope,
    query: HistoryQuery,
    kind: SheetKind,
    lang: &'static str,
    actor: Actor,
) -> Result<Result<Export, FieldErrors>, DbError> {
    let filters = audited_filters(&query);
    let written = db
        .read(move |conn| {
            let criteria = match criteria_of(conn, &query)? {
                Ok(criteria) => criteria,
                Err(errors) => return Ok(Err(errors)),
            };
            let mut file = tempfile::tempfile_in(data_dir(conn)?)?;
            let rows = write_history(conn, scope, &criteria, kind, lang, &mut file, |_| Ok(()))?;
            file.seek(SeekFrom::Start(0))?;
            Ok(Ok((file, rows, history_file_name(&criteria, kind, lang))))
        })
        .await?;
    let (file, rows, file_name) = match written {
        Ok(done) => done,
        Err(errors) => return Ok(Err(errors)),
    };
    db.write(move |tx| audit_history_export(tx, &actor, kind, rows, filters)).await?;
    Ok(Ok(Export { file, file_name, kind }))
}

/// Writes a report's small tables as `kind` to an unnamed file, read from its start:
/// one table as the whole sheet; several as a worksheet each in XLSX and one after
/// another under their titles in CSV.
fn write_tables(
    conn: &rusqlite::Connection,
    tables: Vec<Table>,
    kind: SheetKind,
    lang: &'static str,
) -> DbResult<File> {
    let (dir, tz) = (data_dir(conn)?, settings::load(conn)?.zone());
    let mut file = tempfile::tempfile_in(&dir)?;
    let titled = tables.len() > 1;
    match kind {
        SheetKind::Xlsx => {
            let mut tables = tables.into_iter();
            let first = tables.next().ok_or_else(|| io("no table to write"))?;
            let mut sheet = XlsxSheet::start(lang, tz, &dir, &first.sheet, &first.columns).map_err(io)?;
            let mut rows = first.rows;
            loop {
                for row in rows {
                    sheet.row(row).map_err(io)?;
                }
                let Some(table) = tables.next() else { break };
                sheet.next_sheet(&table.sheet, &table.columns).map_err(io)?;
                rows = table.rows;
            }
            sheet.finish(&mut file).map_err(io)?;
        }
        SheetKind::Csv => {
            let mut sheet = CsvSheet::begin(std::io::BufWriter::new(&mut file), lang, tz)?;
            for (i, table) in tables.into_iter().enumerate() {
                match titled {
                    true => sheet.table(i == 0, &table.sheet, &table.columns)?,
                    false => sheet.header(&table.columns)?,
                }
                for row in table.rows {
                    sheet.row(row)?;
                }
            }
            sheet.finish()?;
        }
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(file)
}

/// What a report's export needs besides its table: the format, the reader's language,
/// who asks, the audit action (`report.reasons-export`) and the filters as typed.
pub struct TableExport {
    pub kind: SheetKind,
    pub lang: &'static str,
    pub actor: Actor,
    pub report: &'static str,
    pub filters: Vec<(&'static str, String)>,
}

/// A report's table (built by `table`, which refuses filters that are no filters) as a
/// spreadsheet, audited like the history's export.
pub async fn export_table(
    db: &Db,
    export: TableExport,
    table: impl FnOnce(&rusqlite::Connection) -> DbResult<Result<(Table, String), FieldErrors>> + Send + 'static,
) -> Result<Result<Export, FieldErrors>, DbError> {
    export_tables(db, export, move |conn| Ok(table(conn)?.map(|(table, days)| (vec![table], days)))).await
}

/// A report of several tables (the first one names the file) the same way.
pub async fn export_tables(
    db: &Db,
    export: TableExport,
    tables: impl FnOnce(&rusqlite::Connection) -> DbResult<Result<(Vec<Table>, String), FieldErrors>> + Send + 'static,
) -> Result<Result<Export, FieldErrors>, DbError> {
    let TableExport { kind, lang, actor, report, filters } = export;
    let written = db
        .read(move |conn| {
            let (tables, days) = match tables(conn)? {
                Ok(done) => done,
                Err(errors) => return Ok(Err(errors)),
            };
            let stem = tables.first().map(|t| t.file.clone()).unwrap_or_default();
            let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
            Ok(Ok((write_tables(conn, tables, kind, lang)?, stem, rows, days)))
        })
        .await?;
    let (file, stem, rows, days) = match written {
        Ok(done) => done,
        Err(errors) => return Ok(Err(errors)),
    };
    let filters: serde_json::Map<String, serde_json::Value> =
        filters.into_iter().map(|(k, v)| (k.to_string(), v.into())).collect();
    let details = json!({ "format": kind.extension(), "rows": rows, "filters": filters });
    let action = format!("report.{report}-export");
    db.write(move |tx| audit::record(tx, actor.user_id, &action, &format!("report:{report}"), &details, &actor.ip))
        .await?;
    Ok(Ok(Export { file, file_name: format!("{stem}_{days}.{}", kind.extension()), kind }))
}
