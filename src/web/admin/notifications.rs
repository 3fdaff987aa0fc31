//! "Avisos": notices for administrators, listed on the overview until someone marks
//! them read. Every notice so far is about a team's queue (it reached its limit), so
//! they belong to the teams area: seeing them takes `teams:view`, marking one read
//! `teams:edit` (whoever may change the limit or the overflow team).

use rocket::{post, routes, Route, State};

use super::form::{done, Done};
use crate::db::Db;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Edit, Teams};
use crate::web::guards::{Can, Htmx};

/// Marks a notice read for every administrator; one already read stays as it was.
#[post("/admin/teams/notices/<id>/read", data = "<_form>")]
async fn mark_read(
    can: Can<Teams, Edit>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    let user = can.actor().user_id;
    crate::engine::queue::mark_notice_read(db, id, user).await?;
    Ok(done(&htmx, "/admin".into()))
}

pub fn routes() -> Vec<Route> {
    routes![mark_read]
}
