//! Retention (F-AD-10, LGPD): one pass of the periodic job at an instant. With the
//! company's "Retenção" at N months, the closed conversations closed more than N months
//! ago lose their text and files in bounded batches (protocols, times, classifications
//! and scores stay for the reports), and a contact of theirs with nothing open and
//! nothing closed inside the period is anonymised — the same removal as "Anonimizar
//! contato" (`db::privacy`). A pass that changed something is audited with counts only.

use chrono::{Months, TimeZone};
use rusqlite::params;
use serde_json::json;

use super::{Engine, EngineResult};
use crate::db::{audit, privacy, settings};

/// Conversations anonymised per pass; the next pass takes the rest.
const BATCH: i64 = 200;

/// What one pass removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Retained {
    pub conversations: usize,
    pub messages: usize,
    pub files: usize,
    pub contacts: usize,
}

/// The instant `months` calendar months before `now`, in the company's zone.
fn cutoff(now: i64, months: u32, tz: chrono_tz::Tz) -> i64 {
    let at = tz.timestamp_millis_opt(now).single().unwrap_or_else(|| tz.timestamp_millis_opt(0).unwrap());
    at.checked_sub_months(Months::new(months)).map_or(i64::MIN, |t| t.timestamp_millis())
}

impl Engine {
    /// The retention pass at `now`; nothing when retention is off (0 months).
    pub async fn retention(&self, now: i64) -> EngineResult<Retained> {
        let (done, orphaned) = self
            .write(move |tx| {
                let company = settings::load(tx)?;
                let Ok(months @ 1..) = u32::try_from(company.retention_months) else {
                    return Ok((Retained::default(), Vec::new()));
                };
                let before = cutoff(now, months, company.zone());
                let mut stmt = tx.prepare_cached(
                    "SELECT id, contact_id FROM conversations
                     WHERE status = 'closed' AND anonymised_at IS NULL AND closed_at < ?1 ORDER BY closed_at LIMIT ?2",
                )?;
                let found: Vec<(i64, i64)> = stmt
                    .query_map(params![before, BATCH], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                drop(stmt);
                let ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
                let batch = privacy::anonymise_conversations(tx, &ids, now)?;
                let mut done =
                    Retained { conversations: ids.len(), messages: batch.messages, files: batch.files, contacts: 0 };
                let mut orphaned = batch.orphaned;
                // A contact's last conversation to age passes through here, so its
                // contacts are the only ones that may have nothing recent left.
                let mut contacts: Vec<i64> = found.iter().map(|(_, contact)| *contact).collect();
                contacts.sort_unstable();
                contacts.dedup();
                for contact in contacts {
                    let spent: bool = tx.query_row(
                        "SELECT NOT EXISTS (SELECT 1 FROM conversations WHERE contact_id = ?1
                                              AND (status != 'closed' OR closed_at >= ?2))
                            AND EXISTS (SELECT 1 FROM contacts WHERE id = ?1 AND anonymised_at IS NULL)",
                        params![contact, before],
                        |r| r.get(0),
                    )?;
                    if spent {
                        let removed = privacy::anonymise(tx, contact, now)?;
                        done.contacts += 1;
                        done.files += removed.files;
                        orphaned.extend(removed.orphaned);
                    }
                }
                if done != Retained::default() {
                    let details = json!({
                        "months": months, "conversations": done.conversations, "messages": done.messages,
                        "files": done.files, "contacts": done.contacts,
                    });
                    audit::record(tx, None, "retention.anonymised", "retention", &details, "")?;
                }
                Ok((done, orphaned))
            })
            .await?;
        if done != Retained::default() {
            super::privacy::scrub(&self.db, &orphaned).await?;
        }
        Ok(done)
    }
}
