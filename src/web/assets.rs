//! Static files embedded in the binary, served with a content hash in the URL and
//! long-lived caching. Templates call `asset(path="app.css")` for the URL.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

use rocket::http::{ContentType, Header, Status};
use rocket::{get, routes, Route};
use rocket_dyn_templates::tera;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
struct StaticFiles;

/// Front-end packages from npm, copied at build time (see build.rs).
const HTMX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/htmx.min.js"));

fn file(path: &str) -> Option<Cow<'static, [u8]>> {
    match path {
        "vendor/htmx.min.js" => Some(Cow::Borrowed(HTMX)),
        _ => StaticFiles::get(path).map(|f| f.data),
    }
}

/// A short content hash of a static file, for cache-busting URLs.
pub fn content_hash(path: &str) -> Option<String> {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<HashMap<String, String>>> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().ok()?;
    if let Some(hash) = map.get(path) {
        return Some(hash.clone());
    }
    let data = file(path)?;
    let hash = hex::encode(&<sha2::Sha256 as sha2::Digest>::digest(&data)[..6]);
    map.insert(path.to_string(), hash.clone());
    Some(hash)
}

#[derive(rocket::Responder)]
pub struct Asset {
    body: Cow<'static, [u8]>,
    content_type: ContentType,
    cache: Header<'static>,
    etag: Header<'static>,
}

#[get("/static/<path..>")]
fn static_file(path: PathBuf, if_none_match: IfNoneMatch) -> Result<rocket::Either<Asset, (Status, ())>, Status> {
    let path = path.to_str().ok_or(Status::NotFound)?.replace('\\', "/");
    let body = file(&path).ok_or(Status::NotFound)?;
    let hash = content_hash(&path).ok_or(Status::NotFound)?;
    let etag = format!("\"{hash}\"");
    if if_none_match.0.as_deref() == Some(etag.as_str()) {
        return Ok(rocket::Either::Right((Status::NotModified, ())));
    }
    let content_type =
        path.rsplit_once('.').and_then(|(_, ext)| ContentType::from_extension(ext)).unwrap_or(ContentType::Binary);
    Ok(rocket::Either::Left(Asset {
        body,
        content_type,
        cache: Header::new("Cache-Control", "public, max-age=31536000, immutable"),
        etag: Header::new("ETag", etag),
    }))
}

pub struct IfNoneMatch(Option<String>);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for IfNoneMatch {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r rocket::Request<'_>) -> rocket::request::Outcome<Self, Self::Error> {
        rocket::request::Outcome::Success(IfNoneMatch(req.headers().get_one("If-None-Match").map(str::to_string)))
    }
}

#[get("/favicon.ico")]
fn favicon() -> Result<rocket::Either<Asset, (Status, ())>, Status> {
    static_file(PathBuf::from("favicon.svg"), IfNoneMatch(None))
}

/// Tera function: `{{ asset(path="app.css") }}` → `/static/app.css?v=3f2a9c01be77`.
pub fn tera_asset(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let path = args.get("path").and_then(|v| v.as_str()).ok_or_else(|| tera::Error::msg("asset(): missing path"))?;
    let hash = content_hash(path).ok_or_else(|| tera::Error::msg(format!("asset(): no static file {path:?}")))?;
    Ok(tera::Value::String(format!("/static/{path}?v={hash}")))
}

pub fn routes() -> Vec<Route> {
    routes![static_file, favicon]
}
