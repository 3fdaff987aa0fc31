//! `/healthz`: liveness plus a database check, for load balancers and systemd.

use rocket::http::Status;
use rocket::serde::json::{json, Value};
use rocket::{get, routes, Route, State};

use crate::db::Db;

#[get("/healthz")]
async fn healthz(db: &State<Db>) -> (Status, Value) {
    match db.read(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)).await {
        Ok(1) => (Status::Ok, json!({"status": "ok", "database": "ok"})),
        _ => (Status::ServiceUnavailable, json!({"status": "error", "database": "unavailable"})),
    }
}

pub fn routes() -> Vec<Route> {
    routes![healthz]
}
