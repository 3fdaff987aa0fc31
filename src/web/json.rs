//! JSON answers for clients that are not our own pages: the web chat widget, which runs
//! on the company's site, and the REST API. The widget's errors are
//! `{"error": message, "code": key}` plus `"field"` when one field is at fault; the REST
//! API's nest them, `{"error": {"code", "message", "field"}}`, its codes a short stable
//! list (`api_error`). Clients
//! on another origin prove who they are with a bearer token, never a cookie, so their
//! answers may allow any origin (`for_any_origin`).

use rocket::http::{Header, Status};
use rocket::response::{self, Responder, Response};
use rocket::Request;
use serde_json::{json, Value};

/// A JSON body with its status.
pub struct JsonAnswer {
    status: Status,
    body: Value,
    any_origin: bool,
}

impl JsonAnswer {
    pub fn new(status: Status, body: Value) -> JsonAnswer {
        JsonAnswer { status, body, any_origin: false }
    }

    /// An error: the message for people, the key for programs.
    pub fn error(status: Status, code: &str, message: String) -> JsonAnswer {
        JsonAnswer::new(status, json!({ "error": message, "code": code }))
    }

    /// A REST API error: the stable code for programs, the message for people, the
    /// field in fault when there is one.
    pub fn api_error(status: Status, code: &str, message: String, field: Option<&str>) -> JsonAnswer {
        let mut error = json!({ "code": code, "message": message });
        if let Some(field) = field {
            error["field"] = Value::from(field);
        }
        JsonAnswer::new(status, json!({ "error": error }))
    }

    /// Names the field an error is about.
    pub fn on_field(mut self, field: &str) -> JsonAnswer {
        self.body["field"] = Value::from(field);
        self
    }

    /// Lets a page on any origin read this answer.
    pub fn for_any_origin(mut self) -> JsonAnswer {
        self.any_origin = true;
        self
    }
}

impl<'r> Responder<'r, 'static> for JsonAnswer {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let json = rocket::serde::json::Json(self.body).respond_to(req)?;
        let mut res = Response::build_from(json).status(self.status).finalize();
        if self.any_origin {
            allow_any_origin(&mut res);
        }
        Ok(res)
    }
}

/// Any other responder (an event stream, say) readable from any origin.
pub struct AnyOrigin<R>(pub R);

impl<'r, 'o: 'r, R: Responder<'r, 'o>> Responder<'r, 'o> for AnyOrigin<R> {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'o> {
        let mut res = self.0.respond_to(req)?;
        allow_any_origin(&mut res);
        Ok(res)
    }
}

/// The CORS headers of an answer any origin may read, and of the preflight before it.
fn allow_any_origin(res: &mut Response<'_>) {
    res.set_header(Header::new("Access-Control-Allow-Origin", "*"));
    res.set_header(Header::new("Access-Control-Allow-Methods", "GET, POST, OPTIONS"));
    res.set_header(Header::new("Access-Control-Allow-Headers", "Authorization, Content-Type"));
    res.set_header(Header::new("Access-Control-Max-Age", "86400"));
}
