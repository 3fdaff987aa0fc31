//! What the agent does in the open conversation: reply or comment, classify, close,
//! transfer, leave pending and bring back, invite a colleague. The engine decides; the
//! pane shows its answer next to the action, keeping what was typed.

use rocket::form::FromForm;
use rocket::http::{Header, Status};
use rocket::response::Redirect;
use rocket::{post, routes, Route};

use super::conversation::{render_pane, Feedback};
use super::lists::workspace_page;
use super::{refusal_status, Acting, Answer};
use crate::engine::closing::Choice;
use crate::engine::{EngineError, EngineResult};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::ClientIp;

/// Where the conversation goes after an action: stays open, or leaves the agent's hands.
#[derive(Clone, Copy, PartialEq)]
enum After {
    Stay,
    Leave,
}

impl Acting<'_> {
    /// The pane (htmx) or the whole page with the pane open, with feedback and a status.
    async fn show_pane(&self, id: i64, status: Status, fb: Feedback) -> WebResult<Answer> {
        let conv = self.engine.conversation_pane(&self.floor.agent(), id).await?;
        if self.htmx {
            let t = render_pane(&self.page, &conv, &fb);
            return Ok(Answer::Hx((status, t), Header::new("HX-Trigger", "workspace-lists")));
        }
        let t = workspace_page(&self.page, &self.engine.db, &self.floor, Some(&conv), None, &fb).await?;
        Ok(Answer::Page((status, t)))
    }

    /// The answer to an action on conversation `id`: on success, the pane again or (when
    /// the conversation left the agent's hands) the workspace; a refusal next to the action.
    async fn answer(&self, id: i64, result: EngineResult<()>, after: After, fb: Feedback) -> WebResult<Answer> {
        match result {
            Ok(()) if after == After::Leave => Ok(Answer::go(self.htmx, "/agent".into())),
            Ok(()) if self.htmx => self.show_pane(id, Status::Ok, Feedback::default()).await,
            Ok(()) => Ok(Answer::Go(Redirect::to(format!("/agent/conversations/{id}")))),
            Err(EngineError::Db(e)) => Err(e.into()),
            Err(e @ (EngineError::Forbidden | EngineError::NotFound)) => Ok(Answer::Refused(refusal_status(&e))),
            Err(e) => {
                let error_words = match &e {
                    EngineError::BlockedWords(words) => words.join(", "),
                    EngineError::TooLong(limit) => limit.to_string(),
                    _ => String::new(),
                };
                let fb = Feedback { error_key: Some(e.key().to_string()), error_words, ..fb };
                self.show_pane(id, refusal_status(&e), fb).await
            }
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
async fn reply(act: Acting<'_>, form: CsrfForm<ReplyForm>, id: i64) -> WebResult<Answer> {
    let ReplyForm { body, internal, go_online } = form.0;
    let fb = Feedback { error_at: "composer".into(), draft: body.clone(), internal, ..Feedback::default() };
    if !internal && act.floor.who.user.status == "paused" {
        if !go_online {
            let fb = Feedback { paused_prompt: true, ..fb };
            return act.show_pane(id, Status::Conflict, fb).await;
        }
        if let Err(e) = act.engine.go_online(act.floor.id()).await {
            return act.answer(id, Err(e), After::Stay, fb).await;
        }
    }
    let result = act.engine.reply(&act.floor.agent(), id, &body, internal).await.map(|_| ());
    act.answer(id, result, After::Stay, fb).await
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
async fn template(act: Acting<'_>, form: CsrfForm<TemplateForm>, id: i64) -> WebResult<Answer> {
    let TemplateForm { name, language, values } = form.0;
    let result = act.engine.send_template(&act.floor.agent(), id, &name, &language, values).await.map(|_| ());
    act.answer(id, result, After::Stay, at("template")).await
}

#[derive(FromForm)]
struct ClassifyForm {
    tabulation_id: String,
    /// Present (true) to take the classification off.
    #[field(default = false)]
    remove: bool,
}

#[post("/agent/conversations/<id>/classify", data = "<form>")]
async fn classify(act: Acting<'_>, form: CsrfForm<ClassifyForm>, id: i64) -> WebResult<Answer> {
    let result = match number(&form.0.tabulation_id) {
        Some(tab) if form.0.remove => act.engine.unclassify(&act.floor.agent(), id, tab).await,
        Some(tab) => act.engine.classify(&act.floor.agent(), id, tab).await,
        None => Err(EngineError::Invalid("floor-bad-tabulation")),
    };
    act.answer(id, result, After::Stay, at("classify")).await
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
async fn close(act: Acting<'_>, form: CsrfForm<CloseForm>, id: i64) -> WebResult<Answer> {
    let f = form.0;
    let result = match closing_choice(&f) {
        Ok(choice) => act.engine.close_with(&act.floor.agent(), id, &f.comment, choice).await,
        Err(e) => Err(e),
    };
    let fb = Feedback { draft: f.comment, reason: f.reason_id, sub_reason: f.sub_reason_id, ..at("close") };
    act.answer(id, result, After::Leave, fb).await
}

#[derive(FromForm)]
struct TransferForm {
    team_id: String,
    agent_id: String,
    note: String,
}

#[post("/agent/conversations/<id>/transfer", data = "<form>")]
async fn transfer(act: Acting<'_>, form: CsrfForm<TransferForm>, id: i64) -> WebResult<Answer> {
    let f = form.0;
    let result = match number(&f.team_id) {
        Some(team) => act.engine.transfer(&act.floor.agent(), id, team, number(&f.agent_id), &f.note).await,
        None => Err(EngineError::Invalid("floor-bad-team")),
    };
    let fb = Feedback { draft: f.note.clone(), ..at("transfer") };
    act.answer(id, result, After::Leave, fb).await
}

#[post("/agent/conversations/<id>/pending", data = "<_form>")]
async fn pending(act: Acting<'_>, _form: CsrfForm<NoFields>, id: i64) -> WebResult<Answer> {
    let result = act.engine.set_pending(&act.floor.agent(), id).await;
    act.answer(id, result, After::Stay, at("top")).await
}

#[post("/agent/conversations/<id>/resume", data = "<_form>")]
async fn resume(act: Acting<'_>, _form: CsrfForm<NoFields>, id: i64) -> WebResult<Answer> {
    let result = act.engine.resume(&act.floor.agent(), id).await;
    act.answer(id, result, After::Stay, at("top")).await
}

/// "Tentar novamente" on a failed message: back to the outbox.
#[post("/agent/conversations/<id>/messages/<message_id>/retry", data = "<_form>")]
async fn retry(act: Acting<'_>, _form: CsrfForm<NoFields>, id: i64, message_id: i64) -> WebResult<Answer> {
    let result = act.engine.retry_message(&act.floor.agent(), id, message_id).await;
    act.answer(id, result, After::Stay, at("top")).await
}

#[derive(FromForm)]
struct InviteForm {
    user_id: String,
}

#[post("/agent/conversations/<id>/invite", data = "<form>")]
async fn invite(act: Acting<'_>, form: CsrfForm<InviteForm>, id: i64) -> WebResult<Answer> {
    let result = match number(&form.0.user_id) {
        Some(user) => act.engine.invite(&act.floor.agent(), id, user).await,
        None => Err(EngineError::Invalid("floor-bad-colleague")),
    };
    act.answer(id, result, After::Stay, at("invite")).await
}

#[derive(FromForm)]
struct TagForm {
    tag_id: String,
    /// Present (true) to take the tag off.
    remove: bool,
}

#[post("/agent/conversations/<id>/tags", data = "<form>")]
async fn tag(act: Acting<'_>, form: CsrfForm<TagForm>, id: i64) -> WebResult<Answer> {
    let result = match number(&form.0.tag_id) {
        Some(tag) => act.engine.set_tag(&act.floor.agent(), id, tag, !form.0.remove).await,
        None => Err(EngineError::Invalid("floor-bad-tag")),
    };
    act.answer(id, result, After::Stay, at("tags")).await
}

/// "📞": the PBX rings the agent's extension, then dials the contact; the pane shows
/// the line the call left (chamando, or why it failed).
#[post("/agent/conversations/<id>/call", data = "<_form>")]
async fn call(act: Acting<'_>, _form: CsrfForm<NoFields>, ip: ClientIp, id: i64) -> WebResult<Answer> {
    let from = crate::engine::telephony::CallFrom::Conversation(id);
    let result = act.engine.call(&act.floor.agent(), from, &ip.0.to_string()).await.map(|_| ());
    act.answer(id, result, After::Stay, at("call")).await
}

#[derive(FromForm)]
struct LinkForm {
    protocol: String,
}

/// "Vincular a protocolo anterior": one of the contact's earlier protocols.
#[post("/agent/conversations/<id>/link", data = "<form>")]
async fn link(act: Acting<'_>, form: CsrfForm<LinkForm>, id: i64) -> WebResult<Answer> {
    let result = act.engine.link_protocol(&act.floor.agent(), id, &form.0.protocol).await;
    act.answer(id, result, After::Stay, at("link")).await
}

pub fn routes() -> Vec<Route> {
    routes![reply, template, classify, close, transfer, pending, resume, retry, invite, tag, call, link]
}
