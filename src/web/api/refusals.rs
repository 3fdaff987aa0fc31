//! The floor's refusals as the API answers them: a rule a field broke is 422 naming
//! the field as the request names it; a conversation in a state that forbids the
//! change (closed, outside WhatsApp's 24-hour window) is 409 with its own code.

use rocket::http::Status;

use super::ApiError;
use crate::engine::start::StartRefused;
use crate::engine::EngineError;

/// The request's field a floor rule is about.
fn field_of(key: &str) -> Option<&'static str> {
    Some(match key {
        "floor-empty-message" => "text",
        "floor-bad-team" => "team_id",
        "floor-bad-colleague" => "agent_id",
        "floor-bad-tabulation" => "reason_id",
        "floor-bad-tag" => "tag_id",
        "floor-template-unknown" => "template",
        "floor-template-parameter-missing" => "values",
        _ => return None,
    })
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> ApiError {
        let key = e.key();
        let unprocessable = |code| ApiError::new(Status::UnprocessableEntity, code, key);
        match e {
            EngineError::NotFound => ApiError::not_found(),
            EngineError::Closed => ApiError::new(Status::Conflict, "conversation_closed", key),
            EngineError::Invalid("floor-window-closed") => ApiError::new(Status::Conflict, "window_closed", key),
            EngineError::AlreadyTaken => ApiError::new(Status::Conflict, "already_taken", key),
            EngineError::Forbidden => ApiError::new(Status::Forbidden, "forbidden", key),
            EngineError::Invalid(key) => match field_of(key) {
                Some(field) => ApiError::invalid(field, key),
                None => unprocessable("validation_failed"),
            },
            EngineError::TabulationRequired => {
                ApiError { field: Some("reason_id".into()), ..unprocessable("classification_required") }
            }
            EngineError::TooLong(most) => {
                ApiError { arg: Some(("words", most.to_string())), ..ApiError::invalid("text", key) }
            }
            EngineError::BlockedWords(words) => ApiError {
                arg: Some(("words", words.join(", "))),
                field: Some("text".into()),
                ..unprocessable("blocked_words")
            },
            EngineError::Db(e) => ApiError::internal(e),
        }
    }
}

impl From<StartRefused> for ApiError {
    fn from(e: StartRefused) -> ApiError {
        match e {
            StartRefused::NotAllowed { key, name } => {
                ApiError { arg: Some(("name", name)), ..ApiError::new(Status::Conflict, "cannot_start", key) }
            }
            StartRefused::Engine(e) => e.into(),
        }
    }
}
