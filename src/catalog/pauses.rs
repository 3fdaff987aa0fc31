//! "Pausas": the pause types agents choose from, with a limit in minutes and an
//! optional window of the day. A pause agents have taken stays for the reports: a
//! delete deactivates it instead.

use rocket::form::FromForm;
use rusqlite::Connection;
use serde::Serialize;

use super::{check_name_free, checked, delete_audited, save_audited, CatalogResult, Deleted, KeepIfUsed, Rows};
use crate::accounts::Actor;
use crate::db::pauses::{self, Pause, PauseFields};
use crate::db::{Db, DbResult};
use crate::domain::clock::format_hhmm;
use crate::domain::fields::{self, FieldErrors};

/// A pause as typed in its form: text, kept as typed so a refused form shows it again.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct PauseDraft {
    pub name: String,
    pub max_minutes: String,
    pub productive: bool,
    pub cumulative: bool,
    pub window_start: String,
    pub window_end: String,
    pub active: bool,
}

impl PauseDraft {
    /// The form for a new pause.
    pub fn blank() -> PauseDraft {
        PauseDraft { active: true, max_minutes: "15".into(), ..Default::default() }
    }

    /// The form for editing `p` (also how the list shows it).
    pub fn of(p: &Pause) -> PauseDraft {
        let p = &p.fields;
        PauseDraft {
            name: p.name.clone(),
            max_minutes: p.max_minutes.to_string(),
            productive: p.productive,
            cumulative: p.cumulative,
            window_start: p.window_start.map(format_hhmm).unwrap_or_default(),
            window_end: p.window_end.map(format_hhmm).unwrap_or_default(),
            active: p.active,
        }
    }

    fn validate(&self) -> CatalogResult<PauseFields> {
        let mut errors = FieldErrors::new();
        let name = fields::text(&mut errors, "name", &self.name, 60);
        let max_minutes = fields::number(&mut errors, "max_minutes", &self.max_minutes, 1, 1440, true);
        let start = fields::time_of_day(&mut errors, "window_start", &self.window_start, false);
        let end = fields::time_of_day(&mut errors, "window_end", &self.window_end, false);
        // A window has both ends, the end after the start.
        match (start, end) {
            (Some(s), Some(e)) if s >= e => {
                errors.insert("window_end", "window-end-before-start");
            }
            (Some(_), None) if !errors.contains_key("window_end") => {
                errors.insert("window_end", "field-required");
            }
            (None, Some(_)) if !errors.contains_key("window_start") => {
                errors.insert("window_start", "field-required");
            }
            _ => {}
        }
        let pause = PauseFields {
            name,
            max_minutes: max_minutes.unwrap_or(1),
            productive: self.productive,
            cumulative: self.cumulative,
            window_start: start,
            window_end: end,
            active: self.active,
        };
        checked(pause, errors)
    }
}

const PAUSES: Rows<Pause, PauseFields> =
    Rows { load: pauses::pause_by_id, insert: pauses::insert_pause, update: pauses::update_pause };

/// A pause as its list shows it: the row, and its limit and window as the form has them.
#[derive(Debug, Serialize)]
pub struct ListedPause {
    pub pause: Pause,
    pub shown: PauseDraft,
}

/// The pauses the search finds (`limit` from `offset`), as the list shows them, and
/// how many match.
pub fn listed(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<ListedPause>, i64)> {
    let (rows, total) = pauses::list_pauses(conn, search, limit, offset)?;
    Ok((rows.into_iter().map(|pause| ListedPause { shown: PauseDraft::of(&pause), pause }).collect(), total))
}

/// Saves a new pause (`id` `None`) or an edit, with its audit entry; the pause's id.
pub async fn save(db: &Db, actor: &Actor, id: Option<i64>, draft: &PauseDraft) -> CatalogResult<i64> {
    let (fields, actor) = (draft.validate()?, actor.clone());
    db.transact(move |tx| {
        save_audited(tx, &actor, "pause", id, &fields, &PAUSES, || check_name_free(tx, "pauses", &fields.name, id))
    })
    .await
}

/// Deletes a pause, or deactivates it when agents have taken it.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<Deleted> {
    let actor = actor.clone();
    let keep = KeepIfUsed { in_use: pauses::in_use, deactivate: pauses::deactivate };
    db.transact(move |tx| {
        delete_audited(tx, &actor, "pause", id, pauses::pause_by_id, pauses::delete_pause, Some(keep))
    })
    .await
}
