//! "Filtro de palavras": words an agent may not send and short replies that do not open
//! a new conversation when they arrive shortly after one closed, and the minutes that
//! "shortly" lasts. Terms are added many at once, one per line; a term already in its
//! list (but for case and accents) is skipped, not refused.

use rocket::form::FromForm;
use rusqlite::Connection;

use super::{checked, delete_audited, CatalogResult, Deleted};
use crate::accounts::Actor;
use crate::db::word_filter::{self, KINDS};
use crate::db::{audit, settings, Db, DbResult};
use crate::domain::fields::{self, FieldErrors, ListRules};
use crate::domain::text::fold;

const TERMS: ListRules = ListRules {
    empty: Some("field-required"),
    fewest: None,
    most: (500, "word-filter-too-many"),
    longest: (60, "word-filter-term-too-long"),
    repeated: None,
};

/// Terms as typed in one of the two add forms.
#[derive(Debug, Clone, FromForm)]
pub struct TermsDraft {
    /// `blocked` or `ignore`.
    pub kind: String,
    /// One term per line.
    pub terms: String,
}

impl TermsDraft {
    /// The list the terms go to; a kind that is not one of the lists is refused and its
    /// form shown again as the first list's.
    pub fn list(&self) -> &'static str {
        KINDS.iter().copied().find(|k| *k == self.kind.trim()).unwrap_or(KINDS[0])
    }

    /// The terms typed: trimmed, inner spaces made one, empty lines left out.
    fn validate(&self) -> CatalogResult<(&'static str, Vec<String>)> {
        let mut errors = FieldErrors::new();
        if !KINDS.contains(&self.kind.trim()) {
            errors.insert("terms", "word-filter-kind-invalid");
        }
        let typed = self.terms.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "));
        // A problem with the terms themselves is the one shown when the kind is wrong too.
        let terms = fields::short_texts(&mut errors, "terms", typed.filter(|l| !l.is_empty()).collect(), &TERMS);
        checked((self.list(), terms), errors)
    }
}

/// What adding terms did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    pub added: usize,
    /// Already in the list.
    pub skipped: usize,
}

/// Adds the terms not yet in their list, with one audit entry for those added.
pub async fn add(db: &Db, actor: &Actor, draft: &TermsDraft) -> CatalogResult<Added> {
    let ((kind, terms), actor) = (draft.validate()?, actor.clone());
    db.transact(move |tx| {
        let (added, skipped) = add_new(tx, kind, &terms)?;
        if !added.is_empty() {
            let after = serde_json::json!({ "kind": kind, "terms": added });
            audit::record_change(tx, &actor, "word_filter.add", &format!("word_filter:{kind}"), None, Some(&after))?;
        }
        Ok(Added { added: added.len(), skipped })
    })
    .await
}

/// Inserts the terms not yet in the list (compared case- and accent-insensitively):
/// those added, and how many were skipped.
fn add_new(conn: &Connection, kind: &str, terms: &[String]) -> DbResult<(Vec<String>, usize)> {
    let mut known: Vec<String> = word_filter::terms_of_kind(conn, kind)?.iter().map(|t| fold(t)).collect();
    let (mut added, mut skipped) = (Vec::new(), 0);
    for term in terms {
        let folded = fold(term);
        if known.contains(&folded) {
            skipped += 1;
            continue;
        }
        word_filter::insert_term(conn, kind, term)?;
        known.push(folded);
        added.push(term.clone());
    }
    Ok((added, skipped))
}

/// The minutes after a conversation closes during which ignore terms apply, as typed.
#[derive(Debug, Clone, FromForm)]
pub struct WindowDraft {
    pub window_minutes: String,
}

/// Saves the minutes the ignore terms apply for (1 to 1440), with its audit entry.
pub async fn save_window(db: &Db, actor: &Actor, draft: &WindowDraft) -> CatalogResult<()> {
    let mut errors = FieldErrors::new();
    let minutes = fields::number(&mut errors, "window_minutes", &draft.window_minutes, 1, 1440, true);
    let (minutes, actor) = (checked(minutes.unwrap_or_default(), errors)?, actor.clone());
    db.transact(move |tx| {
        let mut current = settings::load(tx)?;
        let before = serde_json::json!({ "ignore_window_minutes": current.ignore_window_minutes });
        current.ignore_window_minutes = minutes;
        settings::save(tx, &current)?;
        let after = serde_json::json!({ "ignore_window_minutes": minutes });
        audit::record_change(tx, &actor, "word_filter.window", "settings", Some(&before), Some(&after))?;
        Ok(())
    })
    .await
}

/// Deletes a term. Terms are only compared with messages as they arrive; nothing
/// refers to them.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<Deleted> {
    let actor = actor.clone();
    let (load, delete) = (word_filter::term_by_id, word_filter::delete_term);
    db.transact(move |tx| delete_audited(tx, &actor, "word_filter", id, load, delete, None)).await
}
