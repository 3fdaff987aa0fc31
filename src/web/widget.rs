//! The web chat widget's side of the server: `/widget.js`, the visitor JSON API under
//! `/webchat/<key>/…` and the demo shop page. The widget runs on the company's own site,
//! so the API uses no cookies and no CSRF token: a visitor proves who they are with the
//! bearer token they got from `POST /webchat/<key>/visitors`, and every answer allows
//! any origin. Errors are JSON, never an HTML page.

use std::collections::HashSet;
use std::time::Duration;

use rocket::data::{Data, ToByteUnit};
use rocket::http::{ContentType, Header, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::stream::{Event as SseEvent, EventStream};
use rocket::response::{self, Responder, Response};
use rocket::serde::json::Json;
use rocket::tokio::sync::broadcast::error::RecvError;
use rocket::{catch, catchers, get, options, post, routes, Catcher, Route, Shutdown, State};
use rocket_dyn_templates::{context, Template};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::channels::webchat::{self, Settings, VisitorForm};
use crate::db::channels::{self, Channel};
use crate::db::{contacts, conversations, now_ms, schedules, Db};
use crate::engine::ingest::{Inbound, Ingested};
use crate::engine::{Engine, EngineError, Event};
use crate::i18n;
use crate::web::page::Page;
use crate::web::rate_limit::{NewVisitor, RateLimit, VisitorMessage};

/// Largest request body the visitor API reads.
pub const MAX_BODY: u64 = 64 * 1024;
/// Longest message a visitor may send (characters).
pub const MAX_TEXT: usize = 4096;

/// A JSON answer that any origin may read.
pub struct Api {
    status: Status,
    body: Value,
}

impl Api {
    fn new(status: Status, body: Value) -> Api {
        Api { status, body }
    }
}

fn cors(res: &mut Response<'_>) {
    res.set_header(Header::new("Access-Control-Allow-Origin", "*"));
    res.set_header(Header::new("Access-Control-Allow-Methods", "GET, POST, OPTIONS"));
    res.set_header(Header::new("Access-Control-Allow-Headers", "Authorization, Content-Type"));
    res.set_header(Header::new("Access-Control-Max-Age", "86400"));
}

impl<'r> Responder<'r, 'static> for Api {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let mut res = Response::build_from(Json(self.body).respond_to(req)?).status(self.status).finalize();
        cors(&mut res);
        Ok(res)
    }
}

/// The visitor's language for error messages: `Accept-Language`, else pt-BR.
pub struct VisitorLang(&'static str);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for VisitorLang {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let lang =
            req.headers().get_one("Accept-Language").and_then(i18n::from_accept_language).unwrap_or(i18n::DEFAULT);
        Outcome::Success(VisitorLang(lang))
    }
}

/// `Authorization: Bearer …`, when given.
pub struct Bearer(Option<String>);

/// The visitor token of `Authorization: Bearer …`, if it has a plausible length.
pub fn bearer_token<'r>(req: &'r Request<'_>) -> Option<&'r str> {
    req.headers()
        .get_one("Authorization")
        .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200)
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Bearer {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Bearer(bearer_token(req).map(str::to_string)))
    }
}

fn error(lang: &str, status: Status, key: &str, field: Option<&str>) -> Api {
    let message = match key {
        // Messages that name a limit say the real one.
        "webchat-too-large" => i18n::translate_with(lang, key, &[("max", format!("{} KiB", MAX_BODY / 1024).into())]),
        "webchat-file-too-large" => i18n::translate_with(
            lang,
            key,
            &[("max", format!("{} MiB", crate::engine::attachments::MAX_ATTACHMENT_BYTES / (1024 * 1024)).into())],
        ),
        _ => i18n::translate(lang, key),
    };
    let mut body = json!({ "error": message, "code": key });
    if let Some(field) = field {
        body["field"] = Value::from(field);
    }
    Api::new(status, body)
}

type ApiResult = Result<Api, Api>;

fn internal(lang: &str, e: impl std::fmt::Display) -> Api {
    tracing::error!(error = %e, "web chat request failed");
    error(lang, Status::InternalServerError, "error-internal", None)
}

