//! "Usuários": the administrator's list of accounts, the new-account form and the
//! user page (details, an agent's work settings — teams, capacity, schedule group,
//! history and internal-chat permissions, 2FA requirement — an administrator's
//! permission groups, unlock, activate/deactivate, reset 2FA, end sessions, new link).

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, routes, Either, Route, State};
use rocket_dyn_templates::{context, Template};

use crate::accounts::manage::{self, AccountFields};
use crate::accounts::user_draft::{self, UserDraft};
use crate::accounts::{links, mail, totp, AccountError};
use crate::config::Config;
use crate::db::{audit, groups, sessions, teams, users, Db};
use crate::web::auth::field_errors;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Agents, Create, Edit, View};
use crate::web::guards::Can;
use crate::web::page::Page;

const PAGE_SIZE: i64 = 25;

/// A page with its status, or on to somewhere else.
type Answer = WebResult<Either<(Status, Template), Redirect>>;
/// Who may change an account.
type Editor = Can<Agents, Edit>;

#[get("/admin/users?<q>&<page_no>")]
async fn list(
    page: Page,
    _admin: Can<Agents, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    let search = q.unwrap_or_default().chars().take(100).collect::<String>();
    let current = page_no.unwrap_or(1).max(1);
    let (s, offset) = (search.clone(), (current - 1) * PAGE_SIZE);
    let (found, total) = db.read(move |c| users::list_users(c, &s, PAGE_SIZE, offset)).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let ids: Vec<i64> = found.iter().map(|u| u.id).collect();
    let mut teams = db.read(move |c| users::team_names_of_users(c, &ids)).await?;
    let now = crate::db::now_ms();
    let rows: Vec<_> = found
        .iter()
        .map(|u| {
            let team_names = teams.remove(&u.id).unwrap_or_default();
            serde_json::json!({"user": u, "locked": u.is_locked(now), "teams": team_names})
        })
        .collect();
    Ok(page.render("admin/users.html", context! { rows, q: search, page_no: current, pages, total }))
}

#[get("/admin/users/new")]
fn new_form(page: Page, _can: Can<Agents, Create>) -> Template {
    page.render(
        "admin/user_new.html",
        context! { fields: AccountFields { role: "agent".into(), ..Default::default() } },
    )
}

#[derive(FromForm)]
struct NewUserForm {
    name: String,
    username: String,
    email: String,
    role: String,
}

#[post("/admin/users", data = "<form>")]
async fn create(
    page: Page,
    admin: Can<Agents, Create>,
    form: CsrfForm<NewUserForm>,
    db: &State<Db>,
    config: &State<Config>,
) -> WebResult<(Status, Template)> {
    let form = form.0;
    let fields = AccountFields {
        name: form.name.trim().into(),
        username: form.username.trim().to_lowercase(),
        email: form.email.trim().into(),
        role: form.role.trim().into(),
    };
    match manage::create_user(db, fields.clone(), &admin.actor()).await {
        Ok(id) => {
            let user = manage::user_by_id(db, id).await?;
            let token = links::issue_set_password(db, id).await?;
            let url = mail::set_password_url(&config.public_url(), &token);
            let sent = mail::send_set_password_link(db, &user, &url, page.lang).await?;
            // Without SMTP (or when sending failed) the administrator hands the link over.
            let link = (!sent).then_some(url);
            Ok((Status::Created, page.render("admin/user_link.html", context! { user, link, sent, created: true })))
        }
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(refusal) => Ok((
            Status::UnprocessableEntity,
            page.render("admin/user_new.html", context! { fields, errors: field_errors(&refusal) }),
        )),
    }
}

/// The user page. `typed` holds what the administrator typed when a save was refused;
/// otherwise the stored values are shown.
async fn user_page(
    page: &Page,
    db: &Db,
    id: i64,
    typed: Option<UserDraft>,
    extra: serde_json::Value,
) -> WebResult<Template> {
    let user = manage::user_by_id(db, id).await?;
    let target = format!("user:{id}");
    let (session_count, history, all_teams, team_ids, schedules, all_groups, group_ids) = db
        .read(move |c| {
            Ok((
                sessions::count_user_sessions(c, id)?,
                audit::recent(c, Some(&target), 20)?,
                teams::all_teams(c)?,
                teams::team_ids_of_user(c, id)?,
                users::schedule_group_choices(c)?,
                groups::list_groups(c)?,
                groups::user_group_ids(c, id)?,
            ))
        })
        .await?;
    let typed = typed.unwrap_or_else(|| UserDraft::of(&user, &team_ids, &group_ids));
    let team_choices: Vec<_> = all_teams
        .iter()
        .map(|t| serde_json::json!({"id": t.id, "name": t.name, "active": t.active, "checked": UserDraft::has(&typed.teams, t.id)}))
        .collect();
    let chosen_schedule = typed.schedule_group_id.trim().to_string();
    let schedule_choices: Vec<_> = schedules
        .iter()
        .map(|s| serde_json::json!({"id": s.id, "name": s.name, "active": s.active, "selected": chosen_schedule == s.id.to_string()}))
        .collect();
    let group_choices: Vec<_> = all_groups
        .iter()
        .map(|g| serde_json::json!({"id": g.id, "name": g.name, "builtin": g.builtin, "checked": UserDraft::has(&typed.groups, g.id)}))
        .collect();
    let locked = user.is_locked(crate::db::now_ms());
    let mut ctx = serde_json::json!({
        "user": user, "locked": locked, "session_count": session_count, "history": history, "typed": typed,
        "team_choices": team_choices, "schedule_choices": schedule_choices, "group_choices": group_choices,
        "outside_hours_choices": manage::OUTSIDE_HOURS, "history_choices": manage::HISTORY_SCOPES,
        "max_capacity": manage::MAX_CAPACITY,
    });
    if let (Some(base), serde_json::Value::Object(more)) = (ctx.as_object_mut(), extra) {
        base.extend(more);
    }
    Ok(page.render("admin/user.html", ctx))
}

