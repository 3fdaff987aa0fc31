//! "Grupos de usuários": create, validate, edit, delete, audit; the built-in
//! "Administrador geral" is fixed, undeletable and never emptied; menus follow the
//! permissions a group grants.

use rocket::http::Status;

use crate::common::{App, PASSWORD};
use crate::pages::Check;

fn group<'a>(name: &'a str, permissions: &[&'a str], members: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![("name", name)];
    fields.extend(permissions.iter().map(|p| ("permissions", *p)));
    fields.extend(members.iter().map(|m| ("members", *m)));
    fields
}

fn builtin_id(app: &App) -> i64 {
    app.sql("SELECT id FROM permission_groups WHERE builtin = 1")
}

fn member_count(app: &App, group: i64) -> i64 {
    app.sql(&format!("SELECT count(*) FROM user_groups WHERE group_id = {group}"))
}

#[rocket::async_test]
async fn groups_are_validated_saved_edited_and_deleted() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let gestor = app.add_user("admin", "gestor", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let (gestor_s, ana_s) = (gestor.to_string(), ana.to_string());

    let empty = app.post("/admin/groups", &group("  ", &["teams:view"], &[])).await;
    assert_eq!(empty.status, Status::UnprocessableEntity);
    assert!(empty.body.contains("Preencha este campo."));
    assert!(empty.body.contains(r#"value="teams:view" checked"#), "ticked boxes kept");
    let long = app.post("/admin/groups", &group(&"G".repeat(61), &[], &[])).await;
    assert!(long.body.contains("Texto longo demais."));
    let agent_member = app.post("/admin/groups", &group("Supervisores", &[], &[ana_s.as_str()])).await;
    assert_eq!(agent_member.status, Status::UnprocessableEntity);
    assert!(agent_member.body.contains("Escolha apenas administradores ativos da lista."));
    assert!(agent_member.body.contains(r#"value="Supervisores""#), "typed name kept");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM permission_groups"), 1, "nothing half-saved");

    let ok = app
        .post(
            "/admin/groups",
            &group(
                "Supervisores",
                &["tags:view", "teams:edit", "nope:view", "settings:delete", "teams:view"],
                &[gestor_s.as_str()],
            ),
        )
        .await;
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    let id: i64 = app.sql("SELECT id FROM permission_groups WHERE name = 'Supervisores'");
    assert_eq!(
        app.sql::<String>(&format!("SELECT permissions FROM permission_groups WHERE id = {id}")),
        r#"["teams:view","teams:edit","tags:view"]"#,
        "known codes stored in order, unknown dropped"
    );
    assert_eq!(app.sql::<i64>(&format!("SELECT user_id FROM user_groups WHERE group_id = {id}")), gestor);
    let created: String = app.sql("SELECT details FROM audit_log WHERE action = 'group.create'");
    assert!(created.contains(r#""members":["#) && created.contains("teams:edit"), "{created}");

    let dup = app.post("/admin/groups", &group("SUPERVISORES", &[], &[])).await;
    assert_eq!(dup.status, Status::UnprocessableEntity);
    assert!(dup.body.contains("Já existe um cadastro com este nome."));
    let dup_builtin = app.post("/admin/groups", &group("administrador GERAL", &[], &[])).await;
    assert!(dup_builtin.body.contains("Já existe um cadastro com este nome."));

    let list = app.get("/admin/groups").await;
    assert_eq!(list.status, Status::Ok);
    assert!(list.body.contains("Supervisores") && list.body.contains("3 permissões"));
    assert!(list.body.contains("Administrador geral") && list.body.contains("Padrão do sistema"));
    assert!(list.body.contains("Todas as permissões"));
    let search = app.get("/admin/groups?q=super").await;
    assert!(search.body.contains("Supervisores") && !search.body.contains("Administrador geral"));

    let page = app.get(&format!("/admin/groups/{id}")).await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains(r#"value="teams:edit" checked"#));
    assert!(!page.body.contains(r#"value="teams:delete" checked"#));
    assert!(!page.body.contains(r#"value="settings:delete""#), "no box for an action the area lacks");
    assert!(page.body.contains(&format!(r#"value="{gestor}" checked"#)));
    assert!(!page.body.contains(&format!(r#"value="{ana}""#)), "agents are not offered as members");
    assert!(page.body.contains("O membro do grupo perde as permissões dele"), "delete confirm explains");

    let edited = app.post(&format!("/admin/groups/{id}"), &group("Supervisão", &["reports:view"], &[])).await;
    assert_eq!(edited.status, Status::SeeOther, "{}", edited.body);
    assert_eq!(
        app.sql::<String>(&format!("SELECT permissions FROM permission_groups WHERE id = {id}")),
        r#"["reports:view"]"#
    );
    assert_eq!(member_count(&app, id), 0);
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'group.update'");
    let json: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(json["before"]["name"], "Supervisores");
    assert_eq!(json["before"]["members"], serde_json::json!([gestor]));
    assert_eq!(json["after"]["name"], "Supervisão");
    assert_eq!(json["after"]["permissions"], serde_json::json!(["reports:view"]));

    // A group with members can be deleted: they just lose its permissions.
    app.post(&format!("/admin/groups/{id}"), &group("Supervisão", &["reports:view"], &[gestor_s.as_str()])).await;
    let deleted = app.post(&format!("/admin/groups/{id}/delete"), &[]).await;
    assert_eq!(deleted.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM users WHERE id = {gestor}")), 1);
    assert_eq!(
        app.sql::<i64>(&format!("SELECT count(*) FROM user_groups WHERE user_id = {gestor}")),
        1,
        "builtin stays"
    );
    let gone: String = app.sql("SELECT details FROM audit_log WHERE action = 'group.delete'");
    assert!(gone.contains("Supervisão") && gone.contains(r#""after":null"#), "{gone}");
    assert_eq!(app.get(&format!("/admin/groups/{id}")).await.status, Status::NotFound);
    assert_eq!(app.post(&format!("/admin/groups/{id}"), &group("X", &[], &[])).await.status, Status::NotFound);
    assert_eq!(app.post(&format!("/admin/groups/{id}/delete"), &[]).await.status, Status::NotFound);
}

#[rocket::async_test]
async fn the_general_administrators_group_is_fixed_undeletable_and_never_emptied() {
    let app = App::new().await;
    let chefe = app.add_user("admin", "chefe", PASSWORD).await;
    let gestor = app.add_user("admin", "gestor", PASSWORD).await;
    app.exec(&format!("DELETE FROM user_groups WHERE user_id = {gestor}"));
    app.sign_in("chefe", PASSWORD).await;
    let builtin = builtin_id(&app);
    let (chefe_s, gestor_s) = (chefe.to_string(), gestor.to_string());

    let page = app.get(&format!("/admin/groups/{builtin}")).await;
    assert!(page.body.contains(r#"value="audit:view" checked disabled"#), "all ticked and fixed");
    assert!(page.body.contains("não pode ser excluído"));
    assert!(!page.body.contains(&format!("/admin/groups/{builtin}/delete")), "no delete button");

    let delete = app.post(&format!("/admin/groups/{builtin}/delete"), &[]).await;
    assert_eq!(delete.status, Status::Conflict);
    assert!(delete.body.contains("Administrador geral&quot; não pode ser excluído."), "{}", delete.body);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM permission_groups WHERE builtin = 1"), 1);

    // Emptying it from the group page is refused.
    let emptied = app.post(&format!("/admin/groups/{builtin}"), &group("Administrador geral", &[], &[])).await;
    assert_eq!(emptied.status, Status::UnprocessableEntity);
    assert!(emptied.body.contains("precisa manter pelo menos um administrador ativo"));
    assert_eq!(member_count(&app, builtin), 1);

    // Its permissions stay "everything" whatever is posted.
    let narrowed = app
        .post(&format!("/admin/groups/{builtin}"), &group("Administrador geral", &["teams:view"], &[chefe_s.as_str()]))
        .await;
    assert_eq!(narrowed.status, Status::SeeOther, "{}", narrowed.body);
    assert_eq!(
        app.sql::<String>(&format!("SELECT permissions FROM permission_groups WHERE id = {builtin}")),
        r#"["*"]"#
    );

    // Removing its last member from the user page is refused too.
    let removed = app.post(&format!("/admin/users/{chefe}"), &chefe_page(&[])).await;
    assert_eq!(removed.status, Status::UnprocessableEntity);
    assert!(removed.body.contains("precisa manter pelo menos um administrador ativo"));
    assert_eq!(member_count(&app, builtin), 1);
    assert_eq!(
        app.sql::<String>(&format!("SELECT name FROM users WHERE id = {chefe}")),
        "chefe Teste",
        "nothing saved"
    );

    // With a second member, the first may leave — from the user page — keeping the
    // right to manage accounts through another group.
    let two = app
        .post(
            &format!("/admin/groups/{builtin}"),
            &group("Administrador geral", &[], &[chefe_s.as_str(), gestor_s.as_str()]),
        )
        .await;
    assert_eq!(two.status, Status::SeeOther);
    assert_eq!(member_count(&app, builtin), 2);
    app.post("/admin/groups", &group("Pessoal", &["agents:edit"], &[chefe_s.as_str()])).await;
    let pessoal: i64 = app.sql("SELECT id FROM permission_groups WHERE name = 'Pessoal'");
    let left = app.post(&format!("/admin/users/{chefe}"), &chefe_page(&[pessoal.to_string().as_str()])).await;
    assert_eq!(left.status, Status::SeeOther, "{}", left.body);
    assert_eq!(member_count(&app, builtin), 1);
    assert_eq!(app.get(&format!("/admin/groups/{builtin}")).await.status, Status::Forbidden, "no longer general");

    // The last general administrator cannot be deactivated either, even while other
    // administrators remain.
    let off = app.post(&format!("/admin/users/{gestor}/deactivate"), &[]).await;
    assert_eq!(off.status, Status::Conflict);
    assert_eq!(app.sql::<i64>(&format!("SELECT active FROM users WHERE id = {gestor}")), 1);
}

/// Chefe's own user page as a browser posts it, with the ticked groups.
fn chefe_page<'a>(groups: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", "Chefe"),
        ("email", "chefe@empresa.test"),
        ("role", "admin"),
        ("phone", ""),
        ("extension", ""),
        ("allowed_networks", ""),
        ("capacity", "5"),
        ("schedule_group_id", ""),
        ("outside_hours", "warn"),
        ("history_scope", "own"),
        ("internal_chat", "true"),
    ];
    fields.extend(groups.iter().map(|g| ("groups", *g)));
    fields
}

#[rocket::async_test]
async fn menus_and_routes_follow_the_groups_permissions() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let gestor = app.add_user("admin", "gestor", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let saved =
        app.post("/admin/groups", &group("Leitura de equipes", &["teams:view"], &[gestor.to_string().as_str()])).await;
    assert_eq!(saved.status, Status::SeeOther);
    app.exec(&format!(
        "DELETE FROM user_groups WHERE user_id = {gestor}
           AND group_id = (SELECT id FROM permission_groups WHERE builtin = 1)"
    ));

    let other = app.other_browser().await;
    other.sign_in("gestor", PASSWORD).await;
    let home = other.get("/admin").await;
    assert_eq!(home.status, Status::Ok);
    assert!(home.body.contains(r#"href="/admin/teams""#), "Teams in the menu");
    assert!(!home.body.contains(r#"href="/admin/users""#), "no Users entry");
    assert!(!home.body.contains(r#"href="/admin/groups""#), "no Groups entry");
    assert_eq!(other.get("/admin/users").await.status, Status::Forbidden);
    assert_eq!(other.get("/admin/groups").await.status, Status::Forbidden);

    // The general administrator sees every section, groups included.
    let full = app.get("/admin").await;
    assert!(full.body.contains(r#"href="/admin/users""#) && full.body.contains(r#"href="/admin/groups""#));
}

/// Renders this section's pages in `c.lang` (called by the every-template test).
pub async fn walk_pages(c: &mut Check<'_>) {
    c.get("admin/groups/form.html", "/admin/groups/new", Status::Ok, "groups-permissions-hint").await;
    let saved = c.app.post("/admin/groups", &group("Supervisores", &["teams:view", "reports:view"], &[])).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    c.get("admin/groups/list.html", "/admin/groups", Status::Ok, "groups-new").await;
    let id: i64 = c.app.sql("SELECT id FROM permission_groups WHERE name = 'Supervisores'");
    c.get("admin/groups/form.html", &format!("/admin/groups/{id}"), Status::Ok, "groups-members-hint").await;
    let builtin = builtin_id(c.app);
    c.get("admin/groups/form.html", &format!("/admin/groups/{builtin}"), Status::Ok, "groups-builtin-fixed").await;
    let refused = c.app.post(&format!("/admin/groups/{builtin}/delete"), &[]).await;
    c.page("admin/groups/form.html", &refused, Status::Conflict, "groups-builtin-undeletable");
}
