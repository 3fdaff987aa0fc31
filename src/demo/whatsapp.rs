//! The WhatsApp side of the phone, as Meta would play it: the customer's message goes to
//! Atende as a signed webhook over HTTP; a message Atende sends through the Graph API
//! simulator gets a wamid, shows on the phone, and its statuses — sent, delivered, and
//! read once the phone page has shown it — come back as signed webhooks.

use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::phone::{push, Bubble, Offered, Phone, Tick, WHATSAPP_CUSTOMER};
use crate::db::now_ms;
use crate::domain::flow::menu::Choice;
use crate::domain::message_template::render;

/// The pause between two statuses of one message, so the agent sees the ticks move.
const STATUS_STEP: Duration = Duration::from_millis(700);

/// A Graph API refusal: the HTTP status and Meta's error body.
pub type GraphRefusal = (u16, Value);

fn graph_error(status: u16, code: i64, message: &str) -> GraphRefusal {
    (status, json!({"error": {"message": message, "type": "OAuthException", "code": code}}))
}

fn new_wamid() -> String {
    format!("wamid.DEMO{}", hex::encode(rand::random::<[u8; 12]>()).to_uppercase())
}

/// The `value` of one webhook change of the demo number.
fn change(phone: &Phone, value: Value) -> Value {
    let number = &phone.links().whatsapp.phone_number_id;
    let mut value = value;
    value["messaging_product"] = "whatsapp".into();
    value["metadata"] = json!({"display_phone_number": super::channels::DISPLAY_NUMBER.replace(['+', ' ', '-'], ""), "phone_number_id": number});
    json!({"object": "whatsapp_business_account",
           "entry": [{"id": "demo-waba", "changes": [{"field": "messages", "value": value}]}]})
}

/// The buttons or list rows of an interactive message.
fn offered(body: &Value) -> Option<Offered> {
    let part = &body["interactive"];
    let choice = |id: &Value, title: &Value| Some(Choice { id: id.as_str()?.into(), title: title.as_str()?.into() });
    let (reply, options): (&'static str, Vec<Choice>) = match part["type"].as_str()? {
        "button" => {
            let buttons = part["action"]["buttons"].as_array()?;
            ("button_reply", buttons.iter().filter_map(|b| choice(&b["reply"]["id"], &b["reply"]["title"])).collect())
        }
        "list" => {
            let sections = part["action"]["sections"].as_array()?;
            let rows = sections.iter().flat_map(|s| s["rows"].as_array().into_iter().flatten());
            ("list_reply", rows.filter_map(|r| choice(&r["id"], &r["title"])).collect())
        }
        _ => return None,
    };
    (!options.is_empty()).then_some(Offered { reply, options })
}

/// Posts a webhook body signed with the app secret, as Meta does; the status Atende
/// answered. Blocking.
fn post_webhook(phone: &Phone, body: &Value) -> Result<u16, String> {
    let links = phone.links();
    let bytes = body.to_string().into_bytes();
    let mut mac = Hmac::<Sha256>::new_from_slice(links.whatsapp.app_secret.as_bytes()).map_err(|e| e.to_string())?;
    mac.update(&bytes);
    let signature = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .new_agent();
    let answer = agent
        .post(&links.webhook_url)
        .header("Content-Type", "application/json")
        .header("X-Hub-Signature-256", &signature)
        .send(&bytes[..])
        .map_err(|e| e.to_string())?;
    Ok(answer.status().as_u16())
}

async fn post(phone: &Phone, body: Value) -> Result<u16, String> {
    let phone = phone.clone();
    rocket::tokio::task::spawn_blocking(move || post_webhook(&phone, &body)).await.map_err(|e| e.to_string())?
}

impl Phone {
    /// The customer writes on WhatsApp: the message shows on the phone, then goes to
    /// Atende; it shows delivered once Atende has taken it.
    pub async fn whatsapp_customer_writes(&self, text: String) {
        self.whatsapp_send(text.clone(), json!({"type": "text", "text": {"body": text}})).await;
    }

