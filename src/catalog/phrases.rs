//! "Frases padrão": texts an agent inserts by typing `/shortcut`, for the whole company,
//! for one team, or an agent's own. One set of checks for all three: the shortcut and
//! the text are checked alike, and a shortcut is unique among the phrases the same
//! agent reaches (the company's and a team's together; each agent's own apart).

use rocket::form::FromForm;
use serde::Serialize;

use super::{check_team, checked, delete_audited, refuse_if, save_audited, CatalogError, CatalogResult, Deleted, Rows};
use crate::accounts::Actor;
use crate::db::phrases::{self, Phrase, PhraseFields};
use crate::db::{audit, Db};
use crate::domain::fields::{self, FieldErrors};
use crate::domain::message_template::{check_phrase, PHRASE_PLACEHOLDERS};

/// A phrase as typed in its form, kept as typed so a refused form shows it again.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct PhraseDraft {
    pub shortcut: String,
    pub text: String,
    /// Empty: the whole company. Agents' own phrases have no team (their form sends none).
    #[field(default = String::new())]
    pub team_id: String,
}

impl PhraseDraft {
    /// The form for editing `p`.
    pub fn of(p: &Phrase) -> PhraseDraft {
        PhraseDraft {
            shortcut: p.shortcut.clone(),
            text: p.text.clone(),
            team_id: p.team_id.map(|id| id.to_string()).unwrap_or_default(),
        }
    }

    /// A company or team phrase.
    fn validate(&self) -> CatalogResult<PhraseFields> {
        let mut errors = FieldErrors::new();
        let (shortcut, text) = self.shortcut_and_text(&mut errors);
        let team_id = fields::optional_id(&mut errors, "team_id", &self.team_id, "catalogues-team-unknown");
        checked(PhraseFields { shortcut, text, team_id }, errors)
    }

    /// An agent's own phrase: the team typed, if any, is not looked at.
    fn validate_own(&self) -> CatalogResult<PhraseFields> {
        let mut errors = FieldErrors::new();
        let (shortcut, text) = self.shortcut_and_text(&mut errors);
        checked(PhraseFields { shortcut, text, team_id: None }, errors)
    }

    /// The shortcut: 2 to 30 letters, digits, `-` or `_`, a leading `/` (as the agent
    /// types it) dropped. The text: its variables must be known and closed.
    fn shortcut_and_text(&self, errors: &mut FieldErrors) -> (String, String) {
        let typed = self.shortcut.trim();
        let shortcut = typed.strip_prefix('/').unwrap_or(typed).to_string();
        let count = shortcut.chars().count();
        if shortcut.is_empty() {
            errors.insert("shortcut", "field-required");
        } else if !(2..=30).contains(&count) || !shortcut.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
            errors.insert("shortcut", "phrases-shortcut-invalid");
        }
        let text = fields::text(errors, "text", &self.text, 2000);
        if !errors.contains_key("text") {
            if let Err(problem) = check_phrase(&text) {
                errors.insert("text", problem.key());
            }
        }
        (shortcut, text)
    }
}

/// The variables a phrase may hold, as they are typed (`{{contato}}` …), for the forms.
pub fn placeholders() -> Vec<String> {
    PHRASE_PLACEHOLDERS.iter().map(|p| format!("{{{{{p}}}}}")).collect()
}

const PHRASES: Rows<Phrase, PhraseFields> =
    Rows { load: phrases::phrase_by_id, insert: phrases::insert_phrase, update: phrases::update_phrase };

/// Saves a company or team phrase (new when `id` is `None`), with its audit entry.
pub async fn save(db: &Db, actor: &Actor, id: Option<i64>, draft: &PhraseDraft) -> CatalogResult<i64> {
    let (fields, actor) = (draft.validate()?, actor.clone());
    db.transact(move |tx| {
        save_audited(tx, &actor, "phrase", id, &fields, &PHRASES, || {
            check_team(tx, fields.team_id)?;
            let taken = phrases::shortcut_taken(tx, &fields.shortcut, fields.team_id, id)?;
            refuse_if(taken, "shortcut", "phrases-shortcut-taken")
        })
    })
    .await
}

/// Deletes a company or team phrase. It is copied into the messages sent with it, so
/// nothing refers to it.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<Deleted> {
    let actor = actor.clone();
    db.transact(move |tx| delete_audited(tx, &actor, "phrase", id, phrases::phrase_by_id, phrases::delete_phrase, None))
        .await
}

/// Saves a personal phrase of `owner` (new when `id` is `None`); someone else's phrase
/// is not found. Its audit entries say it is personal (`phrase.personal-…`).
pub async fn save_own(db: &Db, actor: &Actor, owner: i64, id: Option<i64>, draft: &PhraseDraft) -> CatalogResult<i64> {
    let (fields, actor) = (draft.validate_own()?, actor.clone());
    db.transact(move |tx| {
        let before = match id {
            Some(id) => Some(phrases::own_phrase(tx, id, owner)?.ok_or(CatalogError::NotFound)?),
            None => None,
        };
        let taken = phrases::own_shortcut_taken(tx, owner, &fields.shortcut, id)?;
        refuse_if(taken, "shortcut", "phrases-own-shortcut-taken")?;
        let (id, action) = match id {
            Some(id) => {
                phrases::update_own_phrase(tx, id, owner, &fields)?;
                (id, "phrase.personal-update")
            }
            None => (phrases::insert_own_phrase(tx, owner, &fields)?, "phrase.personal-create"),
        };
        let before = before.as_ref().map(|b| b as _);
        audit::record_change(tx, &actor, action, &format!("phrase:{id}"), before, Some(&fields))?;
        Ok(id)
    })
    .await
}

/// Deletes a personal phrase of `owner`.
pub async fn delete_own(db: &Db, actor: &Actor, owner: i64, id: i64) -> CatalogResult<()> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let before = phrases::own_phrase(tx, id, owner)?.ok_or(CatalogError::NotFound)?;
        phrases::delete_own_phrase(tx, id, owner)?;
        audit::record_change(tx, &actor, "phrase.personal-delete", &format!("phrase:{id}"), Some(&before), None)?;
        Ok(())
    })
    .await
}
