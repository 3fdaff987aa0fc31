//! The Graph API simulator at `/demo/graph` (the demo WhatsApp channel's API address):
//! `POST /{version}/{number}/messages`, `POST /{version}/{number}/media` and
//! `GET /{version}/{id}`, with the bearer token checked and Meta's error bodies.

use rocket::data::{Data, ToByteUnit};
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::serde::json::Json;
use rocket::{get, post, routes, Route, State};
use serde_json::Value;

use crate::demo::whatsapp::GraphRefusal;
use crate::demo::Phone;

/// The largest message body and the largest upload taken.
const MESSAGE_LIMIT: u64 = 1024 * 1024;
const UPLOAD_LIMIT: u64 = 20 * 1024 * 1024;

/// The `Authorization` header.
struct Bearer(Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Bearer {
    type Error = ();
    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        Outcome::Success(Bearer(request.headers().get_one("Authorization").map(str::to_string)))
    }
}

type Answer = Result<Json<Value>, (Status, Json<Value>)>;

fn answer(result: Result<Value, GraphRefusal>) -> Answer {
    result.map(Json).map_err(|(status, body)| (Status::from_code(status).unwrap_or(Status::BadRequest), Json(body)))
}

/// The body, whole, or Meta's refusal of it.
async fn read(data: Data<'_>, limit: u64) -> Result<Vec<u8>, GraphRefusal> {
    let too_large = || (413, serde_json::json!({"error": {"message": "Request too large", "code": 100}}));
    let body = data.open(limit.bytes()).into_bytes().await.map_err(|_| too_large())?;
    if !body.is_complete() {
        return Err(too_large());
    }
    Ok(body.into_inner())
}

#[post("/demo/graph/<_version>/<number>/messages", data = "<data>")]
async fn messages(_version: &str, number: &str, bearer: Bearer, data: Data<'_>, phone: &State<Phone>) -> Answer {
    answer(
        async {
            phone.graph_token_ok(bearer.0.as_deref())?;
            let bytes = read(data, MESSAGE_LIMIT).await?;
            let body: Value = serde_json::from_slice(&bytes)
                .map_err(|_| (400, serde_json::json!({"error": {"message": "Invalid JSON", "code": 100}})))?;
            phone.graph_message(number, &body)
        }
        .await,
    )
}

#[post("/demo/graph/<_version>/<number>/media", data = "<data>")]
async fn media(_version: &str, number: &str, bearer: Bearer, data: Data<'_>, phone: &State<Phone>) -> Answer {
    answer(
        async {
            phone.graph_token_ok(bearer.0.as_deref())?;
            read(data, UPLOAD_LIMIT).await?;
            phone.graph_upload(number)
        }
        .await,
    )
}

#[get("/demo/graph/<_version>/<id>?<_fields>")]
fn object(_version: &str, id: &str, _fields: Option<&str>, bearer: Bearer, phone: &State<Phone>) -> Answer {
    answer(phone.graph_token_ok(bearer.0.as_deref()).and_then(|()| phone.graph_object(id)))
}

pub fn routes() -> Vec<Route> {
    routes![messages, media, object]
}
