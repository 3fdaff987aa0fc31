//! An administrator manages accounts: edit, networks, deactivate, force logout, audit.

use rocket::http::Status;

use crate::common::{App, PASSWORD};

pub fn edit_fields<'a>(name: &'a str, email: &'a str, role: &'a str, networks: &'a str) -> Vec<(&'a str, &'a str)> {
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
    assert!(page.body.contains("Usuário alterado"), "history shown on the user page, by name");
    assert!(!page.body.contains("user.update"), "never by its code");
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
    assert!(percent.body.contains("Nenhum resultado para «%»."), "LIKE wildcards are literal");
}

/// The whole user page as a browser posts it: details and work settings.
#[allow(clippy::too_many_arguments)]
fn agent_page<'a>(
    capacity: &'a str,
    schedule: &'a str,
    outside: &'a str,
    history: &'a str,
    teams: &[&'a str],
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = edit_fields("Ana Souza", "ana@empresa.test", "agent", "");
    fields.extend([
        ("capacity", capacity),
        ("schedule_group_id", schedule),
        ("outside_hours", outside),
        ("history_scope", history),
    ]);
    fields.extend(teams.iter().map(|t| ("teams", *t)));
    fields.extend_from_slice(extra);
    fields
}

#[rocket::async_test]
async fn agent_settings_are_validated_and_saved_with_the_account() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    app.exec(
        "INSERT INTO teams (name, created_at) VALUES ('SAC', 0), ('Vendas', 0), ('Financeiro', 0);
         INSERT INTO schedule_groups (name, created_at) VALUES ('Comercial', 0);",
    );
    let sac = app.sql::<i64>("SELECT id FROM teams WHERE name = 'SAC'").to_string();
    let vendas = app.sql::<i64>("SELECT id FROM teams WHERE name = 'Vendas'").to_string();
    let comercial = app.sql::<i64>("SELECT id FROM schedule_groups").to_string();
    app.sign_in("chefe", PASSWORD).await;
    let path = format!("/admin/users/{ana}");

    let page = app.get(&path).await;
    assert!(page.body.contains("Atendimentos simultâneos") && page.body.contains(r#"value="5""#), "default capacity");
    assert!(page.body.contains("SAC") && page.body.contains("Comercial"));
    assert!(page.body.contains(r#"id="username" value="ana" disabled"#), "username immutable");

    let unchanged = |app: &App| {
        assert_eq!(app.sql::<i64>(&format!("SELECT capacity FROM users WHERE id = {ana}")), 5);
        assert_eq!(app.sql::<i64>("SELECT count(*) FROM team_members"), 0);
        assert_eq!(app.sql::<String>(&format!("SELECT name FROM users WHERE id = {ana}")), "ana Teste");
    };
    for (capacity, message) in [
        ("0", "Valor fora do intervalo permitido."),
        ("51", "Valor fora do intervalo permitido."),
        ("x", "Informe um número inteiro."),
        ("", "Preencha este campo."),
    ] {
        let bad = app.post(&path, &agent_page(capacity, "", "warn", "own", &[sac.as_str()], &[])).await;
        assert_eq!(bad.status, Status::UnprocessableEntity, "capacity {capacity:?}");
        assert!(bad.body.contains(message), "capacity {capacity:?}");
        assert!(bad
            .body
            .contains(&format!(r#"name="capacity" type="number" min="1" max="50" required value="{capacity}""#)));
        assert!(bad.body.contains(&format!(r#"name="teams" value="{sac}" checked"#)), "ticked team kept");
        unchanged(&app);
    }
    let history = app.post(&path, &agent_page("5", "", "warn", "everything", &[], &[])).await;
    assert_eq!(history.status, Status::UnprocessableEntity);
    assert!(history.body.contains("Escolha uma das opções de histórico."));
    let outside = app.post(&path, &agent_page("5", "", "maybe", "own", &[], &[])).await;
    assert!(outside.body.contains("Escolha avisar ou não permitir."));
    let schedule = app.post(&path, &agent_page("5", "999", "warn", "own", &[], &[])).await;
    assert!(schedule.body.contains("Escolha um grupo de horários da lista."));
    let forged = app.post(&path, &agent_page("5", "", "warn", "own", &[sac.as_str(), "999"], &[])).await;
    assert_eq!(forged.status, Status::UnprocessableEntity);
    assert!(forged.body.contains("Escolha apenas equipes da lista."));
    let garbage = app.post(&path, &agent_page("5", "", "warn", "own", &["SAC"], &[])).await;
    assert!(garbage.body.contains("Escolha apenas equipes da lista."));
    unchanged(&app);

    let ok = app
        .post(
            &path,
            &agent_page("8", &comercial, "refuse", "all", &[sac.as_str(), vendas.as_str()], &[("require_2fa", "true")]),
        )
        .await;
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    let row: String = app.sql(&format!(
        "SELECT capacity || ',' || schedule_group_id || ',' || outside_hours || ',' || history_scope || ','
                || internal_chat || ',' || require_2fa FROM users WHERE id = {ana}"
    ));
    assert_eq!(row, format!("8,{comercial},refuse,all,0,1"), "unticked internal chat is off");
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM team_members WHERE user_id = {ana}")), 2);
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'user.update'");
    let json: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(json["before"]["capacity"], 5);
    assert_eq!(json["after"]["capacity"], 8);
    assert_eq!(json["before"]["teams"], serde_json::json!([]));
    assert_eq!(json["after"]["teams"].as_array().unwrap().len(), 2);
    assert_eq!(json["before"]["internal_chat"], true);
    assert_eq!(json["after"]["internal_chat"], false);
    assert_eq!(json["after"]["require_2fa"], true);
    assert_eq!(json["after"]["history_scope"], "all");

    let page = app.get(&path).await;
    assert!(page.body.contains(&format!(r#"value="{vendas}" checked"#)));
    assert!(page.body.contains(&format!(r#"value="{comercial}" selected"#)));
    assert!(page.body.contains(r#"value="refuse" selected"#) && page.body.contains(r#"value="all" checked"#));
    let list = app.get("/admin/users").await;
    assert!(list.body.contains("SAC, Vendas"), "teams column");

    // An agent never keeps permission groups, even forged ones.
    let builtin = app.sql::<i64>("SELECT id FROM permission_groups WHERE builtin = 1").to_string();
    let groups = app.post(&path, &agent_page("8", "", "warn", "none", &[], &[("groups", builtin.as_str())])).await;
    assert_eq!(groups.status, Status::SeeOther, "{}", groups.body);
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM user_groups WHERE user_id = {ana}")), 0);
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM team_members WHERE user_id = {ana}")), 0);
    assert_eq!(app.sql::<Option<i64>>(&format!("SELECT schedule_group_id FROM users WHERE id = {ana}")), None);

    // A form without the work settings leaves them as they are.
    app.exec(&format!("INSERT INTO team_members (team_id, user_id) VALUES ({sac}, {ana})"));
    let details_only = app.post(&path, &edit_fields("Ana S.", "ana@empresa.test", "agent", "")).await;
    assert_eq!(details_only.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>(&format!("SELECT capacity FROM users WHERE id = {ana}")), 8);
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM team_members WHERE user_id = {ana}")), 1);
}

#[rocket::async_test]
async fn administrators_get_permission_groups_from_the_user_page() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let gestor = app.add_user("admin", "gestor", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let group: i64 =
        app.db().write_now(|tx| atende::db::groups::insert_group(tx, "Relatórios", &["reports:view".into()])).unwrap();
    let group = group.to_string();
    let mut fields = edit_fields("Gestor", "gestor@empresa.test", "admin", "");
    fields.extend([
        ("capacity", "5"),
        ("schedule_group_id", ""),
        ("outside_hours", "warn"),
        ("history_scope", "own"),
        ("groups", group.as_str()),
    ]);
    let ok = app.post(&format!("/admin/users/{gestor}"), &fields).await;
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    assert_eq!(
        app.sql::<i64>(&format!("SELECT group_id FROM user_groups WHERE user_id = {gestor}")).to_string(),
        group
    );
    fields.push(("groups", "424242"));
    let forged = app.post(&format!("/admin/users/{gestor}"), &fields).await;
    assert_eq!(forged.status, Status::UnprocessableEntity);
    assert!(forged.body.contains("Escolha apenas grupos da lista."));
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM user_groups WHERE user_id = {gestor}")), 1);
}

#[rocket::async_test]
async fn required_two_factor_sends_the_user_to_enrol_before_anything_else() {
    use atende::accounts::totp::current_code;
    use rocket::http::Header;

    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let gestor = app.add_user("admin", "gestor", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let mut fields = edit_fields("Ana", "ana@empresa.test", "agent", "");
    fields.extend([
        ("capacity", "5"),
        ("schedule_group_id", ""),
        ("outside_hours", "warn"),
        ("history_scope", "own"),
        ("internal_chat", "true"),
        ("require_2fa", "true"),
    ]);
    assert_eq!(app.post(&format!("/admin/users/{ana}"), &fields).await.status, Status::SeeOther);
    assert!(app.get(&format!("/admin/users/{ana}")).await.body.contains("Exigida"));

    let agent = app.other_browser().await;
    agent.sign_in("ana", PASSWORD).await;
    let workspace = agent.get("/agent").await;
    assert_eq!(workspace.status, Status::SeeOther);
    assert_eq!(workspace.location.as_deref(), Some("/account/2fa"));
    assert_eq!(agent.get("/").await.status, Status::SeeOther);
    let heartbeat = agent.post("/agent/heartbeat", &[]).await;
    assert_eq!(heartbeat.location.as_deref(), Some("/account/2fa"), "no routing before enrolment");
    let htmx = agent.client.get("/agent").header(Header::new("HX-Request", "true")).dispatch().await;
    assert_eq!(htmx.headers().get_one("HX-Redirect"), Some("/account/2fa"));

    let profile = agent.get("/account").await;
    assert_eq!(profile.status, Status::Ok);
    assert!(profile.body.contains("O administrador exige a verificação em duas etapas"));
    let enrol = agent.get("/account/2fa").await;
    assert_eq!(enrol.status, Status::Ok);
    let secret = crate::common::extract(&enrol.body, r#"<code class="secret">([A-Z2-7]+)</code>"#).unwrap();
    let code = current_code(&secret, (atende::db::now_ms() / 1000) as u64).unwrap();
    assert_eq!(agent.post("/account/2fa", &[("code", &code)]).await.status, Status::Ok);
    assert_eq!(agent.get("/agent").await.status, Status::Ok, "enrolled: the workspace opens");
    assert!(!agent.get("/account").await.body.contains("O administrador exige"));

    // Administrators too: no admin page before enrolling; signing out still works.
    app.exec(&format!("UPDATE users SET require_2fa = 1 WHERE id = {gestor}"));
    let admin = app.other_browser().await;
    admin.sign_in("gestor", PASSWORD).await;
    assert_eq!(admin.get("/admin").await.location.as_deref(), Some("/account/2fa"));
    assert_eq!(admin.get("/admin/users").await.location.as_deref(), Some("/account/2fa"));
    assert_eq!(admin.post(&format!("/admin/users/{ana}/logout"), &[]).await.location.as_deref(), Some("/account/2fa"));
    assert_eq!(admin.logout().await.location.as_deref(), Some("/login"));
    assert_eq!(admin.get("/account").await.status, Status::SeeOther, "signed out");
}

#[rocket::async_test]
async fn account_names_are_stored_as_one_clean_line() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let created = app
        .post(
            "/admin/users",
            &[
                ("name", "Zé\u{200B}\tCarlos\u{202E}"),
                ("username", "zeca"),
                ("email", "zeca@empresa.test"),
                ("role", "agent"),
            ],
        )
        .await;
    assert_eq!(created.status, Status::Created, "{}", created.body);
    assert_eq!(app.sql::<String>("SELECT name FROM users WHERE username = 'zeca'"), "Zé Carlos");
    let edited = app
        .post(&format!("/admin/users/{ana}"), &edit_fields("Ana\u{2066} \n Souza", "ana@empresa.test", "agent", ""))
        .await;
    assert_eq!(edited.status, Status::SeeOther, "{}", edited.body);
    assert_eq!(app.sql::<String>(&format!("SELECT name FROM users WHERE id = {ana}")), "Ana Souza");
    let blank =
        app.post(&format!("/admin/users/{ana}"), &edit_fields("\u{200B}", "ana@empresa.test", "agent", "")).await;
    assert_eq!(blank.status, Status::UnprocessableEntity);
}
