//! The visitor JSON API the widget speaks: the channel's settings and words, the
//! pre-chat form, sending a message or a file, reading the conversation, marking it
//! read, and the satisfaction survey's stars.

use rocket::data::{Data, ToByteUnit};
use rocket::form::{error::ErrorKind, Errors, Form};
use rocket::fs::TempFile;
use rocket::http::Status;
use rocket::{get, options, post, routes, Route, State};
use serde::Deserialize;
use serde_json::{json, Value};

use super::words::{widget_lang, words};
use super::{answer, channel, error, internal, refused, visitor, ApiResult, Bearer, VisitorLang, MAX_BODY};
use crate::channels::webchat::{self, Settings, VisitorForm, WidgetMessage};
use crate::db::channels::Channel;
use crate::db::conversations::{self, Conversation};
use crate::db::{now_ms, schedules, Db};
use crate::domain::message_status::MessageStatus;
use crate::engine::attachments::{neutralise_file_name, MAX_ATTACHMENT_BYTES};
use crate::engine::ingest::{Inbound, IncomingFile, Ingested};
use crate::engine::Engine;
use crate::web::json::JsonAnswer;
use crate::web::rate_limit::{NewVisitor, RateLimit, VisitorMessage};

/// Reads a JSON body of at most `MAX_BODY` bytes: 413 when larger, 400 when malformed.
async fn json_body<T: for<'de> Deserialize<'de>>(data: Data<'_>, lang: &str) -> Result<T, JsonAnswer> {
    let read = data
        .open(MAX_BODY.bytes())
        .into_bytes()
        .await
        .map_err(|_| error(lang, Status::BadRequest, "webchat-bad-json", None))?;
    if !read.is_complete() {
        return Err(error(lang, Status::PayloadTooLarge, "webchat-too-large", None));
    }
    serde_json::from_slice(&read.into_inner()).map_err(|_| error(lang, Status::BadRequest, "webchat-bad-json", None))
}

/// The channel, the visitor behind the token and the JSON body they sent.
async fn visitor_json<T: for<'de> Deserialize<'de>>(
    engine: &Engine,
    key: &str,
    bearer: Bearer,
    data: Data<'_>,
    l: &str,
) -> Result<(Channel, super::VisitorContact, T), JsonAnswer> {
    let (ch, visitor) = visitor(&engine.db, key, bearer.0, l).await?;
    Ok((ch, visitor, json_body(data, l).await?))
}

/// The channel's settings, whether it is within its hours, and the widget's words in
/// `lang`, the language the widget asks for.
#[get("/webchat/<key>/config?<lang>")]
async fn config(key: &str, lang: Option<&str>, db: &State<Db>, accepted: VisitorLang) -> ApiResult {
    let ch = channel(db, key, accepted.0).await?;
    let settings = Settings::of(&ch);
    let group = ch.schedule_group_id;
    let open = match group {
        None => true,
        Some(id) => match db.read(move |c| schedules::schedule_of(c, id)).await {
            Ok(Some(s)) => crate::domain::schedule::is_open(&s, now_ms()),
            Ok(None) => true,
            Err(e) => return Err(internal(accepted.0, e)),
        },
    };
    Ok(answer(
        Status::Ok,
        json!({
            "name": ch.name,
            "color": settings.color,
            "greeting": settings.greeting,
            "fields": { "name": "required", "email": settings.email, "phone": settings.phone },
            "open": open,
            "words": words(widget_lang(lang, accepted.0)),
        }),
    ))
}

#[post("/webchat/<key>/visitors", data = "<data>")]
async fn visitors(
    key: &str,
    _limit: RateLimit<NewVisitor>,
    data: Data<'_>,
    db: &State<Db>,
    lang: VisitorLang,
) -> ApiResult {
    let ch = channel(db, key, lang.0).await?;
    let form: VisitorForm = json_body(data, lang.0).await?;
    let country = db.read(crate::db::settings::load).await.map_err(|e| internal(lang.0, e))?.default_country;
    let v = webchat::validate_visitor(&Settings::of(&ch), &form, &country)
        .map_err(|r| error(lang.0, Status::UnprocessableEntity, r.key, Some(r.field)))?;
    let token = webchat::register(db, ch.id, v).await.map_err(|e| internal(lang.0, e))?;
    Ok(answer(Status::Created, json!({ "token": token })))
}

