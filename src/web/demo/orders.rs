//! `GET /demo/orders/<n>`: the demo shop's own system, which the demo flow's HTTP
//! block asks about an order. JSON; 404 for an order the shop does not know.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{get, routes, Route};
use serde_json::{json, Value};

use crate::demo::orders;

#[get("/demo/orders/<number>")]
fn order(number: &str) -> Result<Json<orders::Order>, (Status, Json<Value>)> {
    let not_found = || (Status::NotFound, Json(json!({"error": "order not found"})));
    let number: u32 = number.trim().parse().map_err(|_| not_found())?;
    orders::find(number, crate::db::now_ms()).map(Json).ok_or_else(not_found)
}

pub fn routes() -> Vec<Route> {
    routes![order]
}
