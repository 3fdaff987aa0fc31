//! "Histórico por protocolo" (Decreto 11.034/2022, F-RE-6): from one protocol, every
//! conversation of the customer's demand — the one that protocol names and those linked
//! to it, across channels — in the order they opened; as a page, and as one PDF ready
//! to send (a cover, then each transcript), its export audited. Granted by its own
//! permission, which sees the demand whole whatever the viewer's history shows.

use serde::Serialize;
use serde_json::json;

use super::pdf::{transcript_section, Layout, Letterhead, BODY, HEADING, TITLE};
use super::transcript::ReportTranscript;
use crate::accounts::Actor;
use crate::db::survey_answers::answer_of;
use crate::db::{audit, protocol_links, settings, Db, DbError, DbResult};
use crate::domain::protocol::is_protocol;
use crate::engine::transcript::transcript_of;
use crate::i18n::{self, dates};

/// A protocol searched: what was typed, why it found nothing, or the demand.
#[derive(Debug, Serialize)]
pub struct ProtocolHistory {
    pub protocol: String,
    /// Catalogue key of what is wrong with the search.
    pub error: Option<&'static str>,
    pub conversations: Vec<ReportTranscript>,
}

fn typed(protocol: &str) -> String {
    protocol.trim().to_ascii_uppercase()
}

/// Every conversation of the demand of `protocol`, whole (`user` is who reads it).
fn demand(conn: &rusqlite::Connection, user: i64, protocol: &str) -> DbResult<Vec<ReportTranscript>> {
    let Some(id) = protocol_links::by_protocol(conn, protocol)? else { return Ok(Vec::new()) };
    let mut all = Vec::new();
    for id in protocol_links::conversations_of_demand(conn, id)? {
        if let Some(transcript) = transcript_of(conn, user, true, id)? {
            all.push(ReportTranscript { transcript, survey: answer_of(conn, id)? });
        }
    }
    Ok(all)
}

/// The page: nothing searched yet, a protocol that is none or unknown, or its demand.
pub async fn protocol_history(db: &Db, user: i64, protocol: Option<&str>) -> DbResult<ProtocolHistory> {
    let protocol = typed(protocol.unwrap_or_default());
    if protocol.is_empty() {
        return Ok(ProtocolHistory { protocol, error: None, conversations: Vec::new() });
    }
    if !is_protocol(&protocol) {
        return Ok(ProtocolHistory { protocol, error: Some("reports-protocol-bad"), conversations: Vec::new() });
    }
    let searched = protocol.clone();
    let conversations = db.read(move |conn| demand(conn, user, &searched)).await?;
    let error = conversations.is_empty().then_some("reports-protocol-not-found");
    Ok(ProtocolHistory { protocol, error, conversations })
}

/// The demand as one PDF (`None` when the protocol names no conversation), recorded in
/// the audit log (`report.protocol-export`: the protocol, how many conversations).
pub async fn protocol_pdf(db: &Db, actor: &Actor, protocol: &str, lang: &'static str) -> DbResult<Option<Vec<u8>>> {
    let protocol = typed(protocol);
    if !is_protocol(&protocol) {
        return Ok(None);
    }
    let (searched, user) = (protocol.clone(), actor.user_id.unwrap_or(0));
    let (company, all) = db.read(move |conn| Ok((settings::load(conn)?, demand(conn, user, &searched)?))).await?;
    if all.is_empty() {
        return Ok(None);
    }
    let (actor, details) = (actor.clone(), json!({ "protocol": protocol, "conversations": all.len() }));
    db.write(move |tx| {
        audit::record(tx, actor.user_id, "report.protocol-export", "report:protocol", &details, &actor.ip)
    })
    .await?;
    let head = Letterhead::of(db, &company).await;
    let pdf = rocket::tokio::task::spawn_blocking(move || write(&protocol, &all, &head, lang, company.zone()));
    Ok(Some(pdf.await.map_err(|e| DbError::Task(e.to_string()))?))
}

/// The cover (protocol, company, contact, first contact, last answer, how many
/// conversations on which channels), then every transcript on pages of its own.
fn write(protocol: &str, all: &[ReportTranscript], head: &Letterhead, lang: &str, tz: chrono_tz::Tz) -> Vec<u8> {
    let tr = |key: &str| i18n::translate(lang, key);
    let at = |ms: i64| dates::format(ms, tz, lang, dates::Style::DateTime);
    let mut l = Layout::new();
    l.letterhead(head);
    let title = i18n::translate_with(lang, "reports-protocol-pdf-title", &[("protocol", protocol.to_string().into())]);
    l.text(&title, TITLE);
    l.rule();
    let first = all.iter().map(|t| t.transcript.row.conversation.opened_at).min();
    let last_answer = all
        .iter()
        .flat_map(|t| t.transcript.messages.iter())
        .filter(|line| line.m.direction == "out")
        .map(|line| line.m.created_at)
        .max();
    let mut channels: Vec<String> = all
        .iter()
        .map(|t| {
            format!(
                "{} · {}",
                tr(&format!("channels-kind-{}", t.transcript.row.channel_kind)),
                t.transcript.row.channel_name
            )
        })
        .collect();
    channels.sort();
    channels.dedup();
    l.fact(&tr("reports-col-protocol"), protocol);
    l.fact(&tr("reports-protocol-company"), &head.name);
    l.fact(&tr("contacts-contact"), &all.first().map(super::transcript::client).unwrap_or_default());
    l.fact(&tr("reports-protocol-first-contact"), &first.map(at).unwrap_or_default());
    l.fact(&tr("reports-protocol-last-answer"), &last_answer.map(at).unwrap_or_default());
    let count = i18n::translate_with(lang, "reports-protocol-count", &[("count", (all.len() as i64).into())]);
    l.fact(&tr("reports-conversations"), &count);
    l.fact(&tr("reports-protocol-channels"), &channels.join("; "));
    l.rule();
    l.text(&tr("reports-protocol-contents"), HEADING);
    for t in all {
        let c = &t.transcript.row.conversation;
        l.text(&format!("{} · {}", c.protocol, at(c.opened_at)), BODY);
    }
    for t in all {
        l.page_break();
        transcript_section(&mut l, t, &head.name, lang, tz);
    }
    l.document(&title, lang, protocol)
}
