//! The simulator beside the diagram: each post carries the conversation so far (a
//! hidden field) with the profile, the contact's fields and the clock chosen, and
//! answers with the page, the path taken lit on the diagram.

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeZone};
use rocket::form::FromForm;
use rocket::{post, routes, Route, State};
use rocket_dyn_templates::Template;

use super::view::{self, Panel, Said, SimOptions};
use crate::domain::channel_kind::ChannelKind;
use crate::engine::flow_simulator::{HttpMode, Nudge, Profile, Simulation};
use crate::engine::Engine;
use crate::web::csrf::CsrfForm;
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Edit, Flows};
use crate::web::guards::Can;
use crate::web::page::Page;

/// Longest message the simulated customer may type.
const MAX_TEXT: usize = 1000;
const CLOCK: &str = "%Y-%m-%dT%H:%M";

#[derive(Debug, FromForm)]
struct SimForm {
    #[field(default = String::new())]
    sim: String,
    #[field(default = String::new())]
    channel: String,
    #[field(default = String::new())]
    now: String,
    fields: HashMap<String, String>,
    #[field(default = String::new())]
    http: String,
    #[field(default = String::new())]
    sample: String,
    #[field(default = String::new())]
    text: String,
    /// `start`, `send` or `idle`; empty when a button of the chat was tapped (`tap`).
    #[field(default = String::new())]
    nudge: String,
    #[field(default = String::new())]
    tap: String,
}

/// The simulator's starting choices: web chat, the company's clock now, real calls.
pub(super) fn options(page: &Page) -> SimOptions {
    let now = chrono::Utc::now().with_timezone(&page.time_zone).format(CLOCK).to_string();
    SimOptions { channel: "webchat".into(), now, http: "sample".into(), sample: "{}".into() }
}

#[post("/admin/flows/<id>/simulate", data = "<form>")]
async fn simulate(
    page: Page,
    _can: Can<Flows, Edit>,
    engine: &State<Engine>,
    id: i64,
    form: CsrfForm<SimForm>,
) -> WebResult<Template> {
    let f = form.0;
    let mut sim: Simulation = serde_json::from_str(&f.sim).unwrap_or_default();
    sim.fields.extend(f.fields.into_iter().map(|(k, v)| (k, crate::domain::text::one_line(&v))));
    let channel = ChannelKind::parse(&f.channel).unwrap_or(ChannelKind::WebChat);
    let local = NaiveDateTime::parse_from_str(&f.now, CLOCK).ok();
    let at = local.and_then(|t| page.time_zone.from_local_datetime(&t).earliest());
    let now_ms = at.map_or_else(|| engine.clock.now(), |t| t.timestamp_millis());
    let http = match f.http.as_str() {
        "run" => HttpMode::Run,
        _ => HttpMode::Sample(f.sample.clone()),
    };
    let text: String = f.text.trim().chars().take(MAX_TEXT).collect();
    // A tapped button posts its title alone (the button clicked is the only one sent).
    let nudge = match (f.nudge.as_str(), f.tap.trim()) {
        (_, tap) if !tap.is_empty() => Nudge::Tap(tap.chars().take(60).collect()),
        ("idle", _) => Nudge::Idle,
        ("send", _) => Nudge::Text(text),
        _ => Nudge::Start,
    };
    let sim = engine.simulate(id, sim, nudge, Profile { channel, now_ms, http }).await?;
    let options = SimOptions { channel: channel.as_str().into(), now: f.now, http: f.http, sample: f.sample };
    view::render(&page, &engine.db, id, Panel::Simulator { sim, options }, Said::default()).await
}

pub fn routes() -> Vec<Route> {
    routes![simulate]
}
