//! The page's live stream: "something on the floor changed, fetch the sections again".
//! Bursts are folded into one notice a second at most, so a thousand conversations
//! arriving at once cost the page one refresh a second, not a thousand.

use std::time::Duration;

use rocket::response::stream::{Event as SseEvent, EventStream};
use rocket::tokio::sync::broadcast::error::RecvError;
use rocket::tokio::time::{interval, MissedTickBehavior};
use rocket::{get, routes, Route, Shutdown, State};

use super::Supervisor;
use crate::engine::{Engine, Event};
use crate::web::agent::events::session_stands;

/// At most one refresh this often.
const FOLD: Duration = Duration::from_secs(1);
/// How often a stream checks that its session still exists.
const SESSION_CHECK: Duration = Duration::from_secs(30);

/// What the page shows: conversations and agents, and the top bar's bell; a message's
/// delivery status is not.
fn matters(event: &Event) -> bool {
    matches!(event, Event::Conversation { .. } | Event::Agent { .. } | Event::Notices)
}

#[get("/admin/monitoring/events")]
fn events(can: Supervisor, engine: &State<Engine>, mut shutdown: Shutdown) -> EventStream![] {
    let mut rx = engine.events.subscribe();
    let (db, session) = (engine.db.clone(), can.who.session_id.clone());
    let metrics = engine.metrics.clone();
    EventStream! {
        let _open = metrics.stream_opened("monitoring");
        yield SseEvent::data("hello").event("ready");
        let (mut fold, mut check) = (interval(FOLD), interval(SESSION_CHECK));
        fold.set_missed_tick_behavior(MissedTickBehavior::Delay);
        check.tick().await;
        let mut dirty = false;
        loop {
            rocket::tokio::select! {
                received = rx.recv() => match received {
                    Ok(event) => dirty |= matters(&event),
                    // Fell behind: whatever was missed, the page re-fetches all it shows.
                    Err(RecvError::Lagged(_)) => dirty = true,
                    Err(RecvError::Closed) => break,
                },
                _ = fold.tick(), if dirty => {
                    dirty = false;
                    yield SseEvent::data("change").event("change");
                }
                _ = check.tick() => {
                    if !session_stands(&db, session.clone()).await {
                        yield SseEvent::data("signed-out").event("resync");
                        break
                    }
                }
                _ = &mut shutdown => break,
            }
        }
    }
    .heartbeat(Duration::from_secs(15))
}

pub fn routes() -> Vec<Route> {
    routes![events]
}
