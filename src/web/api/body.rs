//! A request's JSON body (at most Rocket's `json` limit, 1 MiB; none is `{}`) read once: as typed, so
//! a bad field is named in the answer, and hashed, so an `Idempotency-Key` can tell the
//! same request from another; and the `Idempotency-Key` header itself.

use rocket::data::{Data, FromData, Outcome, ToByteUnit};
use rocket::http::Status;
use rocket::request::{self, FromRequest, Request};
use serde::de::DeserializeOwned;
use sha2::Digest;

use super::ApiError;

/// The JSON object a request carries, and the SHA-256 of the request (method, path and
/// the body in a canonical form: its keys sorted).
pub struct ApiBody {
    pub value: serde_json::Value,
    pub hash: String,
}

impl ApiBody {
    /// The body as `T`; a field of the wrong kind or one `T` does not know is named.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_value(self.value.clone())
            .map_err(|e| ApiError::invalid(culprit::<T>(&self.value, &e.to_string()), "api-error-field-type"))
    }
}

/// The field a body's error is about: serde names a missing or unknown one; a value
/// of the wrong kind is found by leaving each field out in turn (bodies are small).
fn culprit<T: DeserializeOwned>(value: &serde_json::Value, error: &str) -> String {
    let named = ["missing field `", "unknown field `"].iter().find_map(|p| error.strip_prefix(p));
    if let Some(rest) = named {
        return rest.split('`').next().unwrap_or("body").to_string();
    }
    let Some(fields) = value.as_object() else { return "body".into() };
    for key in fields.keys() {
        let mut without = fields.clone();
        without.remove(key);
        match serde_json::from_value::<T>(serde_json::Value::Object(without)) {
            Ok(_) => return key.clone(),
            Err(e) if e.to_string().starts_with(&format!("missing field `{key}`")) => return key.clone(),
            Err(_) => {}
        }
    }
    "body".into()
}

fn refuse<'r>(req: &'r Request<'_>, error: ApiError) -> Outcome<'r, ApiBody> {
    Outcome::Error((super::leave(req, error), ()))
}

#[rocket::async_trait]
impl<'r> FromData<'r> for ApiBody {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        let limit = req.limits().get("json").unwrap_or(1.mebibytes());
        let bytes = match data.open(limit).into_bytes().await {
            Ok(read) if read.is_complete() => read.into_inner(),
            Ok(_) => return refuse(req, ApiError::new(Status::PayloadTooLarge, "too_large", "api-error-too-large")),
            Err(_) => return refuse(req, ApiError::bad_request("api-error-bad-json")),
        };
        // No body at all is an empty object (`close` asks for nothing more).
        let parsed =
            if bytes.trim_ascii().is_empty() { Ok(serde_json::json!({})) } else { serde_json::from_slice(&bytes) };
        let value: serde_json::Value = match parsed {
            Ok(value @ serde_json::Value::Object(_)) => value,
            _ => return refuse(req, ApiError::bad_request("api-error-bad-json")),
        };
        let mut hasher = sha2::Sha256::new();
        hasher.update(format!("{} {}\n", req.method(), req.uri().path()));
        hasher.update(value.to_string());
        Outcome::Success(ApiBody { value, hash: hex::encode(hasher.finalize()) })
    }
}

/// The `Idempotency-Key` a creating request may carry: 1 to 255 visible ASCII characters.
pub struct IdempotencyKey(pub Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for IdempotencyKey {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        match req.headers().get_one("Idempotency-Key") {
            None => request::Outcome::Success(IdempotencyKey(None)),
            Some(key) if (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) => {
                request::Outcome::Success(IdempotencyKey(Some(key.to_string())))
            }
            Some(_) => {
                let error = ApiError::invalid("Idempotency-Key", "api-error-idempotency-key");
                request::Outcome::Error((super::leave(req, error), ()))
            }
        }
    }
}
