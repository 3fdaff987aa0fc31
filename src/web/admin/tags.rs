//! "Tags" pages: list, one form for new and edit, delete. The use cases are in
//! `catalog::tags`.

use rocket_dyn_templates::{context, Template};

use super::section::{admin_section, found, Form};
use crate::catalog::tags::{self, TagDraft};
use crate::db::{tags as stored, teams, Db};
use crate::web::errors::WebResult;
use crate::web::guards::perm::Tags;
use crate::web::page::Page;

async fn form_page(page: &Page, db: &Db, form: Form<'_, TagDraft>) -> WebResult<Template> {
    let teams = db.read(teams::all_teams).await?;
    Ok(form.render(page, "admin/tags/form.html", context! { teams }))
}

admin_section! {
    area: Tags, at: "/admin/tags", catalog: tags, draft: TagDraft, form: form_page,
    list: ("admin/tags/list.html", stored::list_tags),
    blank: |_, _| TagDraft::blank(),
    stored: |db, id| TagDraft::of(&found(db, stored::tag_by_id, id).await?),
}
