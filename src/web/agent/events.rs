//! Live updates for the signed-in user: which conversation changed, never what it holds.
//! Only events about conversations the user can see are forwarded; a stream that falls
//! behind tells the page to re-sync.

use std::time::Duration;

use rocket::response::stream::{Event as SseEvent, EventStream};
use rocket::tokio::sync::broadcast::error::RecvError;
use rocket::{get, routes, Route, Shutdown, State};
use serde::Serialize;

use super::Floor;
use crate::db::{sessions, Db, DbResult};
use crate::web::guards::perm::{Notifications, View};
use crate::web::guards::Can;

/// How often a stream checks that its session still exists.
const SESSION_CHECK: Duration = Duration::from_secs(30);
use crate::domain::internal_chat::Peer;
use crate::domain::visibility::{may_view, Viewer};
use crate::engine::access;
use crate::engine::events::Published;
use crate::engine::{Engine, Event};

/// What the page is told.
#[derive(Debug, Serialize)]
struct Notice {
    conversation_id: Option<i64>,
    /// The conversation's status now (`waiting` → a new one in the queue).
    status: Option<String>,
    /// Held by the user.
    mine: bool,
    unread: i64,
}

/// What the page is told of an internal chat message: the thread's address under
/// `/agent/chat/`, and whether the reader wrote it (from another tab).
#[derive(Debug, Serialize)]
struct ChatNotice {
    address: String,
    from_me: bool,
}

/// The notice for `user` when they take part in the thread — told from the event alone,
/// with no database read per stream.
fn chat_notice(user: i64, team_id: Option<i64>, author_id: i64, recipients: &[i64]) -> Option<ChatNotice> {
    if !recipients.contains(&user) {
        return None;
    }
    let peer = match team_id {
        Some(team) => Peer::Team(team),
        None if author_id != user => Peer::Person(author_id),
        None => Peer::Person(recipients.iter().copied().find(|r| *r != user)?),
    };
    Some(ChatNotice { address: peer.address(), from_me: author_id == user })
}

/// The stream's viewer, kept in memory and reloaded only when who may see what has
/// changed (`Db::access_version`), so an event costs each stream no database read.
struct Access {
    viewer: Viewer,
    version: u64,
}

impl Access {
    async fn load(db: &Db, user: i64, supervisor: bool) -> DbResult<Access> {
        // Read first: a change committed while loading moves it again.
        let version = db.access_version();
        let viewer = db.read(move |c| access::viewer(c, user, supervisor)).await?;
        Ok(Access { viewer, version })
    }

    async fn current(&mut self, db: &Db) -> DbResult<&Viewer> {
        if db.access_version() != self.version {
            *self = Access::load(db, self.viewer.user_id, self.viewer.supervisor).await?;
        }
        Ok(&self.viewer)
    }
}

/// Whether the event concerns the user, and what to tell them. The conversation is read
/// once per event for all streams (`Published::conversation`).
async fn relevant(db: &Db, access: &mut Access, published: &Published) -> DbResult<Option<Notice>> {
    let (team_was, agent_was) = match &published.event {
        Event::Agent { user_id } => {
            let mine = *user_id == access.viewer.user_id;
            return Ok(mine.then_some(Notice { conversation_id: None, status: None, mine: false, unread: 0 }));
        }
        // Told apart by the stream: "notices" to those who see the bell, chat by `chat_notice`.
        Event::Notices | Event::InternalChat { .. } => return Ok(None),
        Event::Conversation { team_id, agent_id, .. } => (*team_id, *agent_id),
        Event::MessageStatus { .. } => (None, None),
    };
    let viewer = access.current(db).await?;
    let Some(looked) = published.conversation(db).await? else { return Ok(None) };
    let user = viewer.user_id;
    // It was ours or our team's a moment ago (transferred away, taken by a colleague).
    let was = agent_was == Some(user) || viewer.in_team(team_was);
    let conv = &looked.conversation;
    Ok((was || may_view(viewer, &looked.seen)).then(|| Notice {
        conversation_id: Some(conv.id),
        mine: conv.agent_id == Some(user),
        unread: conv.unread,
        status: Some(conv.status.clone()),
    }))
}

/// Whether the stream's session still stands. A session ended elsewhere ("Sair",
/// forced logout, deactivation) ends the stream, and the page then finds itself signed
/// out; so does one that cannot be checked (not known to be signed in), and the page
/// reconnects.
pub(crate) async fn session_stands(db: &Db, id: String) -> bool {
    match db.read(move |c| sessions::session_by_id(c, &id)).await {
        Ok(found) => found.is_some(),
        Err(e) => {
            tracing::error!(error = %e, "session of a live stream not checked");
            false
        }
    }
}

/// The stream; one who may see notifications is also told when the bell's count may
/// have changed ("notices").
#[get("/agent/events")]
fn events(
    floor: Floor,
    bell: Option<Can<Notifications, View>>,
    engine: &State<Engine>,
    mut shutdown: Shutdown,
) -> EventStream![] {
    let bell = bell.is_some();
    let mut rx = engine.events.subscribe();
    let db = engine.db.clone();
    let (user, supervisor, session) = (floor.id(), floor.supervisor, floor.who.session_id.clone());
    let chats = floor.who.user.may_chat;
    let metrics = engine.metrics.clone();
    EventStream! {
        let _open = metrics.stream_opened("agent");
        let mut access = match Access::load(&db, user, supervisor).await {
            Ok(access) => access,
            Err(e) => {
                tracing::error!(error = %e, "live stream not started");
                yield SseEvent::data("resync").event("resync");
                return;
            }
        };
        yield SseEvent::data("hello").event("ready");
        let mut check = rocket::tokio::time::interval(SESSION_CHECK);
        check.tick().await;
        loop {
            let event = rocket::tokio::select! {
                received = rx.recv_shared() => received,
                _ = check.tick() => {
                    if session_stands(&db, session.clone()).await {
                        continue;
                    }
                    yield SseEvent::data("signed-out").event("resync");
                    break
                }
                _ = &mut shutdown => break,
            };
            let published = match event {
                Ok(published) => published,
                Err(RecvError::Lagged(_)) => {
                    yield SseEvent::data("resync").event("resync");
                    continue;
                }
                Err(RecvError::Closed) => break,
            };
            match &published.event {
                Event::Notices => {
                    if bell {
                        yield SseEvent::data("notices").event("notices");
                    }
                }
                Event::InternalChat { team_id, author_id, recipients, .. } => {
                    if let Some(notice) = chats.then(|| chat_notice(user, *team_id, *author_id, recipients)).flatten() {
                        yield SseEvent::json(&notice).event("chat");
                    }
                }
                _ => match relevant(&db, &mut access, &published).await {
                    Ok(Some(notice)) => yield SseEvent::json(&notice).event("change"),
                    Ok(None) => {}
                    // What changed cannot be told: the page re-fetches all it shows.
                    Err(e) => {
                        tracing::error!(error = %e, "live event not checked");
                        yield SseEvent::data("resync").event("resync");
                    }
                },
            }
        }
    }
    .heartbeat(Duration::from_secs(15))
}

pub fn routes() -> Vec<Route> {
    routes![events]
}
