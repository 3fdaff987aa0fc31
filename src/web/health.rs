//! `/healthz`: liveness plus a database check, for load balancers and systemd.

use rocket::http::Status;
use rocket::serde::json::{json, Value};
use rocket::{get, routes, Route, State};

use crate::db::Db;

#[get("/healthz")]
async fn healthz(db: &State<Db>) -> (Status, Value) {
    if db.answers().await {
        (Status::Ok, json!({"status": "ok", "database": "ok"}))
    } else {
        (Status::ServiceUnavailable, json!({"status": "error", "database": "unavailable"}))
    }
}

pub fn routes() -> Vec<Route> {
    routes![healthz]
}
