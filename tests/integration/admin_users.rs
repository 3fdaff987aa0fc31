//! An administrator manages accounts: edit, networks, deactivate, force logout, audit.

use rocket::http::Status;

use crate::common::{App, PASSWORD};

fn edit_fields<'a>(name: &'a str, email: &'a str, role: &'a str, networks: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("email", email),
        ("role", role),
        ("phone", "5511999990000"),
        ("extension", "2001"),
        ("allowed_networks", networks),
    ]
}

#[rocket::async_test]
async fn edit_validates_networks_and_audits_before_and_after() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;

    let bad = app
        .post(&format!("/admin/users/{ana}"), &edit_fields("Ana Souza", "ana@empresa.test", "agent", "10.0.0.0/33"))
        .await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.body.contains("formato CIDR"));
    assert!(bad.body.contains("10.0.0.0/33"), "typed value kept");
    assert_eq!(app.sql::<String>(&format!("SELECT name FROM users WHERE id = {ana}")), "ana Teste");

    let ok = app
        .post(
            &format!("/admin/users/{ana}"),
            &edit_fields("Ana Souza", "ana@empresa.test", "agent", "10.0.0.0/8, 192.168.1.1"),
        )
        .await;
    assert_eq!(ok.status, Status::SeeOther);
    assert_eq!(
        app.sql::<String>(&format!("SELECT allowed_networks FROM users WHERE id = {ana}")),
        "10.0.0.0/8\n192.168.1.1/32"
    );
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'user.update'");
    let json: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(json["before"]["name"], "ana Teste");
    assert_eq!(json["after"]["name"], "Ana Souza");
    assert_eq!(json["after"]["extension"], "2001");
    let page = app.get(&format!("/admin/users/{ana}")).await;
    assert!(page.body.contains("user.update"), "history shown on the user page");
}

#[rocket::async_test]
async fn last_admin_and_self_are_protected() {
    let app = App::new().await;
    let chefe = app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let self_off = app.post(&format!("/admin/users/{chefe}/deactivate"), &[]).await;
    assert_eq!(self_off.status, Status::Conflict);
    let demote =
        app.post(&format!("/admin/users/{chefe}"), &edit_fields("Chefe", "chefe@empresa.test", "agent", "")).await;
    assert_eq!(demote.status, Status::UnprocessableEntity);
    assert!(demote.body.contains("pelo menos um administrador ativo"));
    assert_eq!(app.sql::<String>(&format!("SELECT role FROM users WHERE id = {chefe}")), "admin");
}

#[rocket::async_test]
async fn deactivate_and_force_logout_end_sessions() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let agent = app.other_browser().await;
    agent.sign_in("ana", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;

    assert_eq!(app.post(&format!("/admin/users/{ana}/logout"), &[]).await.status, Status::SeeOther);
    assert_eq!(agent.get("/agent").await.status, Status::SeeOther);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM users WHERE id = {ana}")), "offline");

    agent.sign_in("ana", PASSWORD).await;
    assert_eq!(app.post(&format!("/admin/users/{ana}/deactivate"), &[]).await.status, Status::SeeOther);
    assert_eq!(agent.get("/agent").await.status, Status::SeeOther);
    let refused = agent.login("ana", PASSWORD).await;
    assert!(refused.body.contains("Esta conta está desativada."));
    assert_eq!(app.post(&format!("/admin/users/{ana}/activate"), &[]).await.status, Status::SeeOther);
    agent.sign_in("ana", PASSWORD).await;
}

#[rocket::async_test]
async fn user_list_searches_and_paginates() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    for i in 0..30 {
        app.add_user("agent", &format!("agente{i:02}"), PASSWORD).await;
    }
    app.sign_in("chefe", PASSWORD).await;
    let first = app.get("/admin/users").await;
    assert_eq!(first.body.matches("/admin/users/").count() - first.body.matches("/admin/users/new").count(), 25);
    assert!(first.body.contains("Página 1 de 2"));
    let second = app.get("/admin/users?page_no=2").await;
    assert!(second.body.contains("Página 2 de 2"));
    let search = app.get("/admin/users?q=agente07").await;
    assert!(search.body.contains("agente07@empresa.test"));
    assert!(!search.body.contains("agente08@empresa.test"));
    let percent = app.get("/admin/users?q=%25").await;
    assert!(percent.body.contains("Nenhum usuário encontrado."), "LIKE wildcards are literal");
}
