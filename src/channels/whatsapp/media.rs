//! Contacts' files: Meta names a file by a media id; `GET /{version}/{media_id}` gives a
//! short-lived URL, fetched with the same bearer token. A file that cannot be fetched
//! now is owed (`media_later`) and fetched again later by id through `WhatsAppMedia`.

use super::graph::{Graph, GraphError};
use super::settings::Settings;
use super::webhook::{Payload, StatusUpdate};
use super::words;
use crate::channels::{Fetch, MediaSource};
use crate::engine::attachments::MAX_ATTACHMENT_BYTES;
use crate::engine::ingest::{Inbound, IncomingFile, MediaRef};

/// Fetches one file by its media id.
fn fetch(graph: &Graph, media: &MediaRef) -> Result<IncomingFile, GraphError> {
    // A media id is digits; anything else would change the path asked for.
    if media.reference.is_empty() || !media.reference.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(GraphError::Refused { code: 0, reason: words("whatsapp-error-answer", &[]) });
    }
    let about = graph.get_json(&media.reference)?;
    let Some(url) = about["url"].as_str() else {
        return Err(GraphError::Temporary { reason: words("whatsapp-error-answer", &[]), after: None });
    };
    let (bytes, declared) = graph.download(url, MAX_ATTACHMENT_BYTES as u64)?;
    let declared_type = if media.declared_type.is_empty() { declared } else { media.declared_type.clone() };
    Ok(IncomingFile { file_name: media.file_name.clone(), declared_type, bytes })
}

/// Owed files of one channel, fetched again by media id.
pub struct WhatsAppMedia {
    settings: Settings,
}

impl WhatsAppMedia {
    pub fn new(settings: Settings) -> WhatsAppMedia {
        WhatsAppMedia { settings }
    }
}

impl MediaSource for WhatsAppMedia {
    fn fetch(&self, media: &MediaRef) -> Fetch {
        match fetch(&Graph::new(&self.settings), media) {
            Ok(file) => Fetch::File(file),
            Err(GraphError::Temporary { reason, .. }) => Fetch::Retry { reason },
            Err(GraphError::Refused { reason, .. }) => Fetch::Never { reason },
        }
    }
}

/// What a webhook brought, ready for the engine: each message as an `Inbound` with its
/// file fetched (or owed), and the statuses. Blocking: it downloads.
pub fn receive(settings: &Settings, channel_id: i64, payload: Payload) -> (Vec<Inbound>, Vec<StatusUpdate>) {
    let graph = Graph::new(settings);
    let inbound = payload
        .messages
        .into_iter()
        .map(|m| {
            let (mut files, mut media_later) = (Vec::new(), Vec::new());
            if let Some(media) = m.media {
                match fetch(&graph, &media) {
                    Ok(file) => files.push(file),
                    Err(e) => {
                        tracing::warn!(channel_id, reason = e.reason(), "whatsapp: file not fetched yet; owed");
                        media_later.push(media);
                    }
                }
            }
            Inbound {
                channel_id,
                contact_key: m.from.clone(),
                contact_aliases: m.alias.into_iter().collect(),
                contact_name: m.name,
                contact_phone: m.from,
                external_id: Some(m.wamid),
                body: m.body,
                files,
                media_later,
                ..Default::default()
            }
        })
        .collect();
    (inbound, payload.statuses)
}
