//! "Equipes" pages: list, one form for new and edit with the member checkboxes and
//! (for a saved team) what belongs to it, delete. The use cases are in
//! `catalog::teams`.

use rocket_dyn_templates::{context, Template};

use super::section::{admin_section, Form};
use crate::catalog::teams::{self, TeamDraft};
use crate::db::teams as stored;
use crate::db::Db;
use crate::web::errors::WebResult;
use crate::web::guards::perm::Teams;
use crate::web::page::Page;

/// The form, the member checkboxes, and (for a saved team) what belongs to it.
async fn form_page(page: &Page, db: &Db, form: Form<'_, TeamDraft>) -> WebResult<Template> {
    let id = form.id;
    let (candidates, usage, overflow_teams) = db
        .read(move |c| {
            let usage = match id {
                Some(id) => Some(stored::usage(c, id)?),
                None => None,
            };
            Ok((stored::member_candidates(c, id)?, usage, stored::overflow_candidates(c, id)?))
        })
        .await?;
    let candidates: Vec<_> = candidates
        .into_iter()
        .map(|c| {
            let checked = form.typed.members.contains(&c.id);
            serde_json::json!({ "user": c, "checked": checked })
        })
        .collect();
    Ok(form.render(page, "admin/teams/form.html", context! { candidates, usage, overflow_teams }))
}

admin_section! {
    area: Teams, at: "/admin/teams", catalog: teams, draft: TeamDraft, form: form_page,
    list: ("admin/teams/list.html", stored::list_teams),
    blank: |_, _| TeamDraft::blank(),
    stored: |db, id| teams::draft_of(db, id).await?,
}
