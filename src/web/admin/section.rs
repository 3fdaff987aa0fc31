//! One way to declare an admin section of rows kept with one form: a list with search
//! and pages, the form for a new row and for an edit, create, update and delete.
//!
//! A section states only what differs (where it lives, its permission area, its
//! catalogue module, its draft, how a blank and a stored draft are made, its form page)
//! in one `admin_section!`, which writes the six routes around its catalogue module's
//! `save` and `delete`. The routes are relative and mounted at the section's address:
//!
//! | route                  | permission | answer                                         |
//! |------------------------|------------|------------------------------------------------|
//! | `GET  /?<q>&<page_no>` | view       | `list_page` with the list template and search  |
//! | `GET  /new`            | create     | the form with the `blank` draft                |
//! | `GET  /<id>`           | view       | the form with the `stored` draft (404 if gone) |
//! | `POST /`               | create     | `save(None, …)`, then `created` or the form    |
//! | `POST /<id>`           | edit       | `save(Some(id), …)`, then the list or the form |
//! | `POST /<id>/delete`    | delete     | `delete`, then the list or 409 and the form    |

use rocket::Route;
use rocket_dyn_templates::Template;
use serde::Serialize;

use super::form::{answer_delete, answer_to, Saved};
use crate::catalog::{CatalogResult, Deleted, Load};
use crate::db::Db;
use crate::web::errors::WebResult;
use crate::web::guards::Htmx;
use crate::web::page::Page;

/// The form page to show: its row, what its fields hold and why it is shown again.
#[derive(Serialize)]
pub(crate) struct Form<'a, D> {
    /// The row edited; `None` for a new one.
    pub id: Option<i64>,
    /// What the fields hold: the blank draft, the row as stored, or what was typed.
    pub typed: &'a D,
    /// After a refused save: field → message key; `{}` otherwise.
    pub errors: serde_json::Value,
    /// After a refused delete: the message key of why the row stays.
    pub refusal: Option<&'static str>,
}

/// What a form template gets: the form's four keys and what else its page shows.
#[derive(Serialize)]
struct Shown<'a, D, M> {
    #[serde(flatten)]
    form: Form<'a, D>,
    #[serde(flatten)]
    more: M,
}

impl<'a, D: Serialize> Form<'a, D> {
    fn new(id: Option<i64>, typed: &'a D) -> Self {
        Form { id, typed, errors: serde_json::json!({}), refusal: None }
    }

    /// An edit just opened: the row as stored, nothing refused.
    pub fn opened(&self) -> bool {
        self.id.is_some() && self.refusal.is_none() && self.errors.as_object().is_none_or(|e| e.is_empty())
    }

    /// Renders `template` with `id`, `typed`, `errors`, `refusal` and the keys of `more`.
    pub fn render(self, page: &Page, template: &'static str, more: impl Serialize) -> Template {
        page.render(template, Shown { form: self, more })
    }
}

/// What differs between sections, as `admin_section!` fills it in.
pub(crate) trait Section: 'static {
    /// The form's values, as typed.
    type Draft: Serialize + Send + Sync + 'static;
    /// The list's address; the section's routes are mounted there and saves go back to it.
    const LIST: &'static str;

    /// The draft of a new row.
    async fn blank(page: &Page, db: &Db) -> WebResult<Self::Draft>;

    /// The draft of stored row `id`; `NotFound` when it is gone.
    async fn stored(db: &Db, id: i64) -> WebResult<Self::Draft>;

    /// The form page (usually `form.render` with what else it shows).
    async fn form_page(page: &Page, db: &Db, form: Form<'_, Self::Draft>) -> WebResult<Template>;

    /// Where a new row goes once saved.
    fn created(id: i64) -> String;
}

/// Row `id` loaded by `load`; `NotFound` when it is gone.
pub(crate) async fn found<T: Send + 'static>(db: &Db, load: Load<T>, id: i64) -> WebResult<T> {
    Ok(db.read(move |c| load(c, id)).await?.ok_or(crate::catalog::CatalogError::NotFound)?)
}

pub(crate) async fn new_form<S: Section>(page: &Page, db: &Db) -> WebResult<Template> {
    let typed = S::blank(page, db).await?;
    S::form_page(page, db, Form::new(None, &typed)).await
}

