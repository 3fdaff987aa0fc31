//! A contact's data on request (LGPD arts. 18–19): the export an administrator
//! downloads, and the anonymisation, each written to the audit log without the
//! personal data itself. A contact with an open conversation is not anonymised: its
//! conversation is closed first, so no agent loses a case mid-way.

use crate::accounts::Actor;
use crate::db::privacy::{self, Anonymised, ContactData};
use crate::db::{audit, Db};

use super::{EngineError, EngineResult};

/// Everything stored about contact `id`, recorded as exported by `actor` in `format`
/// (`json`, `pdf`).
pub async fn export(db: &Db, actor: &Actor, id: i64, format: &'static str) -> EngineResult<ContactData> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let data = privacy::contact_data(tx, id)?.ok_or(EngineError::NotFound)?;
        let details = serde_json::json!({ "format": format, "conversations": data.conversations.len() });
        audit::record(tx, actor.user_id, "contact.exported", &format!("contact:{id}"), &details, &actor.ip)?;
        Ok(data)
    })
    .await
}

/// Anonymises contact `id` (see `db::privacy::anonymise`), then folds the text index,
/// empties the write-ahead log and deletes the files no conversation names any more.
pub async fn anonymise(db: &Db, actor: &Actor, id: i64) -> EngineResult<Anonymised> {
    let actor = actor.clone();
    let done = db
        .transact(move |tx| {
            let (found, open): (bool, bool) = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM contacts WHERE id = ?1),
                        EXISTS (SELECT 1 FROM conversations WHERE contact_id = ?1 AND status != 'closed')",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if !found {
                return Err(EngineError::NotFound);
            }
            if open {
                return Err(EngineError::Invalid("privacy-open-conversation"));
            }
            let done = privacy::anonymise(tx, id, crate::db::now_ms())?;
            let details = serde_json::json!({
                "conversations": done.conversations, "messages": done.messages, "files": done.files
            });
            audit::record(tx, actor.user_id, "contact.anonymised", &format!("contact:{id}"), &details, &actor.ip)?;
            Ok(done)
        })
        .await?;
    scrub(db, &done.orphaned).await?;
    Ok(done)
}

/// After an anonymisation has committed: folds the text index, empties the write-ahead
/// log and deletes the files (by hash) no conversation names any more.
pub(super) async fn scrub(db: &Db, orphaned: &[String]) -> EngineResult<()> {
    db.write(|tx| privacy::fold_text_index(tx)).await?;
    db.read(privacy::checkpoint).await?;
    let paths: Vec<_> = orphaned.iter().map(|sha| super::attachments::stored_path(db.dir(), sha)).collect();
    rocket::tokio::task::spawn_blocking(move || {
        for path in paths {
            if let Err(e) = std::fs::remove_file(&path) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(error = %e, "an anonymised file could not be deleted");
                }
            }
        }
    })
    .await
    .map_err(|e| EngineError::Db(crate::db::DbError::Task(e.to_string())))
}
