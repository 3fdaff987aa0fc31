//! `surveys`: the satisfaction surveys asked and not answered yet, one per contact and
//! channel; and the answers they leave in `survey_answers` (read by the reports).

use rusqlite::{params, Connection, OptionalExtension};

use super::DbResult;
use crate::domain::survey::Stage;

#[derive(Debug, Clone, PartialEq)]
pub struct OpenSurvey {
    pub conversation_id: i64,
    pub contact_id: i64,
    pub channel_id: i64,
    pub stage: Stage,
    pub expires_at: i64,
}

const COLUMNS: &str = "conversation_id, contact_id, channel_id, stage, expires_at";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<OpenSurvey> {
    let stage: String = r.get(3)?;
    Ok(OpenSurvey {
        conversation_id: r.get(0)?,
        contact_id: r.get(1)?,
        channel_id: r.get(2)?,
        stage: serde_json::from_str(&stage).unwrap_or_default(),
        expires_at: r.get(4)?,
    })
}

/// Opens a survey for a conversation just closed; one still open for the same contact
/// and channel gives way (the newer close is the one to rate).
pub fn open(conn: &Connection, s: &OpenSurvey, now: i64) -> DbResult<()> {
    conn.execute("DELETE FROM surveys WHERE contact_id = ?1 AND channel_id = ?2", params![s.contact_id, s.channel_id])?;
    conn.execute(
        "INSERT INTO surveys (conversation_id, contact_id, channel_id, stage, asked_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![s.conversation_id, s.contact_id, s.channel_id, stage_json(s.stage), now, s.expires_at],
    )?;
    Ok(())
}

fn stage_json(stage: Stage) -> String {
    serde_json::to_string(&stage).unwrap_or_default()
}

/// The open survey of a contact on a channel, if it has not expired at `now`.
pub fn open_for(conn: &Connection, contact_id: i64, channel_id: i64, now: i64) -> DbResult<Option<OpenSurvey>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM surveys WHERE contact_id = ?1 AND channel_id = ?2 AND expires_at > ?3"),
            params![contact_id, channel_id, now],
            from_row,
        )
        .optional()?)
}

/// The open survey of a conversation.
pub fn of_conversation(conn: &Connection, conversation_id: i64) -> DbResult<Option<OpenSurvey>> {
    Ok(conn
        .query_row(&format!("SELECT {COLUMNS} FROM surveys WHERE conversation_id = ?1"), [conversation_id], from_row)
        .optional()?)
}

/// Whether the contact has a survey open on any channel ("in the bot", seed 001).
pub fn contact_in_survey(conn: &Connection, contact_id: i64, now: i64) -> DbResult<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM surveys WHERE contact_id = ?1 AND expires_at > ?2)",
        params![contact_id, now],
        |r| r.get(0),
    )?)
}

pub fn set_stage(conn: &Connection, conversation_id: i64, stage: Stage) -> DbResult<()> {
    conn.execute(
        "UPDATE surveys SET stage = ?2 WHERE conversation_id = ?1",
        params![conversation_id, stage_json(stage)],
    )?;
    Ok(())
}

/// Ends a survey; false when it was not open (answered or expired meanwhile).
pub fn end(conn: &Connection, conversation_id: i64) -> DbResult<bool> {
    Ok(conn.execute("DELETE FROM surveys WHERE conversation_id = ?1", [conversation_id])? == 1)
}

/// Surveys past their time at `now`, oldest first.
pub fn expired(conn: &Connection, now: i64, limit: i64) -> DbResult<Vec<OpenSurvey>> {
    let mut stmt =
        conn.prepare(&format!("SELECT {COLUMNS} FROM surveys WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2"))?;
    let rows = stmt.query_map(params![now, limit], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Records (or changes) the score of a conversation, rating its agent; the comment is
/// kept unless `comment` gives a new one.
pub fn record_answer(
    conn: &Connection,
    conversation_id: i64,
    agent_id: Option<i64>,
    score: u8,
    comment: Option<&str>,
    now: i64,
) -> DbResult<()> {
    conn.execute(
        "INSERT INTO survey_answers (conversation_id, score, comment, answered_at, agent_id)
         VALUES (?1, ?2, coalesce(?3, ''), ?4, ?5)
         ON CONFLICT(conversation_id) DO UPDATE SET score = excluded.score,
             comment = coalesce(?3, survey_answers.comment), answered_at = excluded.answered_at",
        params![conversation_id, score, comment, now, agent_id],
    )?;
    super::webhooks::emit(conn, super::webhooks::Change::SurveyAnswered(conversation_id))?;
    Ok(())
}