#[post("/webchat/<key>/messages", data = "<data>")]
async fn send(
    key: &str,
    bearer: Bearer,
    _limit: RateLimit<VisitorMessage>,
    data: Data<'_>,
    engine: &State<Engine>,
    lang: VisitorLang,
) -> ApiResult {
    let l = lang.0;
    let (ch, visitor, m) = visitor_json::<WidgetMessage>(engine, key, bearer, data, l).await?;
    let (text, client_id) =
        m.checked().map_err(|(key, field)| error(l, Status::UnprocessableEntity, key, Some(field)))?;
    // Per visitor, so two visitors' widgets never collide on the same id.
    let external_id = client_id.map(|c| format!("{}:{c}", visitor.contact.id));
    let (stored, body) = ingest_and_answer(engine, visitor.inbound(ch.id, text, external_id), "text", l).await?;
    // A "thank you" after a close is kept with the closed conversation: stored, 201.
    let status = if matches!(stored, Ingested::Duplicate { .. }) { Status::Ok } else { Status::Created };
    Ok(answer(status, body))
}

/// Hands what a visitor sent to the engine; what was stored, and the answer the widget
/// shows: the protocol and the message as the visitor will see it, read in the
/// ingest's own transaction.
async fn ingest_and_answer(
    engine: &Engine,
    inbound: Inbound,
    field: &str,
    l: &str,
) -> Result<(Ingested, Value), JsonAnswer> {
    let read_back = |c: &rusqlite::Connection, stored: &Ingested| {
        let (protocol, message_id) = match stored {
            // The protocol is known already: no second read of the conversation.
            Ingested::Stored { protocol, message_id, .. } => (Some(protocol.clone()), *message_id),
            Ingested::Duplicate { conversation_id, message_id } | Ingested::Kept { conversation_id, message_id } => {
                (conversations::conversation_by_id(c, *conversation_id)?.map(|conv| conv.protocol), *message_id)
            }
        };
        Ok((protocol, webchat::visitor_message(c, message_id)?))
    };
    match engine.ingest_then(inbound, read_back).await {
        Ok((stored, (Some(protocol), Some(message)))) => {
            Ok((stored, json!({ "protocol": protocol, "message": message })))
        }
        Ok(_) => Err(internal(l, "stored message vanished")),
        Err(e) => Err(refused(l, e, field)),
    }
}

/// The visitor's current conversation, if they have one on the channel.
async fn current(
    engine: &Engine,
    channel_id: i64,
    contact_id: i64,
    l: &str,
) -> Result<Option<Conversation>, JsonAnswer> {
    engine.db.read(move |c| webchat::current_conversation(c, channel_id, contact_id)).await.map_err(|e| internal(l, e))
}

#[get("/webchat/<key>/messages")]
async fn messages(key: &str, bearer: Bearer, engine: &State<Engine>, lang: VisitorLang) -> ApiResult {
    let l = lang.0;
    let (ch, visitor) = visitor(&engine.db, key, bearer.0, l).await?;
    let Some(conv) = current(engine, ch.id, visitor.contact.id, l).await? else {
        return Ok(answer(Status::Ok, json!({ "conversation": null, "messages": [] })));
    };
    // Fetching is receiving: what the outbox sent is now delivered.
    engine.visitor_saw(conv.id, MessageStatus::Delivered).await.map_err(|e| internal(l, e))?;
    let id = conv.id;
    // Who is answering, while someone is: the widget shows the name instead of "offline".
    let answering = conv.agent_id.filter(|_| matches!(conv.status.as_str(), "active" | "pending"));
    let found = engine
        .db
        .read(move |c| {
            let agent = match answering {
                Some(user) => crate::db::users::user_by_id(c, user)?.map(|u| u.name),
                None => None,
            };
            let survey = crate::db::surveys::of_conversation(c, id)?.filter(|s| s.expires_at > now_ms());
            Ok((conversations::queue_position(c, id)?, webchat::visitor_messages(c, id)?, agent, survey))
        })
        .await
        .map_err(|e| internal(l, e))?;
    let (position, list, agent, survey) = found;
    // An open survey: the widget shows its stars (score) or waits for a comment.
    let survey = survey.map(|s| s.stage);
    let conversation = json!({
        "protocol": conv.protocol, "status": conv.status, "position": position, "agent": agent, "survey": survey
    });
    Ok(answer(Status::Ok, json!({ "conversation": conversation, "messages": list })))
}

#[post("/webchat/<key>/read")]
async fn read(key: &str, bearer: Bearer, engine: &State<Engine>, lang: VisitorLang) -> ApiResult {
    let l = lang.0;
    let (ch, visitor) = visitor(&engine.db, key, bearer.0, l).await?;
    let changed = match current(engine, ch.id, visitor.contact.id, l).await? {
        Some(conv) => engine.visitor_saw(conv.id, MessageStatus::Read).await.map_err(|e| internal(l, e))?,
        None => 0,
    };
    Ok(answer(Status::Ok, json!({ "read": changed })))
}

