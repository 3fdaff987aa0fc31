//! "Grupos de horários": the form (weekly grid, exceptions, time zone), validation,
//! delete refused while in use, and the work hours of agents at sign-in (F-AU-5).

use atende::db::now_ms;
use atende::domain::schedule::{format_day, local_day};
use rocket::http::Status;

use crate::common::{App, PASSWORD};
use crate::pages::Check;

/// What the schedule form posts, the way a browser sends it: every grid cell (7 days ×
/// 3 intervals, empty ones too) and every exception row.
struct Form<'a> {
    name: &'a str,
    time_zone: &'a str,
    /// (weekday 0 = Monday, interval 0..3, start, end)
    week: Vec<(usize, usize, &'a str, &'a str)>,
    /// (date, label, start, end)
    exceptions: Vec<(String, &'a str, &'a str, &'a str)>,
    active: bool,
}

impl<'a> Form<'a> {
    fn new(name: &'a str) -> Form<'a> {
        Form { name, time_zone: "America/Sao_Paulo", week: vec![], exceptions: vec![], active: true }
    }

    /// Monday–Friday 08:00–18:00 and Saturday 08:00–12:00.
    fn office(name: &'a str) -> Form<'a> {
        let mut form = Form::new(name);
        form.week = (0..5).map(|d| (d, 0, "08:00", "18:00")).collect();
        form.week.push((5, 0, "08:00", "12:00"));
        form
    }

    fn fields(&self) -> Vec<(String, String)> {
        let mut out = vec![("name".to_string(), self.name.to_string()), ("time_zone".into(), self.time_zone.into())];
        for day in 0..7 {
            for slot in 0..3 {
                let cell = self.week.iter().find(|(d, s, _, _)| *d == day && *s == slot);
                let (start, end) = cell.map(|c| (c.2, c.3)).unwrap_or(("", ""));
                out.push(("w_start".into(), start.into()));
                out.push(("w_end".into(), end.into()));
            }
        }
        // The rows typed, then the empty rows the page offers.
        let blank = (String::new(), "", "", "");
        for (day, label, start, end) in self.exceptions.iter().chain([&blank, &blank, &blank]) {
            out.push(("x_day".into(), day.clone()));
            out.push(("x_label".into(), label.to_string()));
            out.push(("x_start".into(), start.to_string()));
            out.push(("x_end".into(), end.to_string()));
        }
        if self.active {
            out.push(("active".into(), "true".into()));
        }
        out
    }
}

async fn post_form(app: &App, path: &str, form: &Form<'_>) -> crate::common::Page {
    let fields = form.fields();
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post(path, &refs).await
}

fn count(app: &App, table: &str) -> i64 {
    app.sql(&format!("SELECT count(*) FROM {table}"))
}

#[rocket::async_test]
async fn schedule_groups_are_validated_saved_and_edited() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let new = app.get("/admin/schedules/new").await;
    assert_eq!(new.status, Status::Ok);
    assert!(new.body.contains(r#"<option value="America/Sao_Paulo" selected>"#));
    assert_eq!(new.body.matches(r#"name="w_start""#).count(), 21);

    // Overlapping and reversed intervals, a bad time, a bad zone, a bad date.
    let mut bad = Form::office("Comercial");
    bad.week.push((0, 1, "17:00", "19:00"));
    bad.week.retain(|c| c.0 != 1);
    bad.week.push((1, 0, "18:00", "08:00"));
    bad.week.push((2, 1, "25:00", "26:00"));
    bad.week.push((3, 1, "19:00", ""));
    bad.time_zone = "America/Atlantida";
    bad.exceptions.push(("2026-02-30".into(), "Carnaval", "", ""));
    bad.exceptions.push(("2026-05-01".into(), "Trabalho", "", ""));
    bad.exceptions.push(("2026-05-01".into(), "Trabalho de novo", "", ""));
    bad.exceptions.push(("2026-06-04".into(), "Corpus Christi", "14:00", "12:00"));
    let refused = post_form(&app, "/admin/schedules", &bad).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    let body = &refused.body;
    assert!(body.contains("Este intervalo se sobrepõe a outro do mesmo dia."), "{body}");
    assert_eq!(body.matches("O fim precisa ser depois do início.").count(), 2, "reversed interval and exception");
    assert!(body.contains("Informe um horário no formato HH:MM"));
    assert!(body.contains("Preencha este campo."), "half an interval");
    assert!(body.contains("Escolha um fuso horário da lista."));
    assert!(body.contains("Informe uma data no formato AAAA-MM-DD"));
    assert!(body.contains("Já existe uma exceção nesta data com o mesmo horário de início."));
    // Messages sit next to the cells, and what was typed stays.
    assert!(body.contains(r#"id="w1-error""#) && body.contains(r#"id="w3-error""#), "Monday's second interval");
    assert!(body.contains(r#"id="w1-start" name="w_start" type="time" value="17:00""#));
    assert!(body.contains(r#"value="Corpus Christi""#) && body.contains(r#"value="2026-02-30""#));
    for table in
        ["schedule_groups", "schedule_intervals", "schedule_exceptions", "audit_log WHERE action LIKE 'schedule.%'"]
    {
        assert_eq!(count(&app, table), 0, "nothing saved in {table}");
    }

    // The real thing: Monday–Friday 08:00–18:00, Saturday 08:00–12:00, a holiday.
    let mut office = Form::office("Comercial");
    office.exceptions.push(("2026-04-21".into(), "Tiradentes", "", ""));
    let saved = post_form(&app, "/admin/schedules", &office).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert_eq!(saved.location.as_deref(), Some("/admin/schedules"));
    let id: i64 = app.sql("SELECT id FROM schedule_groups WHERE name = 'Comercial'");
    assert_eq!(
        app.sql::<String>(&format!("SELECT time_zone FROM schedule_groups WHERE id = {id}")),
        "America/Sao_Paulo"
    );
    assert_eq!(count(&app, "schedule_intervals"), 6);
    assert_eq!(
        app.sql::<i64>(
            "SELECT count(*) FROM schedule_intervals WHERE start_min = 480 AND end_min = 1080 AND weekday < 5"
        ),
        5
    );
    assert_eq!(app.sql::<i64>("SELECT end_min FROM schedule_intervals WHERE weekday = 5"), 720);
    assert_eq!(
        app.sql::<String>("SELECT day || ' ' || label || ' ' || ifnull(start_min, 'closed') FROM schedule_exceptions"),
        "2026-04-21 Tiradentes closed"
    );
    let audit: String = app.sql("SELECT details FROM audit_log WHERE action = 'schedule.create'");
    assert!(audit.contains("Tiradentes") && audit.contains(r#""start_min":480"#), "{audit}");

    let list = app.get("/admin/schedules").await;
    assert_eq!(list.status, Status::Ok);
    assert!(list.body.contains("seg–sex 08:00–18:00, sáb 08:00–12:00"), "{}", list.body);
    assert!(list.body.contains("America/Sao_Paulo"));
    let found = app.get("/admin/schedules?q=comer").await;
    assert!(found.body.contains("Comercial"));
    let none = app.get("/admin/schedules?q=noturno").await;
    assert!(!none.body.contains("Comercial") && none.body.contains("Nenhum resultado para «noturno»."));

    let edit = app.get(&format!("/admin/schedules/{id}")).await;
    assert_eq!(edit.status, Status::Ok);
    assert!(edit.body.contains("Agora: aberto") || edit.body.contains("Agora: fechado"));
    assert!(edit.body.contains(r#"value="Tiradentes""#) && edit.body.contains(r#"value="2026-04-21""#));
    assert!(edit.body.contains(r#"id="w15-start" name="w_start" type="time" value="08:00""#), "Saturday");

    // Edit: a night shift across midnight, reduced hours on Christmas Eve; the name is
    // unique regardless of case and accents.
    let mut night = Form::new("Plantão");
    night.time_zone = "UTC";
    night.week = vec![(0, 0, "22:00", "00:00"), (1, 0, "00:00", "06:00")];
    night.exceptions.push(("2026-12-24".into(), "Véspera de Natal", "08:00", "12:00"));
    night.exceptions.push(("2026-12-24".into(), "Véspera de Natal", "14:00", "16:00"));
    let dup = post_form(&app, "/admin/schedules", &Form::office("COMERCIAL")).await;
    assert!(dup.body.contains("Já existe um cadastro com este nome."));
    let updated = post_form(&app, &format!("/admin/schedules/{id}"), &night).await;
    assert_eq!(updated.status, Status::SeeOther, "{}", updated.body);
    assert_eq!(
        app.sql::<String>(&format!(
            "SELECT group_concat(weekday || ':' || start_min || '-' || end_min, ' ') FROM
             (SELECT * FROM schedule_intervals WHERE group_id = {id} ORDER BY weekday)"
        )),
        "0:1320-1440 1:0-360"
    );
    assert_eq!(count(&app, "schedule_exceptions"), 2, "the holiday was replaced");
    assert_eq!(app.sql::<String>(&format!("SELECT name FROM schedule_groups WHERE id = {id}")), "Plantão");
    let audit: String = app.sql("SELECT details FROM audit_log WHERE action = 'schedule.update'");
    assert!(audit.contains("Tiradentes") && audit.contains("Véspera de Natal"), "before and after: {audit}");
    let edit = app.get(&format!("/admin/schedules/{id}")).await;
    assert!(edit.body.contains(r#"id="w0-end" name="w_end" type="time" value="00:00""#), "24:00 shows as 00:00");

    // Overlapping exception hours on one date are refused too, and nothing changes.
    let mut overlapping = Form::new("Plantão");
    overlapping.exceptions.push(("2026-12-31".into(), "", "08:00", "12:00"));
    overlapping.exceptions.push(("2026-12-31".into(), "", "11:00", "13:00"));
    let refused = post_form(&app, &format!("/admin/schedules/{id}"), &overlapping).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Este intervalo se sobrepõe a outro do mesmo dia."));
    assert_eq!(count(&app, "schedule_exceptions"), 2);
    assert_eq!(count(&app, "schedule_intervals"), 2);

    assert_eq!(app.get("/admin/schedules/999999").await.status, Status::NotFound);
    assert_eq!(post_form(&app, "/admin/schedules/999999", &night).await.status, Status::NotFound);
}

#[rocket::async_test]
async fn a_group_in_use_cannot_be_deleted() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    assert_eq!(post_form(&app, "/admin/schedules", &Form::office("Comercial")).await.status, Status::SeeOther);
    let id: i64 = app.sql("SELECT id FROM schedule_groups");
    app.exec(&format!("UPDATE users SET schedule_group_id = {id} WHERE id = {ana}"));

    let refused = app.post(&format!("/admin/schedules/{id}/delete"), &[]).await;
    assert_eq!(refused.status, Status::Conflict);
    assert!(refused.body.contains("Não é possível excluir: estes usuários usam este grupo de horários."));
    assert!(refused.body.contains("ana Teste") && refused.body.contains(&format!("/admin/users/{ana}")));
    assert_eq!(count(&app, "schedule_groups"), 1);
    assert_eq!(count(&app, "schedule_intervals"), 6);

    app.exec(&format!("UPDATE users SET schedule_group_id = NULL WHERE id = {ana}"));
    let deleted = app.post(&format!("/admin/schedules/{id}/delete"), &[]).await;
    assert_eq!(deleted.status, Status::SeeOther);
    assert_eq!(count(&app, "schedule_groups"), 0);
    assert_eq!(count(&app, "schedule_intervals"), 0, "rules go with the group");
    assert_eq!(count(&app, "audit_log WHERE action = 'schedule.delete'"), 1);
    assert_eq!(app.get(&format!("/admin/schedules/{id}")).await.status, Status::NotFound);
    assert_eq!(app.post(&format!("/admin/schedules/{id}/delete"), &[]).await.status, Status::NotFound);
}

#[rocket::async_test]
async fn agents_outside_their_hours_are_refused_or_kept_offline() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let rita = app.add_user("agent", "rita", PASSWORD).await;
    let walter = app.add_user("agent", "walter", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;

    // Open all week, but today (and the days around it, in case the test runs at
    // midnight) are holidays: closed now.
    let mut closed = Form::new("Central");
    closed.time_zone = "UTC";
    closed.week = (0..7).map(|d| (d, 0, "00:00", "00:00")).collect();
    let today = local_day(chrono_tz::Tz::UTC, now_ms()).unwrap();
    for day in [today.pred_opt().unwrap(), today, today.succ_opt().unwrap()] {
        closed.exceptions.push((format_day(day), "Feriado", "", ""));
    }
    assert_eq!(post_form(&app, "/admin/schedules", &closed).await.status, Status::SeeOther);
    let group: i64 = app.sql("SELECT id FROM schedule_groups");
    assert!(app.get(&format!("/admin/schedules/{group}")).await.body.contains("Agora: fechado"));
    app.exec(&format!(
        "UPDATE users SET schedule_group_id = {group}, outside_hours = 'refuse' WHERE id = {rita};
         UPDATE users SET schedule_group_id = {group}, outside_hours = 'warn' WHERE id = {walter};"
    ));

    let agent = app.other_browser().await;
    let refused = agent.login("rita", PASSWORD).await;
    assert_eq!(refused.status, Status::Forbidden);
    assert!(refused.body.contains("Fora do seu horário de trabalho: não é possível entrar agora."), "{}", refused.body);
    assert_eq!(agent.get("/agent").await.status, Status::SeeOther, "no session");
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM sessions WHERE user_id = {rita}")), 0);
    let details: String =
        app.sql(&format!("SELECT details FROM audit_log WHERE action = 'login.failed' AND target = 'user:{rita}'"));
    assert!(details.contains(r#""reason":"outside-hours""#), "{details}");
    assert_eq!(
        app.sql::<i64>(&format!("SELECT failed_logins FROM users WHERE id = {rita}")),
        0,
        "not a wrong password"
    );

    let warned = app.other_browser().await;
    warned.sign_in("walter", PASSWORD).await;
    assert_eq!(warned.get("/agent").await.status, Status::Ok);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM users WHERE id = {walter}")), "offline");

    // An inactive group limits nobody.
    let mut inactive = Form::new("Central");
    inactive.time_zone = "UTC";
    inactive.week = closed.week.clone();
    inactive.exceptions = closed.exceptions.clone();
    inactive.active = false;
    assert_eq!(post_form(&app, &format!("/admin/schedules/{group}"), &inactive).await.status, Status::SeeOther);
    let other = app.other_browser().await;
    other.sign_in("rita", PASSWORD).await;
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM users WHERE id = {rita}")), "online");
    other.logout().await;

    // Inside the hours (no more holidays), both sign in and are online.
    let mut open = Form::new("Central");
    open.time_zone = "UTC";
    open.week = closed.week.clone();
    assert_eq!(post_form(&app, &format!("/admin/schedules/{group}"), &open).await.status, Status::SeeOther);
    assert!(app.get(&format!("/admin/schedules/{group}")).await.body.contains("Agora: aberto"));
    agent.sign_in("rita", PASSWORD).await;
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM users WHERE id = {rita}")), "online");
    let again = app.other_browser().await;
    again.sign_in("walter", PASSWORD).await;
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM users WHERE id = {walter}")), "online");

    // Administrators are never limited by a schedule group.
    app.exec(&format!(
        "UPDATE users SET schedule_group_id = {group}, outside_hours = 'refuse' WHERE username = 'chefe'"
    ));
    assert_eq!(post_form(&app, &format!("/admin/schedules/{group}"), &closed).await.status, Status::SeeOther);
    app.other_browser().await.sign_in("chefe", PASSWORD).await;
}

/// Renders this section's pages in `c.lang` (called by the every-template test).
pub async fn walk_pages(c: &mut Check<'_>) {
    c.get("admin/schedules/form.html", "/admin/schedules/new", Status::Ok, "schedules-week-hint").await;
    let mut form = Form::office("Comercial");
    form.exceptions.push(("2026-04-21".into(), "Tiradentes", "", ""));
    let saved = post_form(c.app, "/admin/schedules", &form).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    c.get("admin/schedules/list.html", "/admin/schedules", Status::Ok, "schedules-new").await;
    let id: i64 = c.app.sql("SELECT id FROM schedule_groups WHERE name = 'Comercial'");
    c.get("admin/schedules/form.html", &format!("/admin/schedules/{id}"), Status::Ok, "schedules-exceptions-hint")
        .await;
}
