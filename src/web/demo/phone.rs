//! `/demo/phone`: the customer's phone of the demo, with a tab per channel (WhatsApp,
//! Telegram, E-mail). The customer writes here; what the agents answer arrives through
//! the simulators, and the page looks again whenever the phone changes (a stream of
//! Server-Sent Events, `/demo/phone/events`). Public, as a customer has no account;
//! mounted only by `atende demo`.

use std::time::Duration;

use rocket::http::Status;
use rocket::response::stream::{Event, EventStream};
use rocket::response::Redirect;
use rocket::tokio::select;
use rocket::tokio::sync::broadcast::error::RecvError;
use rocket::{get, post, routes, FromForm, Route, Shutdown, State};
use rocket_dyn_templates::{context, Template};

use crate::demo::mailbox::{typed_subject, MAX_SUBJECT_CHARS};
use crate::demo::phone::{typed_text, Phone, EMAIL_CUSTOMER, MAX_TEXT_CHARS, TELEGRAM_CUSTOMER, WHATSAPP_CUSTOMER};
use crate::web::csrf::CsrfForm;
use crate::web::page::Page;

const TABS: [&str; 3] = ["whatsapp", "telegram", "email"];

#[derive(FromForm)]
struct Say {
    text: String,
}

#[derive(FromForm)]
struct Tap {
    id: String,
}

#[derive(FromForm)]
struct Write {
    subject: String,
    text: String,
    /// The conversation answered; none for a new mail.
    thread: Option<usize>,
}

/// What a tab shows; a WhatsApp conversation shown is read.
fn tab_context(phone: &Phone, tab: &str) -> serde_json::Value {
    if tab == "whatsapp" {
        phone.whatsapp_shown();
    }
    let (wa_name, wa_number) = WHATSAPP_CUSTOMER;
    serde_json::json!({
        "tab": tab,
        "bubbles": match tab { "whatsapp" => phone.whatsapp(), "telegram" => phone.telegram(), _ => Vec::new() },
        "threads": if tab == "email" { phone.mail_threads() } else { Vec::new() },
        "customer": match tab {
            "whatsapp" => format!("{wa_name} · +{wa_number}"),
            "telegram" => format!("{} {}", TELEGRAM_CUSTOMER.0, TELEGRAM_CUSTOMER.1),
            _ => format!("{} <{}>", EMAIL_CUSTOMER.0, EMAIL_CUSTOMER.1),
        },
        "max_text": MAX_TEXT_CHARS,
        "max_subject": MAX_SUBJECT_CHARS,
    })
}

fn render(page: &Page, phone: &Phone, tab: &str, error: Option<&str>, typed: &str) -> Template {
    page.render("demo/phone.html", context! { phone: tab_context(phone, tab), error, typed })
}

#[get("/demo/phone?<tab>")]
fn phone_page(page: Page, phone: &State<Phone>, tab: Option<&str>) -> Template {
    let tab = tab.filter(|t| TABS.contains(t)).unwrap_or("whatsapp");
    render(&page, phone, tab, None, "")
}

/// The tab's conversation alone, fetched again at every change.
#[get("/demo/phone/<tab>/thread")]
fn thread(page: Page, phone: &State<Phone>, tab: &str) -> Result<Template, Status> {
    let tab = TABS.into_iter().find(|t| *t == tab).ok_or(Status::NotFound)?;
    Ok(page.render("demo/_phone_thread.html", context! { phone: tab_context(phone, tab) }))
}

type Answer = Result<Redirect, (Status, Template)>;

fn refused(page: &Page, phone: &Phone, tab: &str, key: &str, typed: &str) -> (Status, Template) {
    (Status::UnprocessableEntity, render(page, phone, tab, Some(key), typed))
}

#[post("/demo/phone/whatsapp", data = "<form>")]
async fn whatsapp(page: Page, phone: &State<Phone>, form: CsrfForm<Say>) -> Answer {
    let text = typed_text(&form.0.text).map_err(|key| refused(&page, phone, "whatsapp", key, &form.0.text))?;
    phone.whatsapp_customer_writes(text).await;
    Ok(Redirect::to("/demo/phone?tab=whatsapp"))
}

/// A reply button or list row tapped on the phone.
#[post("/demo/phone/whatsapp/tap", data = "<form>")]
async fn whatsapp_tap(page: Page, phone: &State<Phone>, form: CsrfForm<Tap>) -> Answer {
    if !phone.whatsapp_customer_taps(&form.0.id).await {
        return Err(refused(&page, phone, "whatsapp", "demo-phone-tap-gone", ""));
    }
    Ok(Redirect::to("/demo/phone?tab=whatsapp"))
}

#[post("/demo/phone/telegram", data = "<form>")]
fn telegram(page: Page, phone: &State<Phone>, form: CsrfForm<Say>) -> Answer {
    let text = typed_text(&form.0.text).map_err(|key| refused(&page, phone, "telegram", key, &form.0.text))?;
    phone.telegram_customer_writes(text);
    Ok(Redirect::to("/demo/phone?tab=telegram"))
}

#[post("/demo/phone/email", data = "<form>")]
fn email(page: Page, phone: &State<Phone>, form: CsrfForm<Write>) -> Answer {
    let Write { subject, text, thread } = form.0;
    let no = |key: &str| refused(&page, phone, "email", key, &text);
    let text_ok = typed_text(&text).map_err(no)?;
    // A reply may keep the conversation's subject; a new mail needs its own.
    let subject = match (thread, subject.trim().is_empty()) {
        (Some(_), true) => String::new(),
        _ => typed_subject(&subject).map_err(no)?,
    };
    phone.customer_mails(thread, &subject, &text_ok).map_err(no)?;
    Ok(Redirect::to("/demo/phone?tab=email"))
}

/// A `change` event whenever the phone changes, for the page to look again.
#[get("/demo/phone/events")]
fn events(
    phone: &State<Phone>,
    metrics: &State<crate::engine::metrics::Metrics>,
    mut shutdown: Shutdown,
) -> EventStream![] {
    let mut changes = phone.subscribe();
    let metrics = metrics.inner().clone();
    EventStream! {
        let _open = metrics.stream_opened("demo_phone");
        yield Event::data("ready").event("ready");
        loop {
            select! {
                heard = changes.recv() => match heard {
                    Ok(()) | Err(RecvError::Lagged(_)) => yield Event::data("change").event("change"),
                    Err(RecvError::Closed) => break,
                },
                _ = &mut shutdown => break,
            }
        }
    }
    .heartbeat(Duration::from_secs(15))
}

pub fn routes() -> Vec<Route> {
    routes![phone_page, thread, whatsapp, whatsapp_tap, telegram, email, events]
}
