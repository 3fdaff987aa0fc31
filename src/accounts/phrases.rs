//! An agent's own canned phrases ("primeiro precisamos criar um atalho e depois
//! colocamos a frase"): only their owner sees, uses and changes them; someone else's
//! phrase answers as missing. Every change is in the audit log.

use super::{AccountError, AccountResult, Actor, FieldErrors};
use crate::db::phrases::{self, PhraseFields};
use crate::db::{audit, Db};

/// Saves a personal phrase of `owner` (new when `id` is `None`); returns its id. The
/// fields are already validated; a shortcut the owner already uses is refused.
pub async fn save_own_phrase(
    db: &Db,
    actor: Actor,
    owner: i64,
    id: Option<i64>,
    fields: PhraseFields,
) -> AccountResult<i64> {
    let fields = PhraseFields { team_id: None, ..fields };
    db.write(move |tx| {
        let before = match id {
            Some(id) => match phrases::own_phrase(tx, id, owner)? {
                Some(p) => Some(p),
                None => return Ok(Err(AccountError::NotFound)),
            },
            None => None,
        };
        if phrases::own_shortcut_taken(tx, owner, &fields.shortcut, id)? {
            return Ok(Err(AccountError::Invalid(FieldErrors::from([("shortcut", "phrases-own-shortcut-taken")]))));
        }
        let id = match (id, before) {
            (Some(id), Some(before)) => {
                phrases::update_own_phrase(tx, id, owner, &fields)?;
                let target = format!("phrase:{id}");
                audit::record_change(tx, &actor, "phrase.personal-update", &target, Some(&before), Some(&fields))?;
                id
            }
            _ => {
                let id = phrases::insert_own_phrase(tx, owner, &fields)?;
                let target = format!("phrase:{id}");
                audit::record_change(tx, &actor, "phrase.personal-create", &target, None, Some(&fields))?;
                id
            }
        };
        Ok(Ok(id))
    })
    .await?
}

/// Deletes a personal phrase of `owner`.
pub async fn delete_own_phrase(db: &Db, actor: Actor, owner: i64, id: i64) -> AccountResult<()> {
    db.write(move |tx| {
        let Some(before) = phrases::own_phrase(tx, id, owner)? else { return Ok(Err(AccountError::NotFound)) };
        phrases::delete_own_phrase(tx, id, owner)?;
        audit::record_change(tx, &actor, "phrase.personal-delete", &format!("phrase:{id}"), Some(&before), None)?;
        Ok(Ok(()))
    })
    .await?
}
