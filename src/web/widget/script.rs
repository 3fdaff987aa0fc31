//! `/widget.js`: the script a company's site embeds. Its words come with the channel's
//! settings (`words`), so the script itself speaks no language.

use rocket::http::{ContentType, Header};
use rocket::{get, routes, Route};

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
        body: include_str!("../../../static/widget.js").replace("__CSS_VERSION__", &version),
        content_type: ContentType::JavaScript,
        cache: Header::new("Cache-Control", "public, max-age=300"),
        cors: Header::new("Access-Control-Allow-Origin", "*"),
    }
}

pub fn routes() -> Vec<Route> {
    routes![widget_js]
}
