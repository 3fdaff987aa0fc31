//! "Monitoramento" (F-AD-11): the floor as it is now — agents, queues, open
//! conversations — kept live by its own stream (`events`), behind `monitoring:view`;
//! the supervisor's actions (`actions`) need `monitoring:edit`.

mod actions;
mod confirm;
mod events;

use rocket::http::Status;
use rocket::{get, routes, FromForm, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use crate::catalog::monitoring_thresholds::ThresholdsDraft;
use crate::db::monitoring::{Filter, Monitor, STATUSES};
use crate::domain::clock::day_start;
use crate::domain::fields::FieldErrors;
use crate::engine::Engine;
use crate::reports::today::today;
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Monitoring, View};
use crate::web::guards::Can;
use crate::web::page::Page;

pub type Supervisor = Can<Monitoring, View>;

/// The company's day, as the reports' periods count it.
const DAY_MS: i64 = 86_400_000;

/// The list's filters as typed (the GET form, and hidden in each action's form so the
/// page comes back filtered the same way).
#[derive(Debug, Default, Clone, FromForm, Serialize)]
pub struct Typed {
    #[field(default = String::new())]
    team: String,
    #[field(default = String::new())]
    agent: String,
    #[field(default = String::new())]
    channel: String,
    #[field(default = String::new())]
    status: String,
}

impl Typed {
    /// The filter, or the catalogue key of why it is not one.
    fn checked(&self) -> Result<Filter, &'static str> {
        let id = |text: &str| match text.trim() {
            "" => Ok(None),
            n => n.parse::<i64>().map(Some).map_err(|_| "monitoring-bad-filter"),
        };
        let status = match self.status.trim() {
            "" => None,
            s => Some(STATUSES.into_iter().find(|known| *known == s).ok_or("monitoring-bad-filter")?),
        };
        Ok(Filter { team: id(&self.team)?, agent: id(&self.agent)?, channel: id(&self.channel)?, status })
    }

    pub fn query(&self) -> String {
        let pairs =
            [("team", &self.team), ("agent", &self.agent), ("channel", &self.channel), ("status", &self.status)];
        let kept: Vec<(&str, &str)> =
            pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (*k, v.as_str())).collect();
        crate::web::query_string(&kept)
    }
}

/// What the page says above the lists: an action done, or why one was refused; and
/// the thresholds' form as typed with its errors, after a refused save.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Said {
    pub done: Option<&'static str>,
    pub refusal: Option<&'static str>,
    pub thresholds: Option<ThresholdsDraft>,
    pub errors: FieldErrors,
}

/// The page (or its live part): the floor now and "Hoje", at the engine's clock.
pub async fn view(
    page: &Page,
    engine: &Engine,
    typed: Typed,
    template: &'static str,
    said: Said,
) -> WebResult<(Status, Template)> {
    let (filter, said) = match typed.checked() {
        Ok(filter) => (filter, said),
        Err(key) => (Filter::default(), Said { refusal: Some(key), ..said }),
    };
    let (now, tz, lang) = (engine.clock.now(), page.time_zone, page.lang);
    let chosen = filter.clone();
    let (monitor, today) = engine
        .db
        .read(move |c| {
            let day = day_start(now, tz);
            let monitor = Monitor::load(c, &filter, now, day)?;
            let teams: Vec<(i64, String)> = monitor.queues.iter().map(|q| (q.team_id, q.name.clone())).collect();
            Ok((monitor, today(c, &teams, day, day + DAY_MS, lang)?))
        })
        .await?;
    let status =
        if said.refusal.is_some() || !said.errors.is_empty() { Status::UnprocessableEntity } else { Status::Ok };
    let query = typed.query();
    let context = context! { m: monitor, today, filter: typed, chosen, query, statuses: STATUSES, said };
    Ok((status, page.render(template, context)))
}

#[get("/admin/monitoring?<done>&<typed..>")]
async fn index(
    page: Page,
    _can: Supervisor,
    engine: &State<Engine>,
    done: Option<String>,
    typed: Typed,
) -> WebResult<(Status, Template)> {
    // Only known words are shown back: the address is anyone's to type.
    let done = done.and_then(|d| actions::DONE.into_iter().find(|k| *k == d));
    view(&page, engine, typed, "admin/monitoring/index.html", Said { done, ..Said::default() }).await
}

/// The live part alone, re-fetched by the page's script when the stream says so.
#[get("/admin/monitoring/sections?<typed..>")]
async fn sections(page: Page, _can: Supervisor, engine: &State<Engine>, typed: Typed) -> WebResult<(Status, Template)> {
    view(&page, engine, typed, "admin/monitoring/_sections.html", Said::default()).await
}

pub fn routes() -> Vec<Route> {
    let mut all = routes![index, sections];
    all.extend(events::routes());
    all.extend(actions::routes());
    all.extend(confirm::routes());
    all
}
