//! What the agent does in the open conversation: reply or comment, classify, close,
//! transfer, leave pending and bring back, invite a colleague. The engine decides; the
//! pane shows its answer next to the action, keeping what was typed.

use rocket::form::FromForm;
use rocket::http::{Header, Status};
use rocket::response::Redirect;
use rocket::{post, routes, Route, State};

use super::conversation::{render_pane, Feedback};
use super::lists::workspace_page;
use super::{refusal_status, Answer, Floor};
use crate::engine::closing::Choice;
use crate::engine::{Engine, EngineError, EngineResult};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::Htmx;
use crate::web::page::Page;

/// Where the conversation goes after an action: stays open, or leaves the agent's hands.
#[derive(Clone, Copy, PartialEq)]
enum After {
    Stay,
    Leave,
}

/// The pane (htmx) or the whole page with the pane open, with feedback and a status.
async fn show_pane(
    page: &Page,
    engine: &Engine,
    floor: &Floor,
    htmx: bool,
    id: i64,
    status: Status,
    fb: Feedback,
) -> WebResult<Answer> {
    let conv = engine.conversation_pane(&floor.agent(), id).await?;
    if htmx {
        let t = render_pane(page, &conv, &fb);
        return Ok(Answer::Hx((status, t), Header::new("HX-Trigger", "workspace-lists")));
    }
    Ok(Answer::Page((status, workspace_page(page, &engine.db, floor, Some(&conv), None, &fb).await?)))
}

async fn answer(
    page: &Page,
    engine: &Engine,
    floor: &Floor,
    htmx: bool,
    id: i64,
    result: EngineResult<()>,
    after: After,
    fb: Feedback,
) -> WebResult<Answer> {
    match result {
        Ok(()) if after == After::Leave => {
            Ok(if htmx { Answer::hx_redirect("/agent".into()) } else { Answer::Go(Redirect::to("/agent")) })
        }
        Ok(()) if htmx => show_pane(page, engine, floor, true, id, Status::Ok, Feedback::default()).await,
        Ok(()) => Ok(Answer::Go(Redirect::to(format!("/agent/conversations/{id}")))),
        Err(EngineError::Db(e)) => Err(e.into()),
        Err(e @ (EngineError::Forbidden | EngineError::NotFound)) => Ok(Answer::Refused(refusal_status(&e))),
        Err(e) => {
            let error_words = match &e {
                EngineError::BlockedWords(words) => words.join(", "),
                _ => String::new(),
            };
            let fb = Feedback { error_key: Some(e.key().to_string()), error_words, ..fb };
            show_pane(page, engine, floor, htmx, id, refusal_status(&e), fb).await
        }
    }
}

fn at(place: &str) -> Feedback {
    Feedback { error_at: place.into(), ..Feedback::default() }
}

fn number(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().filter(|n| *n > 0)
}

#[derive(FromForm)]
struct ReplyForm {
    body: String,
    internal: bool,
    /// Sent by the "Você está em pausa! Deseja sair?" prompt: go online, then send.
    go_online: bool,
}

