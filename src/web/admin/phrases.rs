//! "Frases padrão" pages of the company and its teams: list, one form for new and edit,
//! delete. Personal phrases are the agents' own and are managed on their page
//! (`web::agent::phrases`); the use cases of both are in `catalog::phrases`.

use rocket_dyn_templates::{context, Template};

use super::section::{admin_section, found, Form};
use crate::catalog::phrases::{self, PhraseDraft};
use crate::db::{phrases as stored, teams, Db};
use crate::web::errors::WebResult;
use crate::web::guards::perm::Phrases;
use crate::web::page::Page;

/// The form with the teams to choose from and the placeholders a phrase may hold.
async fn form_page(page: &Page, db: &Db, form: Form<'_, PhraseDraft>) -> WebResult<Template> {
    let teams = db.read(teams::all_teams).await?;
    Ok(form.render(page, "admin/phrases/form.html", context! { teams, placeholders: phrases::placeholders() }))
}

admin_section! {
    area: Phrases, at: "/admin/phrases", catalog: phrases, draft: PhraseDraft, form: form_page,
    list: ("admin/phrases/list.html", stored::list_phrases),
    blank: |_, _| PhraseDraft::default(),
    stored: |db, id| PhraseDraft::of(&found(db, stored::phrase_by_id, id).await?),
}
