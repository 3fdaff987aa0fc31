//! A contact's data on request (LGPD arts. 18–19) as one readable PDF: who the contact
//! is (fields, custom fields, identities per channel), the changes recorded, then every
//! conversation's transcript as the history prints it. Audited as the JSON export is
//! (`contact.exported`, with the format).

use super::pdf::{transcript_section, Layout, Letterhead, BODY, BYLINE, HEADING, INDENTED, TITLE};
use super::transcript::ReportTranscript;
use crate::accounts::Actor;
use crate::db::contacts::change_label_key;
use crate::db::privacy::ContactData;
use crate::db::survey_answers::answer_of;
use crate::db::{settings, Db, DbError};
use crate::engine::transcript::transcript_of;
use crate::engine::{privacy, EngineError, EngineResult};
use crate::i18n::{self, dates};

/// Everything stored about contact `id` as PDF for the administrator `actor`.
pub async fn contact_pdf(db: &Db, actor: &Actor, id: i64, lang: &'static str) -> EngineResult<Vec<u8>> {
    let data = privacy::export(db, actor, id, "pdf").await?;
    let ids: Vec<i64> = data.conversations.iter().map(|c| c.id).collect();
    // An administrator's export: every conversation of the contact.
    let user = actor.user_id.unwrap_or(0);
    let (company, transcripts) = db
        .read(move |conn| {
            let mut all = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(transcript) = transcript_of(conn, user, true, id)? {
                    all.push(ReportTranscript { transcript, survey: answer_of(conn, id)? });
                }
            }
            Ok((settings::load(conn)?, all))
        })
        .await?;
    let head = Letterhead::of(db, &company).await;
    let pdf = rocket::tokio::task::spawn_blocking(move || write(&data, &transcripts, &head, lang, company.zone()));
    pdf.await.map_err(|e| EngineError::Db(DbError::Task(e.to_string())))
}

fn write(
    data: &ContactData,
    transcripts: &[ReportTranscript],
    head: &Letterhead,
    lang: &str,
    tz: chrono_tz::Tz,
) -> Vec<u8> {
    let tr = |key: &str| i18n::translate(lang, key);
    let at = |ms: i64| dates::format(ms, tz, lang, dates::Style::DateTime);
    let empty = tr("contacts-change-empty");
    let or_empty = |v: &str| if v.is_empty() { empty.clone() } else { v.to_string() };
    let mut l = Layout::new();
    l.letterhead(head);
    let title = i18n::translate_with(lang, "privacy-pdf-title", &[("id", data.id.into())]);
    l.text(&title, TITLE);
    l.rule();
    l.fact(&tr("field-name"), &data.name);
    l.fact(&tr("field-phone"), &crate::domain::phone::display(&data.phone));
    l.fact(&tr("field-email"), &data.email);
    l.fact(&tr("contacts-since"), &at(data.created_at));
    for (label, value) in &data.custom {
        l.fact(label, value.as_str().map_or_else(|| value.to_string(), str::to_string).as_str());
    }
    l.rule();
    l.text(&tr("privacy-pdf-identities"), HEADING);
    for identity in &data.identities {
        let kind = tr(&format!("channels-kind-{}", identity.kind));
        l.text(&format!("{kind} · {} · {}", identity.channel, at(identity.created_at)), BYLINE);
        l.text(&identity.address, INDENTED);
    }
    l.rule();
    l.text(&tr("contacts-changes"), HEADING);
    for change in &data.changes {
        let what = match (change.field.as_str(), change_label_key(&change.field), &change.label) {
            ("", ..) => tr("contacts-change-created"),
            (_, Some(key), _) => tr(key),
            (_, None, Some(label)) => label.clone(),
            _ => tr("contacts-change-removed-field"),
        };
        let by = change.by.as_deref().map(|b| format!(" · {b}")).unwrap_or_default();
        l.text(&format!("{}{by}", at(change.at)), BYLINE);
        let line = match change.field.as_str() {
            "" => what,
            _ => format!("{what}: {} » {}", or_empty(&change.old_value), or_empty(&change.new_value)),
        };
        l.text(&line, INDENTED);
    }
    if data.changes.is_empty() {
        l.text(&tr("contacts-changes-none"), BODY);
    }
    l.gap(6.0);
    let count =
        i18n::translate_with(lang, "privacy-pdf-conversations", &[("count", (transcripts.len() as i64).into())]);
    l.text(&count, HEADING);
    for t in transcripts {
        let c = &t.transcript.row.conversation;
        let kind = tr(&format!("channels-kind-{}", t.transcript.row.channel_kind));
        l.text(&format!("{} · {kind} · {}", c.protocol, at(c.opened_at)), BODY);
    }
    for t in transcripts {
        l.page_break();
        transcript_section(&mut l, t, &head.name, lang, tz);
    }
    l.document(&title, lang, &title)
}