#[post("/agent/conversations/<id>/messages", data = "<form>")]
async fn reply(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    form: CsrfForm<ReplyForm>,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Answer> {
    let ReplyForm { body, internal, go_online } = form.0;
    let fb = Feedback { error_at: "composer".into(), draft: body.clone(), internal, ..Feedback::default() };
    if !internal && floor.who.user.status == "paused" {
        if !go_online {
            let fb = Feedback { paused_prompt: true, ..fb };
            return show_pane(&page, engine, &floor, htmx.0, id, Status::Conflict, fb).await;
        }
        if let Err(e) = engine.go_online(floor.id()).await {
            return answer(&page, engine, &floor, htmx.0, id, Err(e), After::Stay, fb).await;
        }
    }
    let result = engine.reply(&floor.agent(), id, &body, internal).await.map(|_| ());
    answer(&page, engine, &floor, htmx.0, id, result, After::Stay, fb).await
}

#[derive(FromForm)]
struct TemplateForm {
    name: String,
    language: String,
    /// The parameters in the template's order.
    values: Vec<String>,
}

/// Sends one of the channel's approved templates (the only way to reach a contact whose
/// 24-hour window is closed).
#[post("/agent/conversations/<id>/template", data = "<form>")]
async fn template(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    form: CsrfForm<TemplateForm>,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Answer> {
    let TemplateForm { name, language, values } = form.0;
    let result = engine.send_template(&floor.agent(), id, &name, &language, values).await.map(|_| ());
    answer(&page, engine, &floor, htmx.0, id, result, After::Stay, at("template")).await
}

#[derive(FromForm)]
struct ClassifyForm {
    tabulation_id: String,
    /// Present (true) to take the classification off.
    #[field(default = false)]
    remove: bool,
}

#[post("/agent/conversations/<id>/classify", data = "<form>")]
async fn classify(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    form: CsrfForm<ClassifyForm>,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Answer> {
    let result = match number(&form.0.tabulation_id) {
        Some(tab) if form.0.remove => engine.unclassify(&floor.agent(), id, tab).await,
        Some(tab) => engine.classify(&floor.agent(), id, tab).await,
        None => Err(EngineError::Invalid("floor-bad-tabulation")),
    };
    answer(&page, engine, &floor, htmx.0, id, result, After::Stay, at("classify")).await
}

/// The closing dialog: a comment, and a reason (with an optional sub-reason) when the
/// agent classifies in the same step. Both empty: close with the classifications given.
#[derive(FromForm)]
struct CloseForm {
    comment: String,
    #[field(default = String::new())]
    reason_id: String,
    #[field(default = String::new())]
    sub_reason_id: String,
}

/// The choice of the closing dialog; `Err` when a field is not an id.
fn closing_choice(f: &CloseForm) -> Result<Option<Choice>, EngineError> {
    let bad = || EngineError::Invalid("floor-bad-tabulation");
    let optional = |text: &str| if text.trim().is_empty() { Ok(None) } else { number(text).map(Some).ok_or_else(bad) };
    match (optional(&f.reason_id)?, optional(&f.sub_reason_id)?) {
        (Some(reason_id), sub_reason_id) => Ok(Some(Choice { reason_id, sub_reason_id })),
        (None, None) => Ok(None),
        (None, Some(_)) => Err(bad()),
    }
}

#[post("/agent/conversations/<id>/close", data = "<form>")]
async fn close(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    form: CsrfForm<CloseForm>,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Answer> {
    let f = form.0;
    let result = match closing_choice(&f) {
        Ok(choice) => engine.close_with(&floor.agent(), id, &f.comment, choice).await,
        Err(e) => Err(e),
    };
    let fb = Feedback { draft: f.comment, reason: f.reason_id, sub_reason: f.sub_reason_id, ..at("close") };
    answer(&page, engine, &floor, htmx.0, id, result, After::Leave, fb).await
}

#[derive(FromForm)]
struct TransferForm {
    team_id: String,
    agent_id: String,
    note: String,
}

#[post("/agent/conversations/<id>/transfer", data = "<form>")]
async fn transfer(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    form: CsrfForm<TransferForm>,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Answer> {
    let f = form.0;
    let result = match number(&f.team_id) {
        Some(team) => engine.transfer(&floor.agent(), id, team, number(&f.agent_id), &f.note).await,
        None => Err(EngineError::Invalid("floor-bad-team")),
    };
    let fb = Feedback { draft: f.note.clone(), ..at("transfer") };
    answer(&page, engine, &floor, htmx.0, id, result, After::Leave, fb).await
}

#[post("/agent/conversations/<id>/pending", data = "<_form>")]
async fn pending(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    _form: CsrfForm<NoFields>,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Answer> {
    let result = engine.set_pending(&floor.agent(), id).await;
    answer(&page, engine, &floor, htmx.0, id, result, After::Stay, at("top")).await
}

#[post("/agent/conversations/<id>/resume", data = "<_form>")]
async fn resume(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    _form: CsrfForm<NoFields>,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Answer> {
    let result = engine.resume(&floor.agent(), id).await;
    answer(&page, engine, &floor, htmx.0, id, result, After::Stay, at("top")).await
}

/// "Tentar novamente" on a failed message: back to the outbox.
#[post("/agent/conversations/<id>/messages/<message_id>/retry", data = "<_form>")]
async fn retry(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    _form: CsrfForm<NoFields>,
    engine: &State<Engine>,
    id: i64,
    message_id: i64,
) -> WebResult<Answer> {
    let result = engine.retry_message(&floor.agent(), id, message_id).await;
    answer(&page, engine, &floor, htmx.0, id, result, After::Stay, at("top")).await
}

#[derive(FromForm)]
struct InviteForm {
    user_id: String,
}

#[post("/agent/conversations/<id>/invite", data = "<form>")]
async fn invite(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    form: CsrfForm<InviteForm>,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Answer> {
    let result = match number(&form.0.user_id) {
        Some(user) => engine.invite(&floor.agent(), id, user).await,
        None => Err(EngineError::Invalid("floor-bad-colleague")),
    };
    answer(&page, engine, &floor, htmx.0, id, result, After::Stay, at("invite")).await
}

#[derive(FromForm)]
struct TagForm {
    tag_id: String,
    /// Present (true) to take the tag off.
    remove: bool,
}

#[post("/agent/conversations/<id>/tags", data = "<form>")]
async fn tag(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    form: CsrfForm<TagForm>,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Answer> {
    let result = match number(&form.0.tag_id) {
        Some(tag) => engine.set_tag(&floor.agent(), id, tag, !form.0.remove).await,
        None => Err(EngineError::Invalid("floor-bad-tag")),
    };
    answer(&page, engine, &floor, htmx.0, id, result, After::Stay, at("tags")).await
}

pub fn routes() -> Vec<Route> {
    routes![reply, template, classify, close, transfer, pending, resume, retry, invite, tag]
}
