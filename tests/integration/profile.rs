//! "Meu perfil" as the manuals describe it: what the administrator set is shown, not
//! editable (teams, schedule group, history permission); the agent changes name, phone,
//! e-mail (with the current password), photo, extension, language and password — never
//! the username.

use rocket::http::Status;

use crate::common::{App, PASSWORD};

async fn agent(app: &App) -> (App, i64) {
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    app.exec(&format!(
        "INSERT INTO teams (id, name, distribution, created_at) VALUES (1, 'SAC', 'manual', 0), (2, 'Cobrança', 'manual', 0);
         INSERT INTO team_members (team_id, user_id) VALUES (1, {ana}), (2, {ana});
         INSERT INTO schedule_groups (id, name, time_zone, active, created_at) VALUES (5, 'Comercial', 'America/Sao_Paulo', 1, 0);
         UPDATE users SET schedule_group_id = 5, history_scope = 'all' WHERE id = {ana};"
    ));
    let browser = app.other_browser().await;
    browser.sign_in("ana", PASSWORD).await;
    (browser, ana)
}

#[rocket::async_test]
async fn the_profile_shows_what_the_administrator_set() {
    let app = App::new().await;
    let (ana, _) = agent(&app).await;
    let page = ana.get("/account").await;
    assert_eq!(page.status, Status::Ok);
    for shown in ["Cobrança, SAC", "Comercial", "Histórico de todas as equipes", "o usuário não pode ser alterado"]
    {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    // Shown, not editable: no field posts them.
    for field in ["name=\"teams\"", "name=\"schedule_group_id\"", "name=\"history_scope\"", "name=\"username\""] {
        assert!(!page.body.contains(field), "{field}");
    }
}

#[rocket::async_test]
async fn name_phone_extension_and_language_change_the_username_never() {
    let app = App::new().await;
    let (ana, id) = agent(&app).await;
    let saved = ana
        .post(
            "/account/profile",
            &[
                ("name", " Ana  Souza "),
                ("extension", "2041"),
                ("phone", "(11) 98765-4321"),
                ("language", ""),
                ("username", "outra"),
            ],
        )
        .await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let stored: String = app
        .sql(&format!("SELECT name || '|' || username || '|' || phone || '|' || extension FROM users WHERE id = {id}"));
    assert_eq!(stored, "Ana Souza|ana|5511987654321|2041", "the phone in E.164, the username as it was");
    let audit: String =
        app.sql(&format!("SELECT details FROM audit_log WHERE action = 'profile.update' AND target = 'user:{id}'"));
    assert!(audit.contains(r#""name":"ana Teste""#) && audit.contains(r#""name":"Ana Souza""#), "{audit}");
    let page = ana.get("/account?saved=profile").await;
    assert!(page.body.contains("Perfil salvo.") && page.body.contains(r#"value="Ana Souza""#));
    // A name is required.
    let blank =
        ana.post("/account/profile", &[("name", " "), ("extension", ""), ("phone", ""), ("language", "")]).await;
    assert_eq!(blank.status, Status::UnprocessableEntity);
    assert!(blank.body.contains(r#"id="name-error""#));
    assert_eq!(app.sql::<String>(&format!("SELECT name FROM users WHERE id = {id}")), "Ana Souza");
}

#[rocket::async_test]
async fn the_email_changes_only_with_the_current_password() {
    let app = App::new().await;
    let (ana, id) = agent(&app).await;
    app.add_user("agent", "bia", PASSWORD).await;
    let change = |email: &'static str, password: &'static str| {
        let ana = &ana;
        async move { ana.post("/account/email", &[("new_email", email), ("current_password", password)]).await }
    };
    let wrong = change("ana.souza@empresa.test", "nao-e-a-senha").await;
    assert_eq!(wrong.status, Status::UnprocessableEntity);
    assert!(
        wrong.body.contains("A senha atual está incorreta.") && wrong.body.contains(r#"id="email_password-error""#),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains(r#"value="ana.souza@empresa.test""#), "what was typed stays");
    assert!(!wrong.body.contains("nao-e-a-senha"), "the password never comes back");
    let taken = change("bia@empresa.test", PASSWORD).await;
    assert_eq!(taken.status, Status::UnprocessableEntity);
    assert!(taken.body.contains(r#"id="new_email-error""#));
    let invalid = change("ana@", PASSWORD).await;
    assert_eq!(invalid.status, Status::UnprocessableEntity);
    assert_eq!(app.sql::<String>(&format!("SELECT email FROM users WHERE id = {id}")), "ana@empresa.test");

    let changed = change("Ana.Souza@EMPRESA.test", PASSWORD).await;
    assert_eq!(changed.status, Status::SeeOther, "{}", changed.body);
    assert_eq!(changed.location.as_deref(), Some("/account?saved=email"));
    assert_eq!(app.sql::<String>(&format!("SELECT email FROM users WHERE id = {id}")), "Ana.Souza@empresa.test");
    let audit: String = app.sql("SELECT details FROM audit_log WHERE action = 'profile.email-change'");
    assert!(audit.contains("ana@empresa.test") && audit.contains("Ana.Souza@empresa.test"), "{audit}");
    assert!(ana.get("/account?saved=email").await.body.contains("E-mail alterado."));
    // The new address signs in; the old one no longer does.
    let fresh = app.other_browser().await;
    assert_eq!(fresh.login("ana@empresa.test", PASSWORD).await.status, Status::Unauthorized);
    fresh.sign_in("ana.souza@empresa.test", PASSWORD).await;
}
