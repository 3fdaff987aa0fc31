//! Meta's webhook for a WhatsApp channel, at `/webhooks/whatsapp/<channel key>`: the
//! GET handshake that proves we know the verify token, and the signed POSTs of
//! messages and statuses (`channels::whatsapp::take`).

use rocket::data::{Data, ToByteUnit};
use rocket::http::{ContentType, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{get, post, routes, FromForm, Route, State};
use subtle::ConstantTimeEq;

use crate::channels::whatsapp::{self, Refusal, Settings};
use crate::db::channels::{channel_by_key, Channel};
use crate::domain::channel_kind::ChannelKind;
use crate::engine::Engine;

/// The largest webhook body read (Meta batches stay far below).
const MAX_BODY_BYTES: u64 = 1024 * 1024;

/// `hub.mode`, `hub.verify_token`, `hub.challenge` of the handshake.
#[derive(FromForm, Default)]
struct Hub {
    mode: Option<String>,
    verify_token: Option<String>,
    challenge: Option<String>,
}

/// The `X-Hub-Signature-256` header, when there is one.
struct Signature(Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Signature {
    type Error = ();
    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        Outcome::Success(Signature(request.headers().get_one("X-Hub-Signature-256").map(str::to_string)))
    }
}

/// The active WhatsApp channel with this key.
async fn channel(engine: &Engine, key: &str) -> Result<Channel, Status> {
    let key = key.to_string();
    match engine.db.read(move |c| channel_by_key(c, ChannelKind::WhatsApp, &key)).await {
        Ok(Some(c)) if c.active => Ok(c),
        Ok(_) => Err(Status::NotFound),
        Err(e) => {
            tracing::error!(error = %e, "whatsapp webhook: reading the channel failed");
            Err(Status::InternalServerError)
        }
    }
}

#[get("/webhooks/whatsapp/<key>?<hub>")]
async fn verify(key: &str, hub: Option<Hub>, engine: &State<Engine>) -> Result<(ContentType, String), Status> {
    let channel = channel(engine, key).await?;
    let settings = Settings::of(&channel);
    let hub = hub.unwrap_or_default();
    let given = hub.verify_token.unwrap_or_default();
    let token_ok =
        !settings.verify_token.is_empty() && bool::from(given.as_bytes().ct_eq(settings.verify_token.as_bytes()));
    let challenge = hub.challenge.unwrap_or_default();
    let challenge_ok =
        !challenge.is_empty() && challenge.len() <= 200 && challenge.bytes().all(|b| b.is_ascii_graphic());
    if hub.mode.as_deref() != Some("subscribe") || !token_ok || !challenge_ok {
        tracing::warn!(channel_id = channel.id, "whatsapp webhook: handshake refused");
        return Err(Status::Forbidden);
    }
    Ok((ContentType::Plain, challenge))
}

#[post("/webhooks/whatsapp/<key>", data = "<data>")]
async fn receive(
    key: &str,
    signature: Signature,
    data: Data<'_>,
    engine: &State<Engine>,
) -> Result<&'static str, Status> {
    let channel = channel(engine, key).await?;
    let body = data.open(MAX_BODY_BYTES.bytes()).into_bytes().await.map_err(|_| Status::BadRequest)?;
    if !body.is_complete() {
        return Err(Status::PayloadTooLarge);
    }
    match whatsapp::take(engine, &channel, signature.0.as_deref(), body.into_inner()).await {
        Ok(_) => Ok("ok"),
        Err(Refusal::Signature) => {
            tracing::warn!(
                channel_id = channel.id,
                signed = signature.0.is_some(),
                "whatsapp webhook: bad signature; ignored"
            );
            if let Err(e) = engine.webhook_signature_failed(channel.id).await {
                tracing::error!(channel_id = channel.id, error = %e, "whatsapp webhook: notifying failed");
            }
            Err(Status::Unauthorized)
        }
        Err(Refusal::Malformed(why)) => {
            tracing::warn!(channel_id = channel.id, why, "whatsapp webhook: malformed payload; ignored");
            Err(Status::BadRequest)
        }
        Err(Refusal::Engine(e)) => {
            tracing::error!(channel_id = channel.id, error = %e, "whatsapp webhook: storing failed; Meta will retry");
            Err(Status::InternalServerError)
        }
    }
}

pub fn routes() -> Vec<Route> {
    routes![verify, receive]
}
