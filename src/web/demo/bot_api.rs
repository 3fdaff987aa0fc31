//! The Bot API simulator at `/demo/telegram` (the demo Telegram channel's API address):
//! `/bot<token>/<method>` by GET or POST, parameters in the query, a JSON body, a form or
//! a multipart upload, as Telegram takes them; answers `{"ok": …}` as Telegram does.

use std::collections::HashMap;

use rocket::data::{Data, ToByteUnit};
use rocket::http::{ContentType, Status};
use rocket::serde::json::Json;
use rocket::{get, post, routes, Route, Shutdown, State};
use serde_json::{json, Value};

use crate::demo::telegram::bot_error;
use crate::demo::Phone;

/// The largest call taken (a bot may send files of up to 50 MB; the demo takes less).
const CALL_LIMIT: u64 = 20 * 1024 * 1024;

type Answer = (Status, Json<Value>);

fn ok(result: Value) -> Answer {
    (Status::Ok, Json(json!({"ok": true, "result": result})))
}

fn refusal((code, body): (u16, Value)) -> Answer {
    (Status::from_code(code).unwrap_or(Status::BadRequest), Json(body))
}

/// The text parts of a multipart body (files are only named).
fn multipart_fields(boundary: &str, body: &[u8], fields: &mut HashMap<String, String>) {
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(body);
    for part in text.split(delimiter.as_str()).skip(1) {
        let Some((head, content)) = part.split_once("\r\n\r\n") else { continue };
        let name = head.split("name=\"").nth(1).and_then(|n| n.split('"').next()).unwrap_or_default();
        if !head.contains("filename=") {
            fields.insert(name.to_string(), content.trim_end_matches("\r\n").to_string());
        }
    }
}

/// The call's parameters: the query, then the body's.
fn parameters(
    query: HashMap<String, String>,
    content_type: Option<&ContentType>,
    body: &[u8],
) -> HashMap<String, String> {
    let mut fields = query;
    match content_type {
        Some(ct) if ct.is_json() => {
            let body: Value = serde_json::from_slice(body).unwrap_or_default();
            for (k, v) in body.as_object().into_iter().flatten() {
                fields.insert(k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
            }
        }
        Some(ct) if ct.is_form_data() => {
            if let Some(boundary) = ct.params().find(|(k, _)| *k == "boundary").map(|(_, v)| v.to_string()) {
                multipart_fields(&boundary, body, &mut fields);
            }
        }
        Some(ct) if ct.is_form() => {
            for pair in String::from_utf8_lossy(body).split('&') {
                if let Some((k, v)) = pair.split_once('=') {
                    let decode = |s: &str| rocket::http::RawStr::new(s).url_decode_lossy().into_owned();
                    fields.insert(decode(k), decode(v));
                }
            }
        }
        _ => {}
    }
    fields
}

/// One method call of the demo bot.
async fn call(phone: &Phone, bot: &str, method: &str, fields: HashMap<String, String>, shutdown: Shutdown) -> Answer {
    if let Err(refused) = phone.bot_token_ok(bot) {
        return refusal(refused);
    }
    let number = |name: &str| fields.get(name).and_then(|v| v.trim().parse::<i64>().ok());
    match method {
        "getMe" => ok(phone.telegram_me()),
        "deleteWebhook" => ok(json!(true)),
        "getUpdates" => {
            let timeout = number("timeout").unwrap_or(0).max(0) as u64;
            let limit = number("limit").unwrap_or(100).max(1) as usize;
            rocket::tokio::select! {
                updates = phone.telegram_updates(number("offset"), timeout, limit) => ok(Value::Array(updates)),
                _ = shutdown => refusal(bot_error(502, "Bad Gateway")),
            }
        }
        "sendMessage" | "sendPhoto" | "sendDocument" | "sendVoice" | "sendAudio" | "sendVideo" => {
            let Some(chat_id) = number("chat_id") else {
                return refusal(bot_error(400, "Bad Request: chat not found"));
            };
            let text = fields.get("text").or_else(|| fields.get("caption")).cloned().unwrap_or_default();
            let text = match method {
                "sendMessage" if text.trim().is_empty() => {
                    return refusal(bot_error(400, "Bad Request: message text is empty"))
                }
                "sendMessage" => text,
                _ => format!("📎 {text}").trim().to_string(),
            };
            ok(phone.telegram_bot_sends(chat_id, text))
        }
        _ => refusal(bot_error(404, "Not Found")),
    }
}

#[get("/demo/telegram/<bot>/<method>?<query..>")]
async fn by_get(
    bot: &str,
    method: &str,
    query: HashMap<String, String>,
    phone: &State<Phone>,
    shutdown: Shutdown,
) -> Answer {
    call(phone, bot, method, query, shutdown).await
}

#[post("/demo/telegram/<bot>/<method>?<query..>", data = "<data>")]
async fn by_post(
    bot: &str,
    method: &str,
    query: HashMap<String, String>,
    content_type: Option<&ContentType>,
    data: Data<'_>,
    phone: &State<Phone>,
    shutdown: Shutdown,
) -> Answer {
    let body = match data.open(CALL_LIMIT.bytes()).into_bytes().await {
        Ok(body) if body.is_complete() => body.into_inner(),
        _ => return refusal(bot_error(413, "Request Entity Too Large")),
    };
    call(phone, bot, method, parameters(query, content_type, &body), shutdown).await
}

pub fn routes() -> Vec<Route> {
    routes![by_get, by_post]
}
