//! Small things a user notices: dates as the reader's language writes them (in the
//! company's zone, by one rule even when the one saved is no zone), audit
//! actions by name, empty searches that say what was searched, a file as the last
//! message of a list row, the manuals' words, Brazil's time zones first.

use atende::db::schedules;
use atende::engine::ingest::{Inbound, IncomingFile, Ingested};
use atende::engine::service::Agent;
use atende::engine::Engine;
use rocket::http::Status;

use crate::common::{sac_with, visitor_message, App, PASSWORD};

fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().expect("engine managed")
}

/// 2026-11-21 17:05 UTC: 14:05 in São Paulo, the default time zone.
const AT: i64 = 1_795_280_700_000;

/// A contact created and an audit entry written at `at`: two dates the pages show.
fn a_contact_and_an_audit_entry_at(app: &App, at: i64) {
    app.exec(&format!(
        "INSERT INTO contacts (name, created_at, updated_at) VALUES ('Maria', {at}, {at});
         INSERT INTO audit_log (at, actor_id, action, target, details, ip) VALUES ({at}, NULL, 'settings.update', '', '{{}}', '');"
    ));
}

#[rocket::async_test]
async fn dates_are_written_as_the_readers_language_writes_them() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    a_contact_and_an_audit_entry_at(&app, AT);
    app.sign_in("chefe", PASSWORD).await;
    let list = app.get("/agent/contacts").await;
    assert!(list.body.contains("21/11/2026 14:05"), "{}", list.body);
    assert!(!list.body.contains("2026-11-21"), "no ISO dates");
    let audit = app.get("/admin/audit").await;
    assert!(audit.body.contains("21/11/2026 14:05") && !audit.body.contains("2026-11-21 14:05"));

    app.post("/language", &[("lang", "en")]).await;
    let list = app.get("/agent/contacts").await;
    assert!(list.body.contains(r#"<html lang="en">"#));
    assert!(list.body.contains("Nov 21, 2026, 2:05 PM"), "{}", list.body);
    assert!(app.get("/admin/audit").await.body.contains("Nov 21, 2026, 2:05 PM"));
    app.post("/language", &[("lang", "es")]).await;
    assert!(app.get("/agent/contacts").await.body.contains("21/11/2026 14:05"));
}

#[rocket::async_test]
async fn a_saved_zone_that_is_no_zone_is_read_by_one_rule() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    a_contact_and_an_audit_entry_at(&app, AT);
    app.exec(
        "INSERT INTO schedule_groups (name, time_zone, active, created_at) VALUES ('Plantão', 'Mars/Olympus', 1, 0)",
    );
    // The company's own falls back to Brasília time, on every page, never to UTC.
    app.change_settings(|company| company.time_zone = "Mars/Olympus".into());
    app.sign_in("chefe", PASSWORD).await;
    for path in ["/agent/contacts", "/admin/audit", "/admin/audit?from=2026-11-21&until=2026-11-21"] {
        let page = app.get(path).await;
        assert_eq!(page.status, Status::Ok, "{path}");
        assert!(page.body.contains("21/11/2026 14:05") && !page.body.contains("21/11/2026 17:05"), "{path}");
    }
    assert_eq!(app.get("/agent/history?from=2026-11-21").await.status, Status::Ok);
    // A schedule group's zone that is no zone is the company's.
    app.change_settings(|company| company.time_zone = "Asia/Tokyo".into());
    let group: i64 = app.sql("SELECT id FROM schedule_groups WHERE name = 'Plantão'");
    let schedule = app.db().read_now(|c| schedules::schedule_of(c, group)).unwrap().expect("the group");
    assert_eq!(schedule.time_zone, chrono_tz::Asia::Tokyo);
    assert!(app.get("/agent/contacts").await.body.contains("22/11/2026 02:05"), "Tokyo is 12 hours ahead");
    assert_eq!(app.get("/admin/schedules").await.status, Status::Ok);
}

