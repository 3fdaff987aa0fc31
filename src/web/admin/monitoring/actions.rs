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
    answer(&page, engine, form.0, done, result).await
}

/// "Finalizar", "Tirar do bot" and "Encerrar pesquisa", on a conversation's row.
#[post("/admin/monitoring/conversations/<id>/<step>", data = "<form>")]
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
        "finish" => ("finish", engine.finish_as_supervisor(&by, id).await),
        "out-of-bot" => ("out-of-bot", engine.out_of_bot(&by, id).await),
        "end-survey" => ("end-survey", engine.end_survey(&by, id).await),
        _ => return Err(EngineError::NotFound.into()),
    };
    answer(&page, engine, form.0, done, result).await
}

pub fn routes() -> Vec<Route> {
    routes![agent_step, conversation_step]
}
