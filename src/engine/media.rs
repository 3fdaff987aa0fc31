//! Files a channel named but could not hand over at once (a media URL answering 5xx, a
//! network error): the message is stored without them and shows "anexo a caminho";
//! here they are fetched again with backoff until they arrive, or, after the last
//! try, the message says why the file is missing. A file is never dropped silently.

use std::sync::Arc;

use super::{Engine, EngineResult};
use crate::channels::{Fetch, MediaSource};
use crate::db::channel_state::{self, MediaDue};
use crate::db::{messages, now_ms};
use crate::domain::backoff::{self, MAX_ATTEMPTS};
use crate::engine::ingest::MediaRef;

/// How long a try holds a download (longer than any fetch's own timeout).
const TRY_MS: i64 = 120_000;

impl Engine {
    /// Fetches the files owed on a channel that are due; how many arrived.
    pub async fn fetch_owed_media(&self, channel_id: i64, source: Arc<dyn MediaSource>) -> EngineResult<usize> {
        let due = self.db.read(move |c| channel_state::media_due(c, channel_id, now_ms(), 20)).await?;
        let mut arrived = 0;
        for owed in due {
            let id = owed.message_id;
            let now = now_ms();
            if !self.write(move |tx| Ok(channel_state::claim_media(tx, id, now, now + TRY_MS)?)).await? {
                continue;
            }
            let media = MediaRef {
                reference: owed.reference.clone(),
                file_name: owed.file_name.clone(),
                declared_type: owed.declared_type.clone(),
            };
            let source = source.clone();
            let fetched = rocket::tokio::task::spawn_blocking(move || source.fetch(&media))
                .await
                .unwrap_or_else(|e| Fetch::Retry { reason: format!("fetch stopped: {e}") });
            match fetched {
                Fetch::File(file) => {
                    self.attach_to_inbound(id, &file.file_name, &file.declared_type, file.bytes).await?;
                    arrived += 1;
                }
                Fetch::Retry { reason } if owed.attempts + 1 < MAX_ATTEMPTS => self.owe_again(owed, reason).await?,
                Fetch::Retry { reason } | Fetch::Never { reason } => self.give_up(id, reason).await?,
            }
        }
        Ok(arrived)
    }

    async fn owe_again(&self, owed: MediaDue, reason: String) -> EngineResult<()> {
        let next = now_ms() + backoff::delay_ms(owed.attempts, rand::random::<f64>());
        let owed = MediaDue { attempts: owed.attempts + 1, ..owed };
        self.write(move |tx| Ok(channel_state::owe_media(tx, &owed, next, &reason)?)).await
    }

    async fn give_up(&self, message_id: i64, reason: String) -> EngineResult<()> {
        let event = self
            .write(move |tx| {
                channel_state::media_settled(tx, message_id)?;
                messages::set_inbound_failure(tx, message_id, &reason)?;
                let m = messages::message_by_id(tx, message_id)?;
                let c = match m {
                    Some(m) => crate::db::conversations::conversation_by_id(tx, m.conversation_id)?,
                    None => None,
                };
                Ok(c.map(|c| super::Event::Conversation {
                    conversation_id: c.id,
                    team_id: c.team_id,
                    agent_id: c.agent_id,
                }))
            })
            .await?;
        if let Some(e) = event {
            self.events.publish(e);
        }
        Ok(())
    }
}