pub(crate) async fn edit_form<S: Section>(page: &Page, db: &Db, id: i64) -> WebResult<Template> {
    let typed = S::stored(db, id).await?;
    S::form_page(page, db, Form::new(Some(id), &typed)).await
}

/// The answer to a save of row `id` (`None`: a new one): on to `created` or the list,
/// or 422 and the form again with what was typed and its errors.
pub(crate) async fn saved<S: Section>(
    page: &Page,
    db: &Db,
    htmx: &Htmx,
    id: Option<i64>,
    typed: &S::Draft,
    result: CatalogResult<i64>,
) -> Saved {
    let to = |new: i64| if id.is_none() { S::created(new) } else { S::LIST.to_string() };
    answer_to(result, htmx, to, |errors| S::form_page(page, db, Form { errors, ..Form::new(id, typed) })).await
}

/// The answer to a delete: on to the list, or 409 and the row's form with the reason.
pub(crate) async fn deleted<S: Section>(
    page: &Page,
    db: &Db,
    htmx: &Htmx,
    id: i64,
    result: CatalogResult<Deleted>,
) -> Saved {
    answer_delete(result, htmx, S::LIST, |reason| async move {
        let typed = S::stored(db, id).await?;
        S::form_page(page, db, Form { refusal: Some(reason), ..Form::new(Some(id), &typed) }).await
    })
    .await
}

/// `routes` mounted at `base`.
pub(crate) fn at(base: &'static str, routes: Vec<Route>) -> Vec<Route> {
    routes.into_iter().map(|r| r.map_base(|_| base.to_string()).expect("a section's base is a valid path")).collect()
}