    /// The customer taps a button or a list row of the latest message offering `id`;
    /// false when no message offers it (any more).
    pub async fn whatsapp_customer_taps(&self, id: &str) -> bool {
        let found = self.read(|s| {
            let offered = s.whatsapp.iter().rev().find_map(|b| b.offered.clone())?;
            let choice = offered.options.iter().find(|c| c.id == id)?.clone();
            Some((offered.reply, choice))
        });
        let Some((reply, choice)) = found else { return false };
        let message = json!({"type": "interactive", "interactive": {"type": reply, reply: {"id": choice.id, "title": choice.title}}});
        self.whatsapp_send(choice.title, message).await;
        true
    }

    /// `message` (its type and content) from the customer, shown as `text`.
    async fn whatsapp_send(&self, text: String, message: Value) {
        let wamid = new_wamid();
        let bubble = Bubble::new(wamid.clone(), true, text, Tick::Sending);
        self.change(|s| push(&mut s.whatsapp, bubble));
        let (name, number) = WHATSAPP_CUSTOMER;
        let mut message = message;
        message["from"] = number.into();
        message["id"] = wamid.clone().into();
        message["timestamp"] = (now_ms() / 1000).to_string().into();
        let body =
            change(self, json!({"contacts": [{"profile": {"name": name}, "wa_id": number}], "messages": [message]}));
        let tick = match post(self, body).await {
            Ok(200) => Tick::Delivered,
            Ok(status) => {
                tracing::warn!(status, "demo phone: Atende refused the WhatsApp webhook");
                Tick::Failed
            }
            Err(e) => {
                tracing::warn!(error = %e, "demo phone: the WhatsApp webhook did not reach Atende");
                Tick::Failed
            }
        };
        self.set_tick(&wamid, tick);
    }

    fn set_tick(&self, wamid: &str, tick: Tick) {
        self.change(|s| {
            if let Some(b) = s.whatsapp.iter_mut().find(|b| b.id == wamid) {
                b.tick = tick;
            }
        });
    }