#[derive(Deserialize)]
struct Stars {
    score: u8,
}

/// `POST /webchat/<key>/survey`: the stars the visitor tapped for their open survey.
#[post("/webchat/<key>/survey", data = "<data>")]
async fn survey(
    key: &str,
    bearer: Bearer,
    _limit: RateLimit<VisitorMessage>,
    data: Data<'_>,
    engine: &State<Engine>,
    lang: VisitorLang,
) -> ApiResult {
    let l = lang.0;
    let (ch, visitor, stars) = visitor_json::<Stars>(engine, key, bearer, data, l).await?;
    match engine.survey_stars(visitor.contact.id, ch.id, stars.score).await {
        Ok(()) => Ok(answer(Status::Ok, json!({ "score": stars.score }))),
        Err(e) => Err(refused(l, e, "score")),
    }
}

/// CORS preflight for the visitor API.
#[options("/webchat/<_..>")]
fn preflight() -> JsonAnswer {
    answer(Status::NoContent, Value::Null)
}

/// A file the visitor sends from the widget (multipart, field `file`).
#[derive(rocket::form::FromForm)]
struct VisitorUpload<'r> {
    file: TempFile<'r>,
}

/// Why an upload could not be read: too large, or not a whole multipart body.
fn upload_refused(errors: &Errors<'_>, l: &str) -> JsonAnswer {
    // A cut-off body also reports a length error (with no maximum): incomplete wins.
    let incomplete = errors.iter().any(|e| matches!(e.kind, ErrorKind::Io(_)));
    if !incomplete && errors.iter().any(|e| e.status() == Status::PayloadTooLarge) {
        error(l, Status::PayloadTooLarge, "webchat-file-too-large", Some("file"))
    } else if errors.iter().any(|e| matches!(e.kind, ErrorKind::Missing)) {
        error(l, Status::UnprocessableEntity, "field-required", Some("file"))
    } else {
        error(l, Status::BadRequest, "webchat-bad-upload", Some("file"))
    }
}

/// What the visitor uploaded: its neutralised name, its declared type and its bytes.
struct VisitorFile {
    name: String,
    declared: String,
    bytes: Vec<u8>,
}

async fn read_upload(file: &TempFile<'_>, l: &str) -> Result<VisitorFile, JsonAnswer> {
    let missing = || error(l, Status::UnprocessableEntity, "field-required", Some("file"));
    if file.len() == 0 {
        return Err(missing());
    }
    if file.len() > MAX_ATTACHMENT_BYTES as u64 {
        return Err(error(l, Status::PayloadTooLarge, "webchat-file-too-large", Some("file")));
    }
    let Some(path) = file.path() else { return Err(missing()) };
    let bytes = rocket::tokio::fs::read(path).await.map_err(|e| internal(l, e))?;
    let raw_name =
        file.raw_name().map(|n| n.dangerous_unsafe_unsanitized_raw().as_str().to_string()).unwrap_or_default();
    let declared = file.content_type().map(|c| c.to_string()).unwrap_or_default();
    Ok(VisitorFile { name: neutralise_file_name(&raw_name), declared, bytes })
}

/// `POST /webchat/<key>/attachments`: the file becomes a message of the visitor's
/// conversation (opening one if needed), stored with it.
#[post("/webchat/<key>/attachments", data = "<upload>")]
async fn attach(
    key: &str,
    bearer: Bearer,
    _limit: RateLimit<VisitorMessage>,
    upload: Result<Form<VisitorUpload<'_>>, Errors<'_>>,
    engine: &State<Engine>,
    lang: VisitorLang,
) -> ApiResult {
    let l = lang.0;
    let upload = upload.map_err(|errors| upload_refused(&errors, l))?;
    let (ch, visitor) = visitor(&engine.db, key, bearer.0, l).await?;
    let file = read_upload(&upload.file, l).await?;
    // The file comes with its message: both are stored in one transaction.
    let mut inbound = visitor.inbound(ch.id, String::new(), None);
    inbound.files = vec![IncomingFile { file_name: file.name, declared_type: file.declared, bytes: file.bytes }];
    match ingest_and_answer(engine, inbound, "file", l).await? {
        (Ingested::Duplicate { .. }, _) => {
            Err(error(l, Status::UnprocessableEntity, "floor-empty-message", Some("file")))
        }
        (_, body) => Ok(answer(Status::Created, body)),
    }
}

pub fn routes() -> Vec<Route> {
    routes![config, visitors, send, attach, messages, read, survey, preflight]
}
