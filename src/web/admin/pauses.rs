//! "Pausas" pages: list with search and pagination, one form for new and edit
//! (validated on the server, swapped in place by htmx on error), delete. The use cases
//! are in `catalog::pauses`.

use rocket_dyn_templates::Template;

use super::section::{admin_section, found, Form};
use crate::catalog::pauses::{self, PauseDraft};
use crate::db::{pauses as stored, Db};
use crate::web::errors::WebResult;
use crate::web::guards::perm::Pauses;
use crate::web::page::Page;

async fn form_page(page: &Page, _: &Db, form: Form<'_, PauseDraft>) -> WebResult<Template> {
    Ok(form.render(page, "admin/pauses/form.html", ()))
}

admin_section! {
    area: Pauses, at: "/admin/pauses", catalog: pauses, draft: PauseDraft, form: form_page,
    list: ("admin/pauses/list.html", pauses::listed),
    blank: |_, _| PauseDraft::blank(),
    stored: |db, id| PauseDraft::of(&found(db, stored::pause_by_id, id).await?),
}
