//! The supervisor's steps that need a choice before they are confirmed: "Transferir"
//! (a team, or an agent of it, and a note) and "Finalizar" of a conversation whose team
//! requires a classification (a reason or sub-reason). Each has its page, reached from
//! the conversation's row, and posts with the list's filters in its address so the
//! page comes back as it was; a refusal shows the page again with what was chosen.

use rocket::http::Status;
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::actions::{acting, answer, Answer, Supervisor};
use super::Typed;
use crate::db::monitoring::Confirming;
use crate::engine::closing::Choice;
use crate::engine::{Engine, EngineError, EngineResult};
use crate::web::csrf::CsrfForm;
use crate::web::errors::WebResult;
use crate::web::page::Page;

/// What the confirmation's form sends (kept as chosen when refused).
#[derive(Debug, Default, Clone, FromForm, Serialize)]
pub struct Chosen {
    #[field(default = String::new())]
    team_id: String,
    #[field(default = String::new())]
    agent_id: String,
    #[field(default = String::new())]
    note: String,
    /// `reason` or `reason:sub-reason`.
    #[field(default = String::new())]
    tabulation: String,
}

fn number(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

impl Chosen {
    /// The classification chosen, if any; the key of why it is none when it is not one.
    fn choice(&self) -> EngineResult<Option<Choice>> {
        let text = self.tabulation.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let (reason, sub) = text.split_once(':').map_or((text, None), |(r, s)| (r, Some(s)));
        let bad = || EngineError::Invalid("floor-bad-tabulation");
        let reason_id = number(reason).ok_or_else(bad)?;
        let sub_reason_id = sub.map(|s| number(s).ok_or_else(bad)).transpose()?;
        Ok(Some(Choice { reason_id, sub_reason_id }))
    }
}

const STEPS: [&str; 2] = ["transfer", "finish"];

/// The confirmation page of `step`, with a refusal and the choice made when one came back.
pub async fn confirm_page(
    page: &Page,
    engine: &Engine,
    id: i64,
    step: &'static str,
    typed: Typed,
    chosen: Chosen,
    refusal: Option<&'static str>,
) -> WebResult<(Status, Template)> {
    let c = engine.db.read(move |conn| Confirming::load(conn, id)).await?.ok_or(EngineError::NotFound)?;
    let status = if refusal.is_some() { Status::UnprocessableEntity } else { Status::Ok };
    let query = typed.query();
    let context = context! { c, step, query, chosen, refusal };
    Ok((status, page.render("admin/monitoring/confirm.html", context)))
}

#[get("/admin/monitoring/conversations/<id>/<step>?<typed..>")]
async fn show(
    page: Page,
    _can: Supervisor,
    engine: &State<Engine>,
    id: i64,
    step: &str,
    typed: Typed,
) -> WebResult<(Status, Template)> {
    let step = STEPS.into_iter().find(|s| *s == step).ok_or(EngineError::NotFound)?;
    confirm_page(&page, engine, id, step, typed, Chosen::default(), None).await
}

#[post("/admin/monitoring/conversations/<id>/transfer?<typed..>", data = "<form>")]
async fn transfer(
    page: Page,
    can: Supervisor,
    engine: &State<Engine>,
    id: i64,
    typed: Typed,
    form: CsrfForm<Chosen>,
) -> WebResult<Answer> {
    let chosen = form.0;
    let result = match number(&chosen.team_id) {
        Some(team) => {
            engine.transfer_as_supervisor(&acting(&can), id, team, number(&chosen.agent_id), &chosen.note).await
        }
        None => Err(EngineError::Invalid("floor-bad-team")),
    };
    let again = |key| confirm_page(&page, engine, id, "transfer", typed.clone(), chosen, Some(key));
    answer(&typed, "transfer", result, again).await
}

#[post("/admin/monitoring/conversations/<id>/finish?<typed..>", data = "<form>")]
async fn finish(
    page: Page,
    can: Supervisor,
    engine: &State<Engine>,
    id: i64,
    typed: Typed,
    form: CsrfForm<Chosen>,
) -> WebResult<Answer> {
    let chosen = form.0;
    let result = match chosen.choice() {
        Ok(choice) => engine.finish_as_supervisor(&acting(&can), id, choice).await,
        Err(refused) => Err(refused),
    };
    let again = |key| confirm_page(&page, engine, id, "finish", typed.clone(), chosen, Some(key));
    answer(&typed, "finish", result, again).await
}

pub fn routes() -> Vec<Route> {
    routes![show, transfer, finish]
}
