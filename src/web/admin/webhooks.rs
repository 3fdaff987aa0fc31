//! "Webhooks" pages (under Integrações): the list of subscriptions, one form for new
//! and edit with the delivery log beneath it, delete, "Gerar novo segredo" (the new
//! secret shown once) and "Reenviar" of one delivery. The use cases are in
//! `catalog::webhooks`.

use rocket::State;
use rocket_dyn_templates::{context, Template};

use super::form::{done, Done};
use super::section::{admin_section, found, Form};
use crate::catalog::webhooks::{self, WebhookDraft};
use crate::db::{webhook_deliveries, webhooks as stored, Db};
use crate::domain::webhooks::EVENTS;
use crate::engine::Engine;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Edit, Integrations};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

/// How many of its latest deliveries a subscription's page lists.
const LOG_ROWS: i64 = 50;

async fn form_page(page: &Page, db: &Db, form: Form<'_, WebhookDraft>) -> WebResult<Template> {
    shown(page, db, form, None).await
}

/// The form, the delivery log of a stored subscription, and a rotated secret to show once.
async fn shown(page: &Page, db: &Db, form: Form<'_, WebhookDraft>, new_secret: Option<String>) -> WebResult<Template> {
    let log = match form.id {
        Some(id) => db.read(move |c| webhook_deliveries::log(c, id, LOG_ROWS)).await?,
        None => Vec::new(),
    };
    Ok(form.render(page, "admin/webhooks/form.html", context! { events: EVENTS, log, new_secret }))
}

/// "Gerar novo segredo": the page again with the new secret, this once.
#[rocket::post("/<id>/secret", data = "<_form>")]
async fn rotate(
    page: Page,
    can: Can<Integrations, Edit>,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Template> {
    let secret = webhooks::rotate_secret(db, &can.actor(), id).await?;
    let typed = WebhookDraft::of(&found(db, stored::subscription_by_id, id).await?);
    let form = Form { id: Some(id), typed: &typed, errors: serde_json::json!({}), refusal: None };
    shown(&page, db, form, Some(secret)).await
}

/// "Reenviar": a new attempt of one delivery, same id; back to the subscription's page.
#[rocket::post("/<id>/deliveries/<delivery>/resend", data = "<_form>")]
async fn resend(
    can: Can<Integrations, Edit>,
    htmx: Htmx,
    id: i64,
    delivery: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
    engine: &State<Engine>,
) -> WebResult<Done> {
    webhooks::resend(db, &can.actor(), id, delivery, engine.clock.now()).await?;
    Ok(done(&htmx, format!("/admin/webhooks/{id}")))
}

admin_section! {
    area: Integrations, at: "/admin/webhooks", catalog: webhooks, draft: WebhookDraft, form: form_page,
    list: ("admin/webhooks/list.html", stored::list_subscriptions),
    blank: |_, _| WebhookDraft::blank(),
    stored: |db, id| WebhookDraft::of(&found(db, stored::subscription_by_id, id).await?),
    created: |id| format!("/admin/webhooks/{id}"),
    also: [rotate, resend],
}