/// Declares a section: a `Section` impl and the six routes (see the module's table),
/// with `routes()` mounting them at `at`:
///
/// ```ignore
/// admin_section! {
///     area: Tags, at: "/admin/tags", catalog: tags, draft: TagDraft, form: form_page,
///     list: ("admin/tags/list.html", stored::list_tags),
///     blank: |_page, _db| TagDraft::blank(),
///     stored: |db, id| TagDraft::of(&found(db, stored::tag_by_id, id).await?),
/// }
/// ```
///
/// `area` is the permission area (`guards::perm`); `catalog` the module whose
/// `save(db, actor, id, draft)` and `delete(db, actor, id)` the posts call; `form` an
/// `async fn(&Page, &Db, Form<'_, Draft>) -> WebResult<Template>`; `list` the list
/// template and a `list::Search`, or `own` for a section that writes its own `list`
/// route. `blank` and `stored` are bodies with the names they use (`page`, `db`, `id`)
/// bound; they may `.await` and `?`. Optional, in this order: `created: |id| …`, where
/// a new row goes (the list by default), and `also: [name, …]`, the section's other
/// routes, written relative to `at` like the six.
macro_rules! admin_section {
    (
        area: $area:ty, at: $at:literal, catalog: $catalog:ident, draft: $draft:ty, form: $form:path,
        list: $list:tt,
        blank: |$page:tt, $blank_db:tt| $blank:expr,
        stored: |$db:tt, $id:tt| $stored:expr
        $(, created: |$new:tt| $created:expr)?
        $(, also: [$($also:ident),* $(,)?])? $(,)?
    ) => {
        struct Section;

        impl $crate::web::admin::section::Section for Section {
            type Draft = $draft;
            const LIST: &'static str = $at;

            async fn blank($page: &$crate::web::page::Page, $blank_db: &$crate::db::Db) -> $crate::web::errors::WebResult<$draft> {
                Ok($blank)
            }

            async fn stored($db: &$crate::db::Db, $id: i64) -> $crate::web::errors::WebResult<$draft> {
                Ok($stored)
            }

            async fn form_page(
                page: &$crate::web::page::Page,
                db: &$crate::db::Db,
                form: $crate::web::admin::section::Form<'_, $draft>,
            ) -> $crate::web::errors::WebResult<rocket_dyn_templates::Template> {
                $form(page, db, form).await
            }

            $crate::web::admin::section::admin_section!(@created $at $(, |$new| $created)?);
        }

        $crate::web::admin::section::admin_section!(@list $list, $area);

        $crate::web::admin::section::admin_section!(@forms $area, $catalog, $draft);

        pub fn routes() -> Vec<rocket::Route> {
            $crate::web::admin::section::at(
                $at,
                rocket::routes![list, new_form, create, edit_form, update, delete $($(, $also)*)?],
            )
        }
    };
    (@created $at:literal) => {
        fn created(_: i64) -> String {
            $at.to_string()
        }
    };
    (@created $at:literal, |$new:tt| $created:expr) => {
        fn created($new: i64) -> String {
            $created
        }
    };
    (@list own, $area:ty) => {};
    (@list ($template:literal, $search:path), $area:ty) => {
        #[rocket::get("/?<q>&<page_no>")]
        async fn list(
            page: $crate::web::page::Page,
            _can: $crate::web::guards::Can<$area, $crate::web::guards::perm::View>,
            db: &rocket::State<$crate::db::Db>,
            q: Option<String>,
            page_no: Option<i64>,
        ) -> $crate::web::errors::WebResult<rocket_dyn_templates::Template> {
            $crate::web::admin::list::list_page(&page, db, $template, q, page_no, $search, ()).await
        }
    };
    (@forms $area:ty, $catalog:ident, $draft:ty) => {
        #[rocket::get("/new")]
        async fn new_form(
            page: $crate::web::page::Page,
            _can: $crate::web::guards::Can<$area, $crate::web::guards::perm::Create>,
            db: &rocket::State<$crate::db::Db>,
        ) -> $crate::web::errors::WebResult<rocket_dyn_templates::Template> {
            $crate::web::admin::section::new_form::<Section>(&page, db).await
        }

        #[rocket::get("/<id>")]
        async fn edit_form(
            page: $crate::web::page::Page,
            _can: $crate::web::guards::Can<$area, $crate::web::guards::perm::View>,
            id: i64,
            db: &rocket::State<$crate::db::Db>,
        ) -> $crate::web::errors::WebResult<rocket_dyn_templates::Template> {
            $crate::web::admin::section::edit_form::<Section>(&page, db, id).await
        }

        #[rocket::post("/", data = "<form>")]
        async fn create(
            page: $crate::web::page::Page,
            can: $crate::web::guards::Can<$area, $crate::web::guards::perm::Create>,
            htmx: $crate::web::guards::Htmx,
            form: $crate::web::csrf::CsrfForm<$draft>,
            db: &rocket::State<$crate::db::Db>,
        ) -> $crate::web::admin::form::Saved {
            let saved = $catalog::save(db, &can.actor(), None, &form.0).await;
            $crate::web::admin::section::saved::<Section>(&page, db, &htmx, None, &form.0, saved).await
        }

        #[rocket::post("/<id>", data = "<form>")]
        async fn update(
            page: $crate::web::page::Page,
            can: $crate::web::guards::Can<$area, $crate::web::guards::perm::Edit>,
            htmx: $crate::web::guards::Htmx,
            id: i64,
            form: $crate::web::csrf::CsrfForm<$draft>,
            db: &rocket::State<$crate::db::Db>,
        ) -> $crate::web::admin::form::Saved {
            let saved = $catalog::save(db, &can.actor(), Some(id), &form.0).await;
            $crate::web::admin::section::saved::<Section>(&page, db, &htmx, Some(id), &form.0, saved).await
        }

        #[rocket::post("/<id>/delete", data = "<_form>")]
        async fn delete(
            page: $crate::web::page::Page,
            can: $crate::web::guards::Can<$area, $crate::web::guards::perm::Delete>,
            htmx: $crate::web::guards::Htmx,
            id: i64,
            _form: $crate::web::csrf::CsrfForm<$crate::web::csrf::NoFields>,
            db: &rocket::State<$crate::db::Db>,
        ) -> $crate::web::admin::form::Saved {
            let deleted = $catalog::delete(db, &can.actor(), id).await;
            $crate::web::admin::section::deleted::<Section>(&page, db, &htmx, id, deleted).await
        }
    };
}

pub(crate) use admin_section;
