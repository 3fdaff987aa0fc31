//! Probes for load balancers, systemd and orchestrators: `/livez` (the process answers;
//! touches nothing), `/healthz` (liveness plus a database check) and `/readyz` (every
//! migration applied and the background workers beating). None needs a session, none is
//! rate limited and none is logged per request.

use rocket::http::Status;
use rocket::serde::json::{json, Value};
use rocket::{get, routes, Route, State};

use crate::db::Db;
use crate::jobs::heartbeat::{readiness, Heartbeats};

#[get("/livez")]
fn livez() -> &'static str {
    "ok"
}

#[get("/healthz")]
async fn healthz(db: &State<Db>) -> (Status, Value) {
    if db.answers().await {
        (Status::Ok, json!({"status": "ok", "database": "ok"}))
    } else {
        (Status::ServiceUnavailable, json!({"status": "error", "database": "unavailable"}))
    }
}

#[get("/readyz")]
async fn readyz(db: &State<Db>, heartbeats: &State<Heartbeats>) -> (Status, Value) {
    match readiness(db, heartbeats).await {
        Ok(r) if r.ready => (Status::Ok, json!({"status": "ready", "schema": r.schema, "workers": r.workers})),
        Ok(r) => (
            Status::ServiceUnavailable,
            json!({"status": "not ready", "reason": r.reason, "schema": r.schema, "migrations": r.migrations,
                   "workers": r.workers, "late": r.late}),
        ),
        Err(_) => (Status::ServiceUnavailable, json!({"status": "not ready", "reason": "database unavailable"})),
    }
}

pub fn routes() -> Vec<Route> {
    routes![livez, healthz, readyz]
}
