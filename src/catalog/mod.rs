//! The company's catalogues, as administrators keep them: tags, phrases, teams,
//! schedules, pauses, groups, tabulations and the other admin sections. Each section
//! is one module of use cases (save, delete, …) that check what is typed, check
//! existence and uniqueness inside the same transaction that writes, and leave an
//! audit entry. Handlers in `web/admin/` read the form, call one function and render
//! one view; nothing here knows HTTP.

pub mod api_tokens;
pub mod channels;
pub mod contact_fields;
pub mod flow_blocks;
pub mod flows;
pub mod groups;
pub mod monitoring_thresholds;
pub mod notifications;
pub mod pauses;
pub mod phrases;
pub mod schedules;
pub mod service_target;
pub mod settings;
pub mod tabulations;
pub mod tags;
pub mod team_rules;
pub mod teams;
pub mod telephony;
pub mod templates;
pub mod webhooks;
pub mod word_filter;

use std::collections::BTreeMap;

use rusqlite::Connection;
use serde::Serialize;

use crate::accounts::Actor;
use crate::db::{audit, DbError, DbResult};
use crate::domain::fields::FieldErrors;

/// Why a catalogue change was refused.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The row to change is not there (or no longer).
    #[error("not found")]
    NotFound,
    /// Fields broke rules: field name → message key, shown next to each field.
    #[error("invalid fields: {0:?}")]
    Invalid(FieldErrors),
    /// Cells of a form's repeated rows broke rules: names made from the row
    /// (`w7`, `x2_day`) → message key.
    #[error("invalid cells: {0:?}")]
    Cells(BTreeMap<String, &'static str>),
    /// A delete refused: the row stays, for the reason the key names (in use, built in).
    #[error("undeletable: {0}")]
    Undeletable(&'static str),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for CatalogError {
    fn from(e: rusqlite::Error) -> Self {
        CatalogError::Db(DbError::Sqlite(e))
    }
}

impl From<FieldErrors> for CatalogError {
    fn from(errors: FieldErrors) -> Self {
        CatalogError::Invalid(errors)
    }
}

pub type CatalogResult<T> = Result<T, CatalogError>;

/// A refusal of one field.
pub fn refuse(field: &'static str, key: &'static str) -> CatalogError {
    CatalogError::Invalid(FieldErrors::from([(field, key)]))
}

/// A refusal of one field when `taken` (a name or shortcut another row has).
pub fn refuse_if(taken: bool, field: &'static str, key: &'static str) -> CatalogResult<()> {
    if taken {
        Err(refuse(field, key))
    } else {
        Ok(())
    }
}

/// `Ok` when nothing broke a rule, else the refusal with every field in fault.
pub fn checked<T>(value: T, errors: FieldErrors) -> CatalogResult<T> {
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(CatalogError::Invalid(errors))
    }
}

/// What a row loader looks like: by id, `None` when absent.
pub type Load<T> = fn(&Connection, i64) -> DbResult<Option<T>>;

/// The row an edit starts from (for its audit entry): `None` for a new row,
/// `NotFound` when the row to edit is gone.
pub fn before<T>(conn: &Connection, id: Option<i64>, load: Load<T>) -> CatalogResult<Option<T>> {
    match id {
        None => Ok(None),
        Some(id) => load(conn, id)?.map(Some).ok_or(CatalogError::NotFound),
    }
}

/// Refuses a name another row of `table` already has (`name-taken`).
pub fn check_name_free(conn: &Connection, table: &'static str, name: &str, id: Option<i64>) -> CatalogResult<()> {
    if crate::db::name_taken(conn, table, name, id)? {
        return Err(refuse("name", "name-taken"));
    }
    Ok(())
}

/// Writes an edit of row `id`, or a new row when there is none; the row's id.
pub fn update_or_insert(
    id: Option<i64>,
    update: impl FnOnce(i64) -> DbResult<()>,
    insert: impl FnOnce() -> DbResult<i64>,
) -> DbResult<i64> {
    match id {
        Some(id) => update(id).map(|()| id),
        None => insert(),
    }
}

/// Audits a save: `<what>.create` with the fields, or `<what>.update` with the row as
/// it was and the fields.
pub fn record_saved<T: Serialize, F: Serialize>(
    conn: &Connection,
    actor: &Actor,
    what: &str,
    id: i64,
    before: Option<&T>,
    fields: &F,
) -> DbResult<()> {
    let target = format!("{what}:{id}");
    match before {
        None => audit::record_change(conn, actor, &format!("{what}.create"), &target, None, Some(fields)),
        Some(b) => audit::record_change(conn, actor, &format!("{what}.update"), &target, Some(b), Some(fields)),
    }
}