/// The active web chat channel with this key, or 404.
async fn channel(db: &Db, key: &str, lang: &str) -> Result<Channel, Api> {
    let key = key.to_string();
    match db.read(move |c| channels::channel_by_key(c, webchat::KIND, &key)).await {
        Ok(Some(ch)) if ch.active => Ok(ch),
        Ok(_) => Err(error(lang, Status::NotFound, "webchat-unknown-channel", None)),
        Err(e) => Err(internal(lang, e)),
    }
}

/// The contact behind a visitor token on the channel, or 401.
async fn visitor(db: &Db, channel: &Channel, token: Option<String>, lang: &str) -> Result<i64, Api> {
    let Some(token) = token else {
        return Err(error(lang, Status::Unauthorized, "webchat-bad-token", None));
    };
    let (channel_id, identity) = (channel.id, webchat::visitor_identity(&token));
    match db.read(move |c| contacts::contact_by_identity(c, channel_id, &identity)).await {
        Ok(Some(contact)) => Ok(contact.id),
        Ok(None) => Err(error(lang, Status::Unauthorized, "webchat-bad-token", None)),
        Err(e) => Err(internal(lang, e)),
    }
}

/// Reads a JSON body of at most `MAX_BODY` bytes: 413 when larger, 400 when malformed.
async fn json_body<T: for<'de> Deserialize<'de>>(data: Data<'_>, lang: &str) -> Result<T, Api> {
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

#[get("/webchat/<key>/config")]
async fn config(key: &str, db: &State<Db>, lang: VisitorLang) -> ApiResult {
    let ch = channel(db, key, lang.0).await?;
    let settings = Settings::of(&ch);
    let group = ch.schedule_group_id;
    let open = match group {
        None => true,
        Some(id) => match db.read(move |c| schedules::schedule_of(c, id)).await {
            Ok(Some(s)) => crate::domain::schedule::is_open(&s, now_ms()),
            Ok(None) => true,
            Err(e) => return Err(internal(lang.0, e)),
        },
    };
    Ok(Api::new(
        Status::Ok,
        json!({
            "name": ch.name,
            "color": settings.color,
            "greeting": settings.greeting,
            "fields": { "name": "required", "email": settings.email, "phone": settings.phone },
            "open": open,
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
    let v = webchat::validate_visitor(&Settings::of(&ch), &form)
        .map_err(|r| error(lang.0, Status::UnprocessableEntity, r.key, Some(r.field)))?;
    let channel_id = ch.id;
    let token =
        db.write(move |tx| webchat::register_visitor(tx, channel_id, &v)).await.map_err(|e| internal(lang.0, e))?;
    Ok(Api::new(Status::Created, json!({ "token": token })))
}

#[derive(Deserialize)]
struct NewMessage {
    #[serde(default)]
    text: String,
    #[serde(default)]
    client_id: Option<String>,
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
    let ch = channel(&engine.db, key, l).await?;
    let contact_id = visitor(&engine.db, &ch, bearer.0.clone(), l).await?;
    let m: NewMessage = json_body(data, l).await?;
    let text = m.text.trim().to_string();
    if text.is_empty() {
        return Err(error(l, Status::UnprocessableEntity, "floor-empty-message", Some("text")));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(error(l, Status::UnprocessableEntity, "floor-message-too-long", Some("text")));
    }
    let client_id = m.client_id.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    if client_id.as_ref().is_some_and(|c| c.len() > 100) {
        return Err(error(l, Status::UnprocessableEntity, "field-too-long", Some("client_id")));
    }
    let token = bearer.0.unwrap_or_default();
    let contact = engine.db.read(move |c| contacts::contact_by_id(c, contact_id)).await.map_err(|e| internal(l, e))?;
    let contact = contact.ok_or_else(|| error(l, Status::Unauthorized, "webchat-bad-token", None))?;
    let inbound = Inbound {
        channel_id: ch.id,
        contact_key: webchat::visitor_identity(&token),
        contact_name: contact.name,
        contact_email: contact.email,
        contact_phone: contact.phone,
        // Per visitor, so two visitors' widgets never collide on the same id.
        external_id: client_id.map(|c| format!("{contact_id}:{c}")),
        body: text,
        attachment_id: None,
    };
    let (status, conversation_id, message_id) = match engine.ingest(inbound).await {
        Ok(Ingested::Stored { conversation_id, message_id, .. }) => (Status::Created, conversation_id, message_id),
        Ok(Ingested::Duplicate { conversation_id, message_id }) => (Status::Ok, conversation_id, message_id),
        // A "thank you" after a close is kept with the closed conversation.
        Ok(Ingested::Kept { conversation_id, message_id }) => (Status::Created, conversation_id, message_id),
        Err(EngineError::Invalid(key)) => return Err(error(l, Status::UnprocessableEntity, key, Some("text"))),
        Err(EngineError::NotFound) => return Err(error(l, Status::NotFound, "webchat-unknown-channel", None)),
        Err(e) => return Err(internal(l, e)),
    };
    stored_answer(&engine.db, status, conversation_id, message_id, l).await
}

/// The answer to what a visitor sent: the protocol and the message as they will see it.
async fn stored_answer(db: &Db, status: Status, conversation_id: i64, message_id: i64, l: &str) -> ApiResult {
    let found = db
        .read(move |c| {
            Ok((conversations::conversation_by_id(c, conversation_id)?, webchat::visitor_message(c, message_id)?))
        })
        .await
        .map_err(|e| internal(l, e))?;
    let (Some(conv), Some(message)) = found else {
        return Err(internal(l, "stored message vanished"));
    };
    Ok(Api::new(status, json!({ "protocol": conv.protocol, "message": message })))
}

#[get("/webchat/<key>/messages")]
async fn messages(key: &str, bearer: Bearer, engine: &State<Engine>, lang: VisitorLang) -> ApiResult {
    let l = lang.0;
    let ch = channel(&engine.db, key, l).await?;
    let contact_id = visitor(&engine.db, &ch, bearer.0, l).await?;
    let channel_id = ch.id;
    let current = engine
        .db
        .read(move |c| webchat::current_conversation(c, channel_id, contact_id))
        .await
        .map_err(|e| internal(l, e))?;
    let Some(conv) = current else {
        return Ok(Api::new(Status::Ok, json!({ "conversation": null, "messages": [] })));
    };
    // Fetching is receiving: what the outbox sent is now delivered.
    if let Err(e) = engine.visitor_saw(conv.id, "delivered").await {
        return Err(internal(l, e));
    }
    let id = conv.id;
    // Who is answering, while someone is: the widget shows the name instead of "offline".
    let answering = conv.agent_id.filter(|_| matches!(conv.status.as_str(), "active" | "pending"));
    let (position, list, agent) = engine
        .db
        .read(move |c| {
            let agent = match answering {
                Some(user) => crate::db::users::user_by_id(c, user)?.map(|u| u.name),
                None => None,
            };
            Ok((conversations::queue_position(c, id)?, webchat::visitor_messages(c, id)?, agent))
        })
        .await
        .map_err(|e| internal(l, e))?;
    Ok(Api::new(
        Status::Ok,
        json!({
            "conversation": {
                "protocol": conv.protocol, "status": conv.status, "position": position, "agent": agent,
            },
            "messages": list,
        }),
    ))
}

#[post("/webchat/<key>/read")]
async fn read(key: &str, bearer: Bearer, engine: &State<Engine>, lang: VisitorLang) -> ApiResult {
    let l = lang.0;
    let ch = channel(&engine.db, key, l).await?;
    let contact_id = visitor(&engine.db, &ch, bearer.0, l).await?;
    let channel_id = ch.id;
    let current = engine
        .db
        .read(move |c| webchat::current_conversation(c, channel_id, contact_id))
        .await
        .map_err(|e| internal(l, e))?;
    let changed = match current {
        Some(conv) => engine.visitor_saw(conv.id, "read").await.map_err(|e| internal(l, e))?,
        None => 0,
    };
    Ok(Api::new(Status::Ok, json!({ "read": changed })))
}

/// A visitor's live stream.
pub type Live = EventStream<std::pin::Pin<Box<dyn rocket::futures::Stream<Item = SseEvent> + Send>>>;

/// The SSE stream with CORS headers.
pub struct CorsStream<S>(S);

impl<'r, 'o: 'r, S: Responder<'r, 'o>> Responder<'r, 'o> for CorsStream<S> {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'o> {
        let mut res = self.0.respond_to(req)?;
        cors(&mut res);
        Ok(res)
    }
}

/// Live changes of the visitor's conversations: `changed` tells the widget to fetch
/// its messages again. The token is in the query because EventSource sends no headers.
#[get("/webchat/<key>/events?<token>")]
async fn events(
    key: &str,
    token: Option<String>,
    engine: &State<Engine>,
    lang: VisitorLang,
    shutdown: Shutdown,
) -> Result<CorsStream<Live>, Api> {
    let l = lang.0;
    let ch = channel(&engine.db, key, l).await?;
    let contact_id = visitor(&engine.db, &ch, token, l).await?;
    let stream = visitor_stream(engine.db.clone(), engine.events.subscribe(), ch.id, contact_id, shutdown);
    Ok(CorsStream(stream.heartbeat(Duration::from_secs(15))))
}

/// The stream itself, owning everything it uses.
fn visitor_stream(
    db: Db,
    mut rx: rocket::tokio::sync::broadcast::Receiver<Event>,
    channel_id: i64,
    contact_id: i64,
    mut shutdown: Shutdown,
) -> Live {
    let stream = rocket::response::stream::stream! {
        yield SseEvent::data("hello").event("changed");
        let mut mine: HashSet<i64> = HashSet::new();
        let mut others: HashSet<i64> = HashSet::new();
        loop {
            let event = rocket::tokio::select! {
                _ = &mut shutdown => break,
                e = rx.recv() => e,
            };
            let id = match event {
                Ok(Event::MessageStatus { status, .. }) if status != "sent" => continue,
                Ok(e) => match e.conversation_id() { Some(id) => id, None => continue },
                Err(RecvError::Lagged(_)) => { yield SseEvent::data("resync").event("changed"); continue }
                Err(RecvError::Closed) => break,
            };
            if others.contains(&id) { continue }
            if !mine.contains(&id) {
                let db = db.clone();
                match db.read(move |c| webchat::belongs_to(c, id, channel_id, contact_id)).await {
                    Ok(true) => { mine.insert(id); }
                    Ok(false) => { if others.len() > 10_000 { others.clear(); } others.insert(id); continue }
                    Err(_) => continue,
                }
            }
            yield SseEvent::data(id.to_string()).event("changed");
        }
    };
    let boxed: std::pin::Pin<Box<dyn rocket::futures::Stream<Item = SseEvent> + Send>> = Box::pin(stream);
    EventStream::from(boxed)
}

/// CORS preflight for the visitor API.
#[options("/webchat/<_..>")]
fn preflight() -> Api {
    Api::new(Status::NoContent, Value::Null)
}

/// The widget script, with the stylesheet's content hash filled in. Cached briefly so
/// a new version reaches sites within minutes.
#[derive(rocket::Responder)]
struct Script {
    body: String,
    content_type: ContentType,
    cache: Header<'static>,
    cors: Header<'static>,
}

#[get("/widget.js")]
fn widget_js() -> Script {
    let version = crate::web::assets::content_hash("widget.css").unwrap_or_default();
    Script {
        body: include_str!("../../static/widget.js").replace("__CSS_VERSION__", &version),
        content_type: ContentType::JavaScript,
        cache: Header::new("Cache-Control", "public, max-age=300"),
        cors: Header::new("Access-Control-Allow-Origin", "*"),
    }
}

/// A small shop's home page with the widget of the `demo` channel.
#[get("/demo/site")]
async fn demo_site(page: Page, db: &State<Db>) -> Result<Template, Status> {
    let found = db.read(|c| channels::channel_by_key(c, webchat::KIND, "demo")).await.map_err(|e| {
        tracing::error!(error = %e, "demo channel lookup failed");
        Status::InternalServerError
    })?;
    if !found.is_some_and(|c| c.active) {
        return Err(Status::NotFound);
    }
    Ok(page.render("demo/site.html", context! {}))
}

/// Errors of the visitor API answer JSON, whatever went wrong.
#[catch(default)]
fn json_error(status: Status, req: &Request<'_>) -> Api {
    let lang = req.headers().get_one("Accept-Language").and_then(i18n::from_accept_language).unwrap_or(i18n::DEFAULT);
    if let (429, Some(seconds)) = (status.code, crate::web::rate_limit::retry_after(req)) {
        let key = "error-too-many-requests";
        let message = i18n::translate_with(lang, key, &[("seconds", seconds.into())]);
        return Api::new(status, json!({ "error": message, "code": key }));
    }
    let upload = req.uri().path().ends_with("/attachments");
    let key = match (status.code, upload) {
        (400, true) => "webchat-bad-upload",
        (400, false) => "webchat-bad-json",
        (401, _) => "webchat-bad-token",
        (404, _) => "webchat-unknown-channel",
        (413, true) => "webchat-file-too-large",
        (413, false) => "webchat-too-large",
        (415, true) => "webchat-upload-type",
        (422, _) => "error-unprocessable",
        (500.., _) => "error-internal",
        _ => "error-request",
    };
    error(lang, status, key, None)
}

/// A file the visitor sends from the widget (multipart, field `file`).
#[derive(rocket::form::FromForm)]
struct VisitorUpload<'r> {
    file: rocket::fs::TempFile<'r>,
}

/// Why an upload could not be read: too large, or not a whole multipart body.
fn upload_refused(errors: &rocket::form::Errors<'_>, l: &str) -> Api {
    use rocket::form::error::ErrorKind;
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

/// `POST /webchat/<key>/attachments`: the file becomes a message of the visitor's
/// conversation (opening one if needed), announced by its name.
#[post("/webchat/<key>/attachments", data = "<upload>")]
async fn attach(
    key: &str,
    bearer: Bearer,
    _limit: RateLimit<VisitorMessage>,
    upload: Result<rocket::form::Form<VisitorUpload<'_>>, rocket::form::Errors<'_>>,
    engine: &State<Engine>,
    lang: VisitorLang,
) -> ApiResult {
    let l = lang.0;
    let upload = upload.map_err(|errors| upload_refused(&errors, l))?;
    let ch = channel(&engine.db, key, l).await?;
    let contact_id = visitor(&engine.db, &ch, bearer.0.clone(), l).await?;
    let file = &upload.file;
    if file.len() == 0 {
        return Err(error(l, Status::UnprocessableEntity, "field-required", Some("file")));
    }
    if file.len() > crate::engine::attachments::MAX_ATTACHMENT_BYTES as u64 {
        return Err(error(l, Status::PayloadTooLarge, "webchat-too-large", Some("file")));
    }
    let bytes = match file.path() {
        Some(path) => rocket::tokio::fs::read(path).await.map_err(|e| internal(l, e))?,
        None => return Err(error(l, Status::UnprocessableEntity, "field-required", Some("file"))),
    };
    let raw_name =
        file.raw_name().map(|n| n.dangerous_unsafe_unsanitized_raw().as_str().to_string()).unwrap_or_default();
    let name = crate::engine::attachments::neutralise_file_name(&raw_name);
    let declared = file.content_type().map(|c| c.to_string()).unwrap_or_default();
    let token = bearer.0.unwrap_or_default();
    let contact = engine.db.read(move |c| contacts::contact_by_id(c, contact_id)).await.map_err(|e| internal(l, e))?;
    let contact = contact.ok_or_else(|| error(l, Status::Unauthorized, "webchat-bad-token", None))?;
    let inbound = Inbound {
        channel_id: ch.id,
        contact_key: webchat::visitor_identity(&token),
        contact_name: contact.name,
        contact_email: contact.email,
        contact_phone: contact.phone,
        external_id: None,
        body: format!("📎 {name}"),
        attachment_id: None,
    };
    let (conversation_id, message_id) = match engine.ingest(inbound).await {
        Ok(Ingested::Stored { conversation_id, message_id, .. } | Ingested::Kept { conversation_id, message_id }) => {
            (conversation_id, message_id)
        }
        Ok(_) => return Err(error(l, Status::UnprocessableEntity, "floor-empty-message", Some("file"))),
        Err(e) => return Err(internal(l, e)),
    };
    match engine.attach_to_inbound(message_id, &name, &declared, bytes).await {
        Ok(_) => {}
        Err(EngineError::Invalid(key)) => return Err(error(l, Status::UnprocessableEntity, key, Some("file"))),
        Err(e) => return Err(internal(l, e)),
    }
    stored_answer(&engine.db, Status::Created, conversation_id, message_id, l).await
}

pub fn routes() -> Vec<Route> {
    routes![config, visitors, send, attach, messages, read, events, preflight, widget_js, demo_site]
}

pub fn catchers() -> Vec<Catcher> {
    catchers![json_error]
}
