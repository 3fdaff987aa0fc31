//! The history report's filters as typed in its form (or a link), and as checked: the
//! period of at most 31 days in the company's zone, ids that are numbers, a score from
//! 1 to 5, the phone number in each of its stored forms, a sort from the whitelist.

use rocket::form::FromForm;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::db::contacts::fts_query;
use crate::db::reports::history::{Order, ReportFilter, SortKey};
use crate::domain::phone;
use crate::domain::report_period::{self, Period};

/// At most this many characters of each filter are read.
const FILTER_MAX: usize = 100;

/// The form as typed; every field a text, shown again as it was.
#[derive(Debug, Clone, Default, FromForm, Serialize, serde::Deserialize)]
pub struct HistoryQuery {
    pub from: Option<String>,
    pub until: Option<String>,
    pub protocol: Option<String>,
    pub client: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub q: Option<String>,
    pub team: Option<String>,
    pub agent: Option<String>,
    pub channel: Option<String>,
    pub reason: Option<String>,
    pub sub: Option<String>,
    pub tag: Option<String>,
    pub score: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
}

/// The checked filters: what to read, in which order, over which days.
#[derive(Debug, Clone)]
pub struct Criteria {
    pub filter: ReportFilter,
    pub order: Order,
    pub period: Period,
}

/// Field → catalogue key of what is wrong with it.
pub type FieldErrors = Map<String, Value>;

pub(crate) fn text(value: &Option<String>) -> String {
    value.as_deref().unwrap_or_default().chars().take(FILTER_MAX).collect::<String>().trim().to_string()
}

impl HistoryQuery {
    /// Each field cut to its length and trimmed, the way the form shows it again.
    pub fn cleaned(&self) -> HistoryQuery {
        let c = |v: &Option<String>| Some(text(v));
        HistoryQuery {
            from: c(&self.from),
            until: c(&self.until),
            protocol: c(&self.protocol),
            client: c(&self.client),
            phone: c(&self.phone),
            email: c(&self.email),
            q: c(&self.q),
            team: c(&self.team),
            agent: c(&self.agent),
            channel: c(&self.channel),
            reason: c(&self.reason),
            sub: c(&self.sub),
            tag: c(&self.tag),
            score: c(&self.score),
            sort: c(&self.sort),
            dir: c(&self.dir),
        }
    }

    /// The filters (not the sort) as `name=value` pairs, for links that keep them.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let q = self.cleaned();
        [
            ("from", q.from),
            ("until", q.until),
            ("protocol", q.protocol),
            ("client", q.client),
            ("phone", q.phone),
            ("email", q.email),
            ("q", q.q),
            ("team", q.team),
            ("agent", q.agent),
            ("channel", q.channel),
            ("reason", q.reason),
            ("sub", q.sub),
            ("tag", q.tag),
            ("score", q.score),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }

    /// The checked criteria, or the field errors to show beside the form.
    pub fn check(&self, today: chrono::NaiveDate, tz: chrono_tz::Tz, country: &str) -> Result<Criteria, FieldErrors> {
        let mut errors = FieldErrors::new();
        let period = report_period::resolve(&text(&self.from), &text(&self.until), today, tz)
            .map_err(|e| errors.insert(e.field.into(), e.key.into()))
            .ok();
        let mut id = |name: &'static str, value: &Option<String>| match text(value).as_str() {
            "" => None,
            typed => match typed.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    errors.insert(name.into(), "reports-bad-choice".into());
                    None
                }
            },
        };
        let (team_id, agent_id, channel_id) =
            (id("team", &self.team), id("agent", &self.agent), id("channel", &self.channel));
        let (reason_id, sub_reason_id, tag_id) =
            (id("reason", &self.reason), id("sub", &self.sub), id("tag", &self.tag));
        let score = id("score", &self.score);
        if score.is_some_and(|s| s > 5) {
            errors.insert("score".into(), "reports-bad-choice".into());
        }
        let phone_typed = text(&self.phone);
        let order = Order {
            key: SortKey::parse(&text(&self.sort)).unwrap_or(Order::default().key),
            descending: text(&self.dir) != "asc",
        };
        let (Some(period), true) = (period, errors.is_empty()) else { return Err(errors) };
        let filter = ReportFilter {
            from_ms: period.from_ms,
            until_ms: period.until_ms,
            protocol: text(&self.protocol),
            client: text(&self.client),
            phone_forms: phone::search_forms(&phone_typed, country),
            phone_typed: !phone_typed.is_empty(),
            email: text(&self.email),
            containing: fts_query(&text(&self.q)),
            team_id,
            agent_id,
            channel_id,
            reason_id,
            sub_reason_id,
            tag_id,
            score,
        };
        Ok(Criteria { filter, order, period })
    }
}