#[rocket::async_test]
async fn the_audit_log_names_actions_never_shows_their_codes() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    app.post("/agent/contacts", &[("name", "Maria"), ("email", "maria@x.com"), ("phone", "11987654321")]).await;
    let id: i64 = app.sql("SELECT id FROM contacts");
    app.post(
        &format!("/agent/contacts/{id}"),
        &[("name", "Maria Souza"), ("email", "maria@x.com"), ("phone", "11987654321")],
    )
    .await;
    app.post("/account/profile", &[("name", "Chefe"), ("extension", "1"), ("phone", ""), ("language", "")]).await;
    // One the code may record some day without a name yet.
    app.exec("INSERT INTO audit_log (at, actor_id, action, target, details, ip) VALUES (1, NULL, 'mystery.thing', '', '{}', '')");
    let page = app.get("/admin/audit").await;
    assert_eq!(page.status, Status::Ok);
    let actions: Vec<String> = app
        .db()
        .read_now(|c| {
            let mut stmt = c.prepare("SELECT DISTINCT action FROM audit_log")?;
            let rows = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        })
        .unwrap();
    assert!(actions.len() >= 5, "{actions:?}");
    // Codes are only the filter's option values, never text a person reads.
    let shown = page.body.replace(r#"value=""#, "\u{0}");
    for code in &actions {
        for marks in [format!(">{code}<"), format!(">{code} "), format!("\"{code}\""), format!(" {code}<")] {
            assert!(!shown.contains(&marks), "{code} shows as {marks:?}");
        }
    }
    for name in ["Contato criado", "Contato alterado", "Perfil alterado", "Entrou", "Outra ação"] {
        assert!(page.body.contains(name), "{name}");
    }
    let filtered = app.get("/admin/audit?action=contact.create").await;
    assert!(
        filtered.body.contains(r#"<option value="contact.create" selected>Contato criado</option>"#),
        "{}",
        filtered.body
    );
}

#[rocket::async_test]
async fn an_empty_search_says_what_was_searched() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let none_yet = app.get("/admin/tags").await;
    assert!(none_yet.body.contains("Nada cadastrado ainda."));
    for path in [
        "/agent/contacts?q=zzz%3Cb%3E",
        "/admin/tags?q=zzz%3Cb%3E",
        "/admin/teams?q=zzz%3Cb%3E",
        "/admin/users?q=zzz%3Cb%3E",
    ] {
        let page = app.get(path).await;
        assert!(page.body.contains("Nenhum resultado para «zzz&lt;b&gt;»."), "{path}: {}", page.body);
        assert!(!page.body.contains("Nada cadastrado ainda."), "{path}");
    }
    app.post("/language", &[("lang", "en")]).await;
    assert!(app.get("/agent/contacts?q=zzz").await.body.contains("No results for “zzz”."));
}

#[rocket::async_test]
async fn a_file_as_the_last_message_shows_its_name_in_the_list() {
    let app = App::new().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    sac_with(&app, &[ana]);
    let mut conversations = Vec::new();
    for (who, caption) in [("a", ""), ("b", "Segue o contrato")] {
        let first = visitor_message(1, who, &format!("Cliente {who}"), "Oi");
        let Ingested::Stored { conversation_id, .. } = engine(&app).ingest(first).await.unwrap() else { panic!() };
        engine(&app).take(&Agent { user_id: ana, supervisor: false }, conversation_id).await.unwrap();
        let pdf = IncomingFile {
            file_name: format!("fatura-{who}.pdf"),
            declared_type: "application/pdf".into(),
            bytes: b"%PDF-1.4 fatura".to_vec(),
        };
        let file = Inbound { files: vec![pdf], ..visitor_message(1, who, &format!("Cliente {who}"), caption) };
        engine(&app).ingest(file).await.unwrap();
        conversations.push(conversation_id);
    }
    let browser = app.other_browser().await;
    browser.sign_in("ana", PASSWORD).await;
    let lists = browser.get("/agent/lists").await;
    assert_eq!(lists.status, Status::Ok);
    assert!(lists.body.contains(r#"<span class="row-last" dir="auto">📎 fatura-a.pdf</span>"#), "{}", lists.body);
    assert!(lists.body.contains(r#"<span class="row-last" dir="auto">📎 Segue o contrato</span>"#));
}

#[rocket::async_test]
async fn the_manuals_words_and_brazils_time_zones_first() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let admin = app.get("/admin").await;
    assert!(admin.body.contains(">Tags<") && !admin.body.contains("Etiqueta"), "the manuals say tags");
    let settings = app.get("/admin/settings").await;
    let picker = &settings.body[settings.body.find(r#"id="time_zone""#).expect("the time-zone picker")..];
    let first = picker.find("<option value=").map(|at| &picker[at..]).unwrap_or_default();
    assert!(
        first.starts_with(r#"<option value="America/Sao_Paulo" selected>Brasília (America/Sao_Paulo)</option>"#),
        "{first:.200}"
    );
    for zone in [
        "Manaus (America/Manaus)",
        "Fortaleza (America/Fortaleza)",
        "Recife (America/Recife)",
        "Cuiabá (America/Cuiaba)",
        "Rio Branco (America/Rio_Branco)",
        "Noronha (America/Noronha)",
    ] {
        assert!(settings.body.contains(zone), "{zone}");
    }
    let brazil = settings.body.find("Noronha (America/Noronha)").unwrap();
    assert!(brazil < settings.body.find(r#"<option value="Europe/Lisbon""#).unwrap(), "Brazil's zones come first");
    assert_eq!(settings.body.matches(r#"<option value="America/Manaus""#).count(), 1);
}
