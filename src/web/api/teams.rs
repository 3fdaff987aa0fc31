//! `/api/v1/teams` and `/api/v1/agents`: the teams with their members, and the agents
//! with what they are doing now (online, paused with the pause's name, offline). Only
//! who and where: an agent's conversations are the conversations' scope's.

use rocket::{get, routes, Route, State};

use super::token::{Read, Scoped, Teams};
use super::{ok, ApiError, ApiResult};
use crate::db::api_reads;
use crate::db::Db;

#[get("/api/v1/teams")]
async fn teams(_s: Scoped<Teams, Read>, db: &State<Db>) -> ApiResult {
    ok(serde_json::json!({ "data": db.read(api_reads::teams).await? }))
}

#[get("/api/v1/agents")]
async fn agents(_s: Scoped<Teams, Read>, db: &State<Db>) -> ApiResult {
    ok(serde_json::json!({ "data": db.read(|c| api_reads::agents(c, None)).await? }))
}

#[get("/api/v1/agents/<id>")]
async fn agent(_s: Scoped<Teams, Read>, db: &State<Db>, id: i64) -> ApiResult {
    let found = db.read(move |c| api_reads::agents(c, Some(id))).await?;
    ok(found.into_iter().next().ok_or_else(ApiError::not_found)?)
}

pub fn routes() -> Vec<Route> {
    routes![teams, agents, agent]
}