    /// Whether `authorization` is the demo number's bearer token.
    pub fn graph_token_ok(&self, authorization: Option<&str>) -> Result<(), GraphRefusal> {
        let expected = format!("Bearer {}", self.links().whatsapp.access_token);
        match authorization {
            Some(given) if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) => Ok(()),
            _ => Err(graph_error(401, 190, "Invalid OAuth access token.")),
        }
    }

    /// `POST /{version}/{phone_number_id}/messages`: what Atende sends, taken as Meta
    /// takes it; Meta's answer.
    pub fn graph_message(&self, number_id: &str, body: &Value) -> Result<Value, GraphRefusal> {
        if number_id != self.links().whatsapp.phone_number_id {
            return Err(graph_error(400, 100, "Unsupported post request. Object does not exist."));
        }
        let to = body["to"].as_str().unwrap_or_default().to_string();
        if body["messaging_product"] != "whatsapp" || to.is_empty() || !to.bytes().all(|b| b.is_ascii_digit()) {
            return Err(graph_error(400, 100, "Invalid parameter"));
        }
        let text = self.shown_text(body).ok_or_else(|| graph_error(400, 100, "Invalid parameter"))?;
        let wamid = new_wamid();
        // Messages to other numbers are taken too; only the demo customer's phone shows them.
        if to == WHATSAPP_CUSTOMER.1 {
            let bubble = Bubble { offered: offered(body), ..Bubble::new(wamid.clone(), false, text, Tick::Sending) };
            self.change(|s| push(&mut s.whatsapp, bubble));
        }
        rocket::tokio::spawn(self.clone().report(wamid.clone(), to.clone()));
        Ok(
            json!({"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}], "messages": [{"id": wamid}]}),
        )
    }

    /// What the customer reads of a message: its text, a template filled in, a file's
    /// caption or name.
    fn shown_text(&self, body: &Value) -> Option<String> {
        let kind = body["type"].as_str()?;
        let part = &body[kind];
        match kind {
            "text" => part["body"].as_str().map(str::to_string),
            "template" => {
                let (name, language) = (part["name"].as_str()?, part["language"]["code"].as_str()?);
                // What Meta approved for the demo number: the demo company's templates.
                let (_, _, body, _) = super::company::TEMPLATES.iter().find(|t| t.0 == name && language == "pt_BR")?;
                let params: Vec<&str> = part["components"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|c| c["type"] == "body")
                    .flat_map(|c| c["parameters"].as_array().into_iter().flatten())
                    .filter_map(|p| p["text"].as_str())
                    .collect();
                Some(render(body, &params))
            }
            "interactive" => part["body"]["text"].as_str().map(str::to_string),
            "image" | "video" | "audio" | "document" | "sticker" => {
                let label = part["caption"].as_str().or(part["filename"].as_str()).unwrap_or(kind);
                Some(format!("📎 {label}"))
            }
            _ => None,
        }
    }

    /// Reports a message sent, then delivered, then read if the phone has shown it.
    async fn report(self, wamid: String, to: String) {
        for tick in [Tick::Sent, Tick::Delivered] {
            rocket::tokio::time::sleep(STATUS_STEP).await;
            self.status(&wamid, &to, tick).await;
        }
        let read_now = self.change(|s| {
            let b = s.whatsapp.iter_mut().find(|b| b.id == wamid && b.shown && b.tick == Tick::Delivered);
            b.map(|b| b.tick = Tick::Read).is_some()
        });
        if read_now {
            self.status(&wamid, &to, Tick::Read).await;
        }
    }

    /// Posts one status of a message; the phone shows it once Atende took it.
    async fn status(&self, wamid: &str, to: &str, tick: Tick) {
        let name = serde_json::to_value(tick).unwrap_or_default();
        let body = change(
            self,
            json!({"statuses": [{"id": wamid, "status": name, "timestamp": (now_ms() / 1000).to_string(),
                                 "recipient_id": to}]}),
        );
        match post(self, body).await {
            Ok(200) if tick != Tick::Read => self.set_tick(wamid, tick),
            Ok(200) => {}
            Ok(status) => tracing::warn!(status, "demo phone: Atende refused a WhatsApp status"),
            Err(e) => tracing::warn!(error = %e, "demo phone: a WhatsApp status did not reach Atende"),
        }
    }

    /// The phone page shows the WhatsApp conversation: the agents' messages delivered
    /// until now become read, once each, and Atende hears it. Announced only when one
    /// did (the page looks again at every announcement).
    pub fn whatsapp_shown(&self) {
        let read: Vec<String> = self.quietly(|s| {
            let mut read = Vec::new();
            for b in s.whatsapp.iter_mut().filter(|b| !b.customer) {
                b.shown = true;
                if b.tick == Tick::Delivered {
                    b.tick = Tick::Read;
                    read.push(b.id.clone());
                }
            }
            read
        });
        if read.is_empty() {
            return;
        }
        self.change(|_| ());
        let phone = self.clone();
        rocket::tokio::spawn(async move {
            for wamid in read {
                phone.status(&wamid, WHATSAPP_CUSTOMER.1, Tick::Read).await;
            }
        });
    }

    /// `GET /{version}/{id}`: the number's details (the channel page's test).
    pub fn graph_object(&self, id: &str) -> Result<Value, GraphRefusal> {
        if id == self.links().whatsapp.phone_number_id {
            return Ok(json!({"display_phone_number": super::channels::DISPLAY_NUMBER,
                             "verified_name": "Demo Atende", "id": id}));
        }
        Err(graph_error(404, 100, "Unsupported get request. Object does not exist."))
    }

    /// `POST /{version}/{phone_number_id}/media`: a file Atende uploads before sending it.
    pub fn graph_upload(&self, number_id: &str) -> Result<Value, GraphRefusal> {
        if number_id != self.links().whatsapp.phone_number_id {
            return Err(graph_error(400, 100, "Unsupported post request. Object does not exist."));
        }
        Ok(json!({"id": format!("{}", rand::random::<u64>() >> 12)}))
    }
}
