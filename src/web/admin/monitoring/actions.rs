//! The supervisor's buttons on "Monitoramento" (`monitoring:edit`), and the queues'
//! thresholds' form. Each form is confirmed in the browser
//! and carries the page's filters, so the page comes back as it was; a refusal (the
//! team requires a classification, the agent is no longer paused …) is shown on it.

use rocket::http::Status;
use rocket::response::{Redirect, Responder};
use rocket::{post, routes, Route, State};
use rocket_dyn_templates::Template;

use super::{view, Said, Typed};
use crate::catalog::monitoring_thresholds::{save as save_thresholds, ThresholdsDraft};
use crate::catalog::CatalogError;
use crate::engine::monitoring::Supervisor as Acting;
use crate::engine::{Engine, EngineError, EngineResult};
use crate::web::csrf::CsrfForm;
use crate::web::errors::{WebError, WebResult};
use crate::web::guards::perm::{Edit, Monitoring};
use crate::web::guards::Can;
use crate::web::page::Page;

/// Acting on the floor needs more than seeing it.
pub type Supervisor = Can<Monitoring, Edit>;

/// What `?done=` may say after an action: the suffix of `monitoring-done-…`.
pub const DONE: [&str; 7] = ["end-pause", "sign-out", "finish", "transfer", "out-of-bot", "end-survey", "thresholds"];

#[derive(Responder)]
pub enum Answer {
    Done(Redirect),
    Refused((Status, Template)),
}

/// Back to the page, filtered as it was, saying what was done; or the page `again`
/// builds with the refusal's key. Only a database failure is an error page.
pub async fn answer<F, Fut>(typed: &Typed, done: &'static str, result: EngineResult<()>, again: F) -> WebResult<Answer>
where
    F: FnOnce(&'static str) -> Fut,
    Fut: std::future::Future<Output = WebResult<(Status, Template)>>,
{
    match result {
        Ok(()) => Ok(Answer::Done(back(typed, done))),
        Err(EngineError::Db(e)) => Err(WebError::Db(e)),
        Err(refused) => {
            let (_, template) = again(refused.key()).await?;
            Ok(Answer::Refused((crate::web::errors::refusal_status(&refused), template)))
        }
    }
}

/// The page again with a refusal above the lists.
async fn refused(page: &Page, engine: &Engine, typed: Typed, key: &'static str) -> WebResult<(Status, Template)> {
    view(page, engine, typed, "admin/monitoring/index.html", Said { refusal: Some(key), ..Said::default() }).await
}

fn back(typed: &Typed, done: &str) -> Redirect {
    let query = typed.query();
    let sep = if query.is_empty() { "" } else { "&" };
    Redirect::to(format!("/admin/monitoring?{query}{sep}done={done}"))
}

/// A team's queue thresholds, from the form below the queues (the page's filters in
/// its address); refused, the page again with what was typed and why.
#[post("/admin/monitoring/thresholds?<typed..>", data = "<form>")]
async fn thresholds(
    page: Page,
    can: Supervisor,
    typed: Typed,
    form: CsrfForm<ThresholdsDraft>,
    engine: &State<Engine>,
) -> WebResult<Answer> {
    let draft = form.0;
    match save_thresholds(&engine.db, &can.actor(), draft.clone()).await {
        Ok(_) => Ok(Answer::Done(back(&typed, "thresholds"))),
        Err(CatalogError::Invalid(errors)) => {
            let said = Said { thresholds: Some(draft), errors, ..Said::default() };
            Ok(Answer::Refused(view(&page, engine, typed, "admin/monitoring/index.html", said).await?))
        }
        Err(other) => Err(other.into()),
    }
}

pub fn acting(can: &Supervisor) -> Acting {
    Acting { user_id: can.who.user.id, ip: can.who.ip.to_string() }
}

/// "Encerrar pausa" and "Desconectar", on an agent's row.
#[post("/admin/monitoring/agents/<id>/<step>", data = "<form>")]
async fn agent_step(
    page: Page,
    can: Supervisor,
    id: i64,
    step: &str,
    form: CsrfForm<Typed>,
    engine: &State<Engine>,
) -> WebResult<Answer> {
    let by = acting(&can);
    let (done, result) = match step {
        "end-pause" => ("end-pause", engine.end_pause_of(&by, id).await),
        "sign-out" => ("sign-out", engine.sign_out_agent(&by, id).await),
        _ => return Err(EngineError::NotFound.into()),
    };
    let typed = form.0;
    answer(&typed, done, result, |key| refused(&page, engine, typed.clone(), key)).await
}

/// "Tirar do bot" and "Encerrar pesquisa", on a conversation's row ("Transferir" and
/// "Finalizar" have their own routes, which come first).
#[post("/admin/monitoring/conversations/<id>/<step>", data = "<form>", rank = 2)]
async fn conversation_step(
    page: Page,
    can: Supervisor,
    id: i64,
    step: &str,
    form: CsrfForm<Typed>,
    engine: &State<Engine>,
) -> WebResult<Answer> {
    let by = acting(&can);
    let (done, result) = match step {
        "out-of-bot" => ("out-of-bot", engine.out_of_bot(&by, id).await),
        "end-survey" => ("end-survey", engine.end_survey(&by, id).await),
        _ => return Err(EngineError::NotFound.into()),
    };
    let typed = form.0;
    answer(&typed, done, result, |key| refused(&page, engine, typed.clone(), key)).await
}

pub fn routes() -> Vec<Route> {
    routes![agent_step, conversation_step, thresholds]
}
