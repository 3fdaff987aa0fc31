//! `/api/v1/conversations`: the list, filtered by status, team, agent, channel or
//! contact, a page at a time in id order after an opaque cursor; and one conversation
//! with its messages (which takes the messages' scope as well).

use rocket::{get, routes, Route, State};

use super::token::{Conversations, Messages, Read, Scoped};
use super::{ok, page, paging, ApiError, ApiResult};
use crate::db::api_reads::{self, ConversationFilter};
use crate::db::Db;

/// The statuses a conversation can be in.
const STATUSES: [&str; 5] = ["bot", "waiting", "active", "pending", "closed"];

/// The most messages one conversation's answer holds (its latest).
const MOST_MESSAGES: i64 = 1000;

#[get("/api/v1/conversations?<status>&<team>&<agent>&<channel>&<contact>&<cursor>&<limit>")]
#[allow(clippy::too_many_arguments)]
async fn list(
    _s: Scoped<Conversations, Read>,
    db: &State<Db>,
    status: Option<&str>,
    team: Option<i64>,
    agent: Option<i64>,
    channel: Option<i64>,
    contact: Option<i64>,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> ApiResult {
    let (after, limit) = paging(cursor, limit)?;
    if status.is_some_and(|s| !STATUSES.contains(&s)) {
        return Err(ApiError::invalid("status", "api-error-status"));
    }
    let status = status.map(str::to_string);
    let filter =
        ConversationFilter { status, team_id: team, agent_id: agent, channel_id: channel, contact_id: contact };
    let rows = db.read(move |c| api_reads::conversations(c, &filter, after, limit)).await?;
    page(rows, limit, |c| c.id)
}

#[get("/api/v1/conversations/<id>")]
async fn show(_s: Scoped<Conversations, Read>, _m: Scoped<Messages, Read>, db: &State<Db>, id: i64) -> ApiResult {
    let found = db
        .read(move |c| match api_reads::conversation(c, id)? {
            Some(conversation) => Ok(Some((conversation, api_reads::messages_of(c, id, MOST_MESSAGES)?))),
            None => Ok(None),
        })
        .await?;
    let (conversation, messages) = found.ok_or_else(ApiError::not_found)?;
    let mut body = serde_json::to_value(conversation).unwrap_or_default();
    body["messages"] = serde_json::to_value(messages).unwrap_or_default();
    ok(body)
}

pub fn routes() -> Vec<Route> {
    routes![list, show]
}
