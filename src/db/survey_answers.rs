//! The satisfaction survey's answers (F-EN-6): one per conversation, a score from 1 to
//! 5 and a comment. The reports read them; the survey writes them when it is answered.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::DbResult;

#[derive(Debug, Clone, Serialize)]
pub struct SurveyAnswer {
    pub score: i64,
    pub comment: String,
    pub answered_at: i64,
}

pub fn answer_of(conn: &Connection, conversation_id: i64) -> DbResult<Option<SurveyAnswer>> {
    Ok(conn
        .query_row(
            "SELECT score, comment, answered_at FROM survey_answers WHERE conversation_id = ?1",
            [conversation_id],
            |r| Ok(SurveyAnswer { score: r.get(0)?, comment: r.get(1)?, answered_at: r.get(2)? }),
        )
        .optional()?)
}
