//! A webhook call, from its raw bytes to the engine: the signature first (nothing is
//! read from a body Meta did not sign), then the payload, the files fetched off the
//! async executor, each message ingested (de-duplicated by wamid) and each status
//! applied. It succeeds only once everything is stored: Meta delivers again otherwise.

use super::media::receive;
use super::settings::Settings;
use super::webhook::{parse, signed_by};
use crate::db::channels::Channel;
use crate::engine::{Engine, EngineError};

/// Why a webhook call was refused.
#[derive(Debug)]
pub enum Refusal {
    /// Missing or wrong `X-Hub-Signature-256`.
    Signature,
    /// Not a payload Meta sends.
    Malformed(&'static str),
    /// Storing failed (the database): Meta should deliver it again.
    Engine(EngineError),
}

/// What one call brought.
#[derive(Debug, Default, PartialEq)]
pub struct Taken {
    pub messages: usize,
    pub duplicates: usize,
    pub statuses: usize,
}

pub async fn take(
    engine: &Engine,
    channel: &Channel,
    signature: Option<&str>,
    body: Vec<u8>,
) -> Result<Taken, Refusal> {
    let settings = Settings::of(channel);
    if !signed_by(&settings.app_secret, &body, signature) {
        return Err(Refusal::Signature);
    }
    let payload = parse(&body, &settings.phone_number_id).map_err(|m| Refusal::Malformed(m.0))?;
    if payload.other_numbers > 0 {
        tracing::info!(
            channel_id = channel.id,
            changes = payload.other_numbers,
            "whatsapp: changes for another number left alone"
        );
    }
    let channel_id = channel.id;
    let (inbound, statuses) = rocket::tokio::task::spawn_blocking(move || receive(&settings, channel_id, payload))
        .await
        .map_err(|_| Refusal::Engine(EngineError::Invalid("error-internal")))?;
    let mut taken = Taken::default();
    for message in inbound {
        match engine.ingest(message).await {
            Ok(crate::engine::ingest::Ingested::Duplicate { .. }) => taken.duplicates += 1,
            Ok(_) => taken.messages += 1,
            // Nothing Atende keeps (empty once cleaned): moved past, as Meta wants 200.
            Err(EngineError::Invalid(key)) => tracing::info!(channel_id, key, "whatsapp: message refused"),
            Err(e) => return Err(Refusal::Engine(e)),
        }
    }
    for s in statuses {
        engine.receipt(channel_id, s.wamid, s.status, s.reason).await.map_err(Refusal::Engine)?;
        taken.statuses += 1;
    }
    engine.channel_polled(channel_id).await.map_err(Refusal::Engine)?;
    Ok(taken)
}