#[get("/admin/users/<id>?<done>")]
async fn show(
    page: Page,
    _admin: Can<Agents, View>,
    db: &State<Db>,
    id: i64,
    done: Option<&str>,
) -> WebResult<Template> {
    // Only the notices this page's own redirects name: a link cannot pick a message key.
    let done = done.filter(|d| USER_NOTICES.contains(d));
    user_page(&page, db, id, None, serde_json::json!({ "done": done })).await
}

/// The `done` notices of the user page (`users-done-…` in the catalogues).
const USER_NOTICES: [&str; 6] = ["saved", "unlocked", "activated", "deactivated", "2fa-reset", "logged-out"];

#[post("/admin/users/<id>", data = "<form>")]
async fn update(page: Page, admin: Editor, id: i64, form: CsrfForm<UserDraft>, db: &State<Db>) -> Answer {
    match manage::update_user(db, id, &form.0, &admin.actor()).await {
        Ok(()) => Ok(Either::Right(Redirect::to(format!("/admin/users/{id}?done=saved")))),
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(AccountError::NotFound) => Err(AccountError::NotFound.into()),
        Err(refusal) => {
            // Keep what was typed: the page shows it instead of the stored values.
            let typed = user_draft::shown_again(db, id, form.0).await?;
            let extra = serde_json::json!({ "errors": field_errors(&refusal) });
            Ok(Either::Left((Status::UnprocessableEntity, user_page(&page, db, id, Some(typed), extra).await?)))
        }
    }
}

#[derive(FromForm)]
struct UnlockForm {
    end_sessions: Option<bool>,
}

#[post("/admin/users/<id>/unlock", data = "<form>")]
async fn unlock(admin: Editor, id: i64, form: CsrfForm<UnlockForm>, db: &State<Db>) -> WebResult<Redirect> {
    manage::user_by_id(db, id).await?;
    manage::unlock(db, id, form.0.end_sessions.unwrap_or(false), &admin.actor()).await?;
    Ok(Redirect::to(format!("/admin/users/{id}?done=unlocked")))
}

async fn set_active(page: Page, admin: Editor, id: i64, active: bool, db: &Db) -> Answer {
    match manage::set_active(db, id, active, &admin.actor()).await {
        Ok(()) => Ok(Either::Right(Redirect::to(format!(
            "/admin/users/{id}?done={}",
            if active { "activated" } else { "deactivated" }
        )))),
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(AccountError::NotFound) => Err(AccountError::NotFound.into()),
        Err(refusal) => Ok(Either::Left((
            Status::Conflict,
            user_page(&page, db, id, None, serde_json::json!({ "errors": field_errors(&refusal) })).await?,
        ))),
    }
}

#[post("/admin/users/<id>/deactivate", data = "<_form>")]
async fn deactivate(page: Page, admin: Editor, id: i64, _form: CsrfForm<NoFields>, db: &State<Db>) -> Answer {
    set_active(page, admin, id, false, db).await
}

#[post("/admin/users/<id>/activate", data = "<_form>")]
async fn activate(page: Page, admin: Editor, id: i64, _form: CsrfForm<NoFields>, db: &State<Db>) -> Answer {
    set_active(page, admin, id, true, db).await
}

#[post("/admin/users/<id>/reset-2fa", data = "<_form>")]
async fn reset_2fa(admin: Editor, id: i64, _form: CsrfForm<NoFields>, db: &State<Db>) -> WebResult<Redirect> {
    manage::user_by_id(db, id).await?;
    // The administrator's own other sessions end too when they reset their own 2FA.
    let keep = (admin.who.user.id == id).then_some(admin.who.session_id.as_str());
    totp::reset(db, id, keep, &admin.actor()).await?;
    Ok(Redirect::to(format!("/admin/users/{id}?done=2fa-reset")))
}

#[post("/admin/users/<id>/logout", data = "<_form>")]
async fn force_logout(admin: Editor, id: i64, _form: CsrfForm<NoFields>, db: &State<Db>) -> WebResult<Redirect> {
    manage::user_by_id(db, id).await?;
    manage::force_logout(db, id, &admin.actor()).await?;
    Ok(Redirect::to(format!("/admin/users/{id}?done=logged-out")))
}

#[post("/admin/users/<id>/send-link", data = "<_form>")]
async fn send_link(
    page: Page,
    admin: Editor,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
    config: &State<Config>,
) -> WebResult<Template> {
    let user = manage::user_by_id(db, id).await?;
    let token = links::issue_set_password(db, id).await?;
    let url = mail::set_password_url(&config.public_url(), &token);
    let sent = mail::send_set_password_link(db, &user, &url, page.lang).await?;
    links::record_link_sent(db, &admin.actor(), id, sent).await?;
    let link = (!sent).then_some(url);
    Ok(page.render("admin/user_link.html", context! { user, link, sent, created: false }))
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, show, update, unlock, deactivate, activate, reset_2fa, force_logout, send_link]
}