/// How a section keeps its rows: loaded by id, inserted, updated.
pub struct Rows<T, F> {
    pub load: Load<T>,
    pub insert: fn(&Connection, &F) -> DbResult<i64>,
    pub update: fn(&Connection, i64, &F) -> DbResult<()>,
}

/// The one audited save of a row typed in a form (new when `id` is `None`): loads the
/// row an edit starts from (`NotFound` when gone), runs the section's `checks` (team,
/// uniqueness …), writes, and records `<what>.create` or `<what>.update`. The row's id.
pub fn save_audited<T: Serialize, F: Serialize>(
    conn: &Connection,
    actor: &Actor,
    what: &str,
    id: Option<i64>,
    fields: &F,
    rows: &Rows<T, F>,
    checks: impl FnOnce() -> CatalogResult<()>,
) -> CatalogResult<i64> {
    let before = before(conn, id, rows.load)?;
    checks()?;
    let id = match id {
        Some(id) => {
            (rows.update)(conn, id, fields)?;
            id
        }
        None => (rows.insert)(conn, fields)?,
    };
    record_saved(conn, actor, what, id, before.as_ref(), fields)?;
    Ok(id)
}

/// When a row is referred to by history it is deactivated instead of deleted: the
/// check and the deactivation.
pub struct KeepIfUsed {
    pub in_use: fn(&Connection, i64) -> DbResult<bool>,
    pub deactivate: fn(&Connection, i64) -> DbResult<()>,
}

/// When a row must stay while something refers to it (and is not deactivated
/// instead): the check and the message key of why it stays.
pub struct RefuseIfUsed {
    pub in_use: fn(&Connection, i64) -> DbResult<bool>,
    pub reason: &'static str,
}

/// What a delete does with a row still in use: delete it anyway (given as `None`),
/// deactivate it (`Some(KeepIfUsed)`) or keep it and refuse (a `RefuseIfUsed`).
pub enum WhenUsed {
    Delete,
    Deactivate(KeepIfUsed),
    Refuse(RefuseIfUsed),
}

impl From<Option<KeepIfUsed>> for WhenUsed {
    fn from(keep: Option<KeepIfUsed>) -> WhenUsed {
        keep.map_or(WhenUsed::Delete, WhenUsed::Deactivate)
    }
}

impl From<RefuseIfUsed> for WhenUsed {
    fn from(refuse: RefuseIfUsed) -> WhenUsed {
        WhenUsed::Refuse(refuse)
    }
}

/// What a delete did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Deleted,
    /// In use: kept, deactivated.
    Deactivated,
}

/// The one audited delete every section uses: loads the row for the audit log
/// (`<what>.delete`, before = the row), `NotFound` when it does not exist. A row in
/// use is deactivated instead (`<what>.deactivate`, before and after) or refused
/// (`Undeletable`), as `when_used` says.
pub fn delete_audited<T: Serialize>(
    conn: &Connection,
    actor: &Actor,
    what: &str,
    id: i64,
    load: Load<T>,
    delete: fn(&Connection, i64) -> DbResult<()>,
    when_used: impl Into<WhenUsed>,
) -> CatalogResult<Deleted> {
    let Some(before) = load(conn, id)? else { return Err(CatalogError::NotFound) };
    let target = format!("{what}:{id}");
    match when_used.into() {
        WhenUsed::Refuse(refuse) if (refuse.in_use)(conn, id)? => Err(CatalogError::Undeletable(refuse.reason)),
        WhenUsed::Deactivate(keep) if (keep.in_use)(conn, id)? => {
            (keep.deactivate)(conn, id)?;
            let after = load(conn, id)?;
            let action = format!("{what}.deactivate");
            audit::record_change(conn, actor, &action, &target, Some(&before), after.as_ref().map(|a| a as _))?;
            Ok(Deleted::Deactivated)
        }
        _ => {
            delete(conn, id)?;
            audit::record_change(conn, actor, &format!("{what}.delete"), &target, Some(&before), None)?;
            Ok(Deleted::Deleted)
        }
    }
}

/// Inside the saving transaction: the chosen team still exists (or none was chosen).
/// Shared by the sections whose rows belong to every team or to one.
pub fn check_team(conn: &Connection, team_id: Option<i64>) -> CatalogResult<()> {
    match team_id {
        Some(id) if crate::db::teams::team_by_id(conn, id)?.is_none() => {
            Err(refuse("team_id", "catalogues-team-unknown"))
        }
        _ => Ok(()),
    }
}
