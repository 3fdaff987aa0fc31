//! `/api/v1/openapi.json`: the API described (OpenAPI 3.1), a file kept beside the
//! handlers; a test checks that it names every mounted route and only those.

use rocket::http::ContentType;
use rocket::{get, routes, Route};

const DOCUMENT: &str = include_str!("openapi.json");

#[get("/api/v1/openapi.json")]
fn document() -> (ContentType, &'static str) {
    (ContentType::JSON, DOCUMENT)
}

pub fn routes() -> Vec<Route> {
    routes![document]
}
