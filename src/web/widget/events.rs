//! The visitor's live stream: `changed` tells the widget to fetch its messages again,
//! for the visitor's own conversations only.

use std::collections::HashSet;
use std::pin::Pin;
use std::time::Duration;

use rocket::futures::Stream;
use rocket::response::stream::{Event as SseEvent, EventStream};
use rocket::tokio::sync::broadcast::error::RecvError;
use rocket::{get, routes, Route, Shutdown, State};

use super::{visitor, VisitorLang};
use crate::channels::webchat;
use crate::db::Db;
use crate::engine::events::Subscription;
use crate::engine::metrics::OpenStream;
use crate::engine::{Engine, Event};
use crate::web::json::{AnyOrigin, JsonAnswer};

/// A visitor's live stream.
type Live = EventStream<Pin<Box<dyn Stream<Item = SseEvent> + Send>>>;

/// The token is in the query because EventSource sends no headers.
#[get("/webchat/<key>/events?<token>")]
async fn events(
    key: &str,
    token: Option<String>,
    engine: &State<Engine>,
    lang: VisitorLang,
    shutdown: Shutdown,
) -> Result<AnyOrigin<Live>, JsonAnswer> {
    let l = lang.0;
    let (ch, visitor) = visitor(&engine.db, key, token, l).await?;
    let open = engine.metrics.stream_opened("webchat");
    let stream =
        visitor_stream(engine.db.clone(), engine.events.subscribe(), ch.id, visitor.contact.id, open, shutdown);
    Ok(AnyOrigin(stream.heartbeat(Duration::from_secs(15))))
}

/// The stream itself, owning everything it uses.
fn visitor_stream(
    db: Db,
    mut rx: Subscription,
    channel_id: i64,
    contact_id: i64,
    open: OpenStream,
    mut shutdown: Shutdown,
) -> Live {
    let stream = rocket::response::stream::stream! {
        let _open = open;
        yield SseEvent::data("hello").event("changed");
        let mut mine: HashSet<i64> = HashSet::new();
        let mut others: HashSet<i64> = HashSet::new();
        loop {
            let event = rocket::tokio::select! {
                _ = &mut shutdown => break,
                e = rx.recv() => e,
            };
            let id = match event {
                Ok(Event::MessageStatus { status, .. }) if status != "sent" => continue,
                Ok(e) => match e.conversation_id() { Some(id) => id, None => continue },
                Err(RecvError::Lagged(_)) => { yield SseEvent::data("resync").event("changed"); continue }
                Err(RecvError::Closed) => break,
            };
            if others.contains(&id) { continue }
            if !mine.contains(&id) {
                let db = db.clone();
                match db.read(move |c| webchat::belongs_to(c, id, channel_id, contact_id)).await {
                    Ok(true) => { mine.insert(id); }
                    Ok(false) => { if others.len() > 10_000 { others.clear(); } others.insert(id); continue }
                    Err(_) => continue,
                }
            }
            yield SseEvent::data(id.to_string()).event("changed");
        }
    };
    let boxed: Pin<Box<dyn Stream<Item = SseEvent> + Send>> = Box::pin(stream);
    EventStream::from(boxed)
}

pub fn routes() -> Vec<Route> {
    routes![events]
}
