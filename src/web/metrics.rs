//! `/metrics` in the Prometheus text format (F-PL-6) and the fairing that counts every
//! request by its route's template. The scrape is let in by a bearer token
//! (`metrics_token`) or from client networks (`metrics_networks`); with neither set,
//! only loopback clients. A refusal is 401 (a token is wanted) or 403, with no body.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{ContentType, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::{get, routes, Data, Orbit, Request, Response, Rocket, Route, State};
use subtle::ConstantTimeEq;

use super::guards::client_ip;
use crate::config::Config;
use crate::engine::metrics::{Metrics, RequestLabels, UNMATCHED};
use crate::engine::Engine;

const OPENMETRICS: (&str, &str) = ("application", "openmetrics-text; version=1.0.0; charset=utf-8");

/// Whether this request may scrape: `Err` holds the refusal's status.
pub struct Scraper(Result<(), Status>);

/// Whether `config` lets this request read the metrics: `Err` is the refusal's status.
fn admit(config: &Config, req: &Request<'_>) -> Result<(), Status> {
    let given = req.headers().get_one("Authorization").and_then(|h| h.strip_prefix("Bearer "));
    if let (Some(token), Some(given)) = (config.metrics_token.as_deref(), given) {
        if bool::from(token.as_bytes().ct_eq(given.trim().as_bytes())) {
            return Ok(());
        }
    }
    let ip = client_ip(req);
    let from_allowed = match (&config.metrics_token, config.metrics_networks.is_empty()) {
        (None, true) => ip.is_loopback() || ip.to_canonical().is_loopback(),
        (_, false) => config.metrics_networks.iter().any(|net| net.contains(&ip) || net.contains(&ip.to_canonical())),
        (Some(_), true) => false,
    };
    match (from_allowed, &config.metrics_token) {
        (true, _) => Ok(()),
        (false, Some(_)) => Err(Status::Unauthorized),
        (false, None) => Err(Status::Forbidden),
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Scraper {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let admitted = req.rocket().state::<Config>().map_or(Err(Status::Forbidden), |config| admit(config, req));
        Outcome::Success(Scraper(admitted))
    }
}

/// Refusals of the scrape carry nothing but their status.
pub struct Refusal(Status);

impl<'r> rocket::response::Responder<'r, 'static> for Refusal {
    fn respond_to(self, _: &'r Request<'_>) -> rocket::response::Result<'static> {
        let mut answer = Response::build();
        answer.status(self.0);
        if self.0 == Status::Unauthorized {
            answer.raw_header("WWW-Authenticate", "Bearer");
        }
        answer.ok()
    }
}

#[get("/metrics")]
async fn metrics(scraper: Scraper, engine: &State<Engine>) -> Result<(ContentType, String), Refusal> {
    scraper.0.map_err(Refusal)?;
    match engine.scrape().await {
        Ok(text) => Ok((ContentType::new(OPENMETRICS.0, OPENMETRICS.1), text)),
        Err(e) => {
            tracing::error!(error = %e, "metrics scrape failed");
            Err(Refusal(Status::ServiceUnavailable))
        }
    }
}

pub fn routes() -> Vec<Route> {
    routes![metrics]
}

/// When a request arrived, for its latency.
struct Arrived(Instant);

/// Counts every answer by route template, method and status, with its latency. The
/// templates are taken once at lift-off, so a request costs a map lookup and atomics.
pub struct RequestMetrics {
    metrics: Metrics,
    templates: OnceLock<HashMap<String, Arc<str>>>,
    unmatched: Arc<str>,
}

impl RequestMetrics {
    pub fn new(metrics: Metrics) -> RequestMetrics {
        RequestMetrics { metrics, templates: OnceLock::new(), unmatched: Arc::from(UNMATCHED) }
    }

    fn template(&self, route: Option<&Route>) -> Arc<str> {
        let Some(route) = route else { return self.unmatched.clone() };
        let path = route.uri.path();
        match self.templates.get().and_then(|t| t.get(path)) {
            Some(known) => known.clone(),
            None => Arc::from(path),
        }
    }
}

#[rocket::async_trait]
impl Fairing for RequestMetrics {
    fn info(&self) -> Info {
        Info { name: "request metrics", kind: Kind::Liftoff | Kind::Request | Kind::Response }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let templates = rocket.routes().map(|r| (r.uri.path().to_string(), Arc::from(r.uri.path()))).collect();
        let _ = self.templates.set(templates);
    }

    async fn on_request(&self, req: &mut Request<'_>, _: &mut Data<'_>) {
        req.local_cache(|| Arrived(Instant::now()));
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        let seconds = req.local_cache(|| Arrived(Instant::now())).0.elapsed().as_secs_f64();
        let labels = RequestLabels {
            route: self.template(req.route()),
            method: req.method().as_str(),
            status: res.status().code,
        };
        self.metrics.request(&labels, seconds);
    }
}
