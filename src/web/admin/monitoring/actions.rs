//! The supervisor's buttons on "Monitoramento" (`monitoring:edit`). Each form is confirmed in the browser
//! and carries the page's filters, so the page comes back as it was; a refusal (the
//! team requires a classification, the agent is no longer paused …) is shown on it.

use rocket::http::Status;
use rocket::response::{Redirect, Responder};
use rocket::{post, routes, Route, State};
use rocket_dyn_templates::Template;

use super::{view, Said, Typed};
use crate::engine::monitoring::Supervisor as Acting;
use crate::engine::{Engine, EngineError, EngineResult};
use crate::web::csrf::CsrfForm;
use crate::web::errors::{WebError, WebResult};
use crate::web::guards::perm::{Edit, Monitoring};
use crate::web::guards::Can;
use crate::web::page::Page;

/// Acting on the floor needs more than seeing it.
type Supervisor = Can<Monitoring, Edit>;

/// What `?done=` may say after an action: the suffix of `monitoring-done-…`.
pub const DONE: [&str; 5] = ["end-pause", "sign-out", "finish", "out-of-bot", "end-survey"];

#[derive(Responder)]
pub enum Answer {
    Done(Redirect),
    Refused((Status, Template)),
}

/// Back to the page, filtered as it was, saying what was done; or the page again with
/// the refusal. Only a database failure is an error page.
async fn answer(
    page: &Page,
    engine: &Engine,
    typed: Typed,
    done: &'static str,
    result: EngineResult<()>,
) -> WebResult<Answer> {
    match result {
        Ok(()) => {
            let query = typed.query();
            let sep = if query.is_empty() { "" } else { "&" };
            Ok(Answer::Done(Redirect::to(format!("/admin/monitoring?{query}{sep}done={done}"))))
        }
        Err(EngineError::Db(e)) => Err(WebError::Db(e)),
        Err(refused) => {
            let said = Said { done: None, refusal: Some(refused.key()) };
            let (_, template) = view(page, &engine.db, typed, "admin/monitoring/index.html", said).await?;
            Ok(Answer::Refused((crate::web::errors::refusal_status(&refused), template)))
        }
    }
}

fn acting(can: &Supervisor) -> Acting {
    Acting { user_id: can.who.user.id, ip: can.who.ip.to_string() }
}

#[post("/admin/monitoring/agents/<id>/end-pause", data = "<form>")]
async fn end_pause(
    page: Page,
    can: Supervisor,
    id: i64,
    form: CsrfForm<Typed>,
    engine: &State<Engine>,
) -> WebResult<Answer> {
    let result = engine.end_pause_of(&acting(&can), id).await;
    answer(&page, engine, form.0, "end-pause", result).await
}

#[post("/admin/monitoring/agents/<id>/sign-out", data = "<form>")]
async fn sign_out(
    page: Page,
    can: Supervisor,
    id: i64,
    form: CsrfForm<Typed>,
    engine: &State<Engine>,
) -> WebResult<Answer> {
    let result = engine.sign_out_agent(&acting(&can), id).await;
    answer(&page, engine, form.0, "sign-out", result).await
}

#[post("/admin/monitoring/conversations/<id>/finish", data = "<form>")]
async fn finish(
    page: Page,
    can: Supervisor,
    id: i64,
    form: CsrfForm<Typed>,
    engine: &State<Engine>,
) -> WebResult<Answer> {
    let result = engine.finish_as_supervisor(&acting(&can), id).await;
    answer(&page, engine, form.0, "finish", result).await
}

#[post("/admin/monitoring/conversations/<id>/out-of-bot", data = "<form>")]
async fn out_of_bot(
    page: Page,
    can: Supervisor,
    id: i64,
    form: CsrfForm<Typed>,
    engine: &State<Engine>,
) -> WebResult<Answer> {
    let result = engine.out_of_bot(&acting(&can), id).await;
    answer(&page, engine, form.0, "out-of-bot", result).await
}

#[post("/admin/monitoring/conversations/<id>/end-survey", data = "<form>")]
async fn end_survey(
    page: Page,
    can: Supervisor,
    id: i64,
    form: CsrfForm<Typed>,
    engine: &State<Engine>,
) -> WebResult<Answer> {
    let result = engine.end_survey(&acting(&can), id).await;
    answer(&page, engine, form.0, "end-survey", result).await
}

pub fn routes() -> Vec<Route> {
    routes![end_pause, sign_out, finish, out_of_bot, end_survey]
}
