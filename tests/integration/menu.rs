//! "Menu e pesquisa": the search box finds pages by name in the user's language, only
//! among what their role and groups open; `/menu` lists them all.

use rocket::http::Status;

use crate::common::{App, PASSWORD};
use crate::reports_reasons::grant;

/// The addresses a search lists, in order.
fn found(body: &str) -> Vec<String> {
    body.split("<li><a href=\"").skip(1).filter_map(|s| s.split('"').next()).map(str::to_string).collect()
}

#[rocket::async_test]
async fn a_word_begun_finds_the_page_in_the_users_language() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("ana", PASSWORD).await;
    let hist = app.get("/menu/search?q=hist").await;
    assert_eq!(hist.status, Status::Ok);
    assert_eq!(found(&hist.body), ["/agent/history", "/reports/history"]);
    assert!(hist.body.contains("Histórico de Atendimentos"), "{}", hist.body);
    // Accents and case do not matter; words may come in any order.
    assert_eq!(found(&app.get("/menu/search?q=ATENDIMENTOS%20hist").await.body), ["/reports/history"]);
    assert_eq!(found(&app.get("/menu/search?q=relatorios").await.body)[0], "/reports");
    // In English the same page answers to its English name.
    app.exec("UPDATE users SET language = 'en' WHERE username = 'ana'");
    let en = app.get("/menu/search?q=conversation%20hist").await;
    assert_eq!(found(&en.body), ["/reports/history"], "{}", en.body);
}

#[rocket::async_test]
async fn only_what_the_user_may_open_is_found() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    let chefe = app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("ana", PASSWORD).await;
    assert!(found(&app.get("/menu/search?q=pausa").await.body).is_empty(), "an agent has no admin pages");
    assert!(found(&app.get("/menu/search?q=motivos").await.body).is_empty());
    assert!(!app.get("/menu").await.body.contains("/admin"));
    // An administrator finds the sections their groups open, and the settings' parts.
    grant(&app, chefe, &["pauses:view", "settings:view"]);
    app.sign_in("chefe", PASSWORD).await;
    assert_eq!(found(&app.get("/menu/search?q=pausa").await.body), ["/admin/pauses"]);
    assert_eq!(
        found(&app.get("/menu/search?q=config%20seg").await.body),
        ["/admin/settings#settings-security"],
        "a part of the settings is found by its section and its name"
    );
    assert!(found(&app.get("/menu/search?q=equipes").await.body).is_empty(), "teams are not granted");
    assert!(found(&app.get("/menu/search?q=motivos").await.body).is_empty(), "nor is the reasons report");
    grant(&app, chefe, &["pauses:view", "settings:view", "reports-reasons:view"]);
    app.sign_in("chefe", PASSWORD).await;
    assert_eq!(found(&app.get("/menu/search?q=motivos").await.body), ["/reports/reasons"]);
    let all = app.get("/menu").await;
    assert!(all.body.contains("/admin/pauses") && !all.body.contains("/admin/teams"), "{}", all.body);
    assert!(app.get("/admin/settings").await.body.contains(r#"id="settings-security""#), "the anchor exists");
}

#[rocket::async_test]
async fn what_was_typed_comes_back_escaped_and_signed_out_is_refused() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    assert_ne!(app.get("/menu/search?q=hist").await.status, Status::Ok);
    assert_ne!(app.get("/menu").await.status, Status::Ok);
    app.sign_in("ana", PASSWORD).await;
    let odd = app.get("/menu/search?q=%3Cscript%3Ealert(1)%3C/script%3E").await;
    assert_eq!(odd.status, Status::Ok);
    assert!(odd.body.contains("&lt;script&gt;") && !odd.body.contains("<script>alert"), "{}", odd.body);
    assert_eq!(app.get("/menu/search?q=").await.body.trim(), "", "an empty box suggests nothing");
    // Without JavaScript the box submits to /menu, which lists what it found.
    let page = app.get("/menu?q=perfil").await;
    assert_eq!(found(&page.body), ["/account"], "{}", page.body);
    let long = "a".repeat(5000);
    assert_eq!(app.get(&format!("/menu/search?q={long}")).await.status, Status::Ok);
}
