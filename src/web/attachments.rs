//! Attachments over HTTP (F-EN-7): agents download what belongs to a conversation they
//! may see (`GET /attachments/<id>`), the web chat visitor what belongs to their own
//! conversation (`GET /webchat/<key>/attachments/<id>?token=…`), and agents send a file
//! (`POST /agent/conversations/<id>/attachments`, multipart). Files are served with
//! the type found in their bytes, `nosniff`, a sandboxing CSP, and downloaded unless
//! they are images, PDF, sound or video.

use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::http::{ContentType, Header, Status};
use rocket::response::{self, Redirect, Responder, Response};
use rocket::tokio::io::AsyncReadExt;
use rocket::{get, post, routes, Request, Route, State};
use rocket_dyn_templates::{context, Template};

use crate::engine::attachments::{content_disposition, Attachment, MAX_ATTACHMENT_BYTES};
use crate::engine::{Engine, EngineError};
use crate::web::csrf::{CarriesToken, CsrfUpload};
use crate::web::errors::refusal_status;
use crate::web::guards::{Floor, Htmx};
use crate::web::page::Page;

/// The policy of every attachment response: nothing it holds may run or load anything.
pub const ATTACHMENT_CSP: &str = "sandbox; default-src 'none'";

/// A stored file as the response: its sniffed type, its disposition and the headers
/// that keep a browser from treating it as a page of ours.
pub struct AttachmentFile {
    attachment: Attachment,
    file: rocket::tokio::fs::File,
}

impl<'r> Responder<'r, 'static> for AttachmentFile {
    fn respond_to(self, _req: &'r Request<'_>) -> response::Result<'static> {
        let content_type = ContentType::parse_flexible(&self.attachment.content_type).unwrap_or(ContentType::Binary);
        Response::build()
            .header(content_type)
            .header(Header::new(
                "Content-Disposition",
                content_disposition(&self.attachment.content_type, &self.attachment.file_name),
            ))
            .header(Header::new("X-Content-Type-Options", "nosniff"))
            .header(Header::new("Content-Security-Policy", ATTACHMENT_CSP))
            .header(Header::new("Cache-Control", "private, no-store"))
            .sized_body(None, self.file)
            .ok()
    }
}

async fn open(found: Result<(Attachment, std::path::PathBuf), EngineError>) -> Result<AttachmentFile, Status> {
    match found {
        Ok((attachment, path)) => match rocket::tokio::fs::File::open(&path).await {
            Ok(file) => Ok(AttachmentFile { attachment, file }),
            Err(e) => {
                tracing::error!(error = %e, attachment = attachment.id, "attachment file missing");
                Err(Status::NotFound)
            }
        },
        Err(EngineError::Db(e)) => {
            tracing::error!(error = %e, "attachment lookup failed");
            Err(Status::InternalServerError)
        }
        Err(e) => Err(refusal_status(&e)),
    }
}

/// For agents: 404 both for a missing id and for a conversation they may not see.
#[get("/attachments/<id>")]
async fn download(floor: Floor, id: i64, engine: &State<Engine>) -> Result<AttachmentFile, Status> {
    open(engine.attachment_for_user(floor.id(), floor.supervisor, id).await).await
}

/// For the web chat visitor who owns the conversation (their token from the widget).
#[get("/webchat/<key>/attachments/<id>?<token>")]
async fn visitor_download(
    key: &str,
    id: i64,
    token: Option<&str>,
    engine: &State<Engine>,
) -> Result<AttachmentFile, Status> {
    let token = token.filter(|t| !t.is_empty() && t.len() <= 200).ok_or(Status::NotFound)?;
    open(engine.attachment_for_visitor(key, token, id).await).await
}

#[derive(FromForm)]
struct AttachmentUpload<'r> {
    /// Optional: the X-CSRF-Token header may carry it instead.
    csrf_token: Option<String>,
    file: TempFile<'r>,
}

impl CarriesToken for AttachmentUpload<'_> {
    fn csrf_token(&self) -> &str {
        self.csrf_token.as_deref().unwrap_or_default()
    }
}

#[derive(rocket::Responder)]
enum Sent {
    Redirect(Redirect),
    Htmx(Status),
}

fn refusal(page: &Page, e: &EngineError) -> (Status, Template) {
    if let EngineError::Db(err) = e {
        tracing::error!(error = %err, "attachment not stored");
    }
    (refusal_status(e), page.render("contacts/_upload_error.html", context! { key: e.key() }))
}

/// Stores the file and sends it to the contact as an outbound message.
#[post("/agent/conversations/<id>/attachments", data = "<upload>")]
async fn upload(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    id: i64,
    upload: CsrfUpload<AttachmentUpload<'_>>,
    engine: &State<Engine>,
) -> Result<Sent, (Status, Template)> {
    let file = &upload.0.file;
    if file.len() as usize > MAX_ATTACHMENT_BYTES {
        return Err(refusal(&page, &EngineError::Invalid("contacts-attachment-too-large")));
    }
    let name = file.raw_name().map(|n| n.dangerous_unsafe_unsanitized_raw().as_str().to_string()).unwrap_or_default();
    let declared = file.content_type().map(|c| c.to_string()).unwrap_or_default();
    let mut bytes = Vec::with_capacity(file.len() as usize);
    let read = match file.open().await {
        Ok(mut reader) => reader.read_to_end(&mut bytes).await.map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = read {
        tracing::error!(error = %e, "upload could not be read");
        return Err(refusal(&page, &EngineError::Invalid("contacts-attachment-empty")));
    }
    match engine.send_attachment(&floor.agent(), id, &name, &declared, bytes).await {
        Ok(_) if htmx.0 => Ok(Sent::Htmx(Status::NoContent)),
        Ok(_) => Ok(Sent::Redirect(Redirect::to("/agent"))),
        Err(e) => Err(refusal(&page, &e)),
    }
}

pub fn routes() -> Vec<Route> {
    routes![download, visitor_download, upload]
}
