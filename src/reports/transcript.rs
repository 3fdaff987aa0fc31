//! A closed conversation's transcript as the report shows it and prints it: the
//! engine's transcript (messages, comments, events, files, classification) for whoever
//! the report's scope lets see it, with the survey's answer.

use serde::Serialize;

use crate::db::reports::Scope;
use crate::db::survey_answers::{answer_of, SurveyAnswer};
use crate::db::{settings, Db, DbResult};
use crate::engine::transcript::{transcript_of, Line, Transcript};
use crate::i18n;

#[derive(Debug, Serialize)]
pub struct ReportTranscript {
    #[serde(flatten)]
    pub transcript: Transcript,
    pub survey: Option<SurveyAnswer>,
}

/// The transcript of a closed conversation in the scope; `None` when there is none the
/// viewer may see (open ones belong to the floor), so ids cannot be probed.
pub async fn transcript(db: &Db, scope: Scope, id: i64) -> DbResult<Option<ReportTranscript>> {
    db.read(move |conn| {
        let Some(transcript) = transcript_of(conn, scope.user_id, scope.sees_all, id)? else { return Ok(None) };
        if transcript.row.conversation.status != "closed" {
            return Ok(None);
        }
        Ok(Some(ReportTranscript { transcript, survey: answer_of(conn, id)? }))
    })
    .await
}

/// The transcript as PDF, with the company's name, zone and the reader's language.
pub async fn transcript_pdf(db: &Db, scope: Scope, id: i64, lang: &'static str) -> DbResult<Option<(String, Vec<u8>)>> {
    let Some(t) = transcript(db, scope, id).await? else { return Ok(None) };
    let company = db.read(settings::load).await?;
    let head = super::pdf::Letterhead::of(db, &company).await;
    let pdf = rocket::tokio::task::spawn_blocking(move || {
        let bytes = super::pdf::transcript_pdf(&t, &head, lang, company.zone());
        (t.transcript.row.conversation.protocol.clone(), bytes)
    });
    Ok(Some(pdf.await.map_err(|e| crate::db::DbError::Task(e.to_string()))?))
}

/// The contact as one line: name, phone and e-mail, those it has.
pub fn client(t: &ReportTranscript) -> String {
    match t.transcript.contact.as_ref() {
        Some(k) => [k.name.clone(), crate::domain::phone::display(&k.phone), k.email.clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        None => String::new(),
    }
}

/// The facts printed above the messages: catalogue key of the label, and the value.
pub fn facts(t: &ReportTranscript, lang: &str, at: &dyn Fn(i64) -> String) -> Vec<(&'static str, String)> {
    let (row, record) = (&t.transcript.row, &t.transcript.record);
    let c = &row.conversation;
    let client = client(t);
    let agents: Vec<&str> =
        record.participants.iter().filter(|p| p.attended || p.invited).map(|p| p.name.as_str()).collect();
    let classification: Vec<String> = record
        .classifications
        .iter()
        .map(|k| match &k.sub {
            Some(sub) => format!("{} › {sub}", k.reason),
            None => k.reason.clone(),
        })
        .collect();
    let survey = t.survey.as_ref().map(|s| {
        let score = format!("{}/5", s.score);
        if s.comment.is_empty() {
            score
        } else {
            format!("{score} — {}", s.comment)
        }
    });
    let kind = i18n::translate(lang, &format!("channels-kind-{}", row.channel_kind));
    vec![
        ("contacts-protocol", c.protocol.clone()),
        ("contacts-contact", client),
        ("contacts-channel", format!("{kind} · {}", row.channel_name)),
        ("contacts-team", row.team_name.clone().unwrap_or_default()),
        ("reports-pdf-agents", agents.join(", ")),
        ("contacts-opened-at", at(c.opened_at)),
        ("contacts-closed-at", c.closed_at.map(at).unwrap_or_default()),
        // An open conversation (a contact's data, a demand) has no one who closed it.
        (
            "contacts-closed-by",
            match c.closed_at {
                Some(_) => {
                    record.closed_by.clone().unwrap_or_else(|| i18n::translate(lang, "contacts-closed-automatically"))
                }
                None => String::new(),
            },
        ),
        ("contacts-classification", classification.join("; ")),
        ("contacts-tags", record.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ")),
        ("reports-col-score", survey.unwrap_or_default()),
        ("contacts-close-comment", record.close_comment.clone()),
    ]
}

/// A system event in words (`Atendimento aberto, protocolo WC…`, `Vinculado ao
/// protocolo anterior WC…`).
pub fn event_text(line: &Line, lang: &str) -> String {
    let text = i18n::translate(lang, &format!("contacts-event-{}", line.event));
    match line.event.as_str() {
        "protocol" => format!("{text} {}", line.arg),
        // `linked:<protocol>[:<user>]`
        "linked" => format!("{text} {}", line.arg.split(':').next().unwrap_or_default()),
        _ => text,
    }
}

/// Who wrote a message: the contact, the agent (an internal comment says so), or the
/// company for what it sent by itself.
pub fn author(line: &Line, company: &str, lang: &str) -> String {
    let m = &line.m;
    match m.direction.as_str() {
        "in" => i18n::translate(lang, "contacts-from-contact"),
        "internal" => {
            format!("{} ({})", m.author_name.as_deref().unwrap_or(company), i18n::translate(lang, "contacts-internal"))
        }
        _ => m.author_name.clone().unwrap_or_else(|| company.to_string()),
    }
}
