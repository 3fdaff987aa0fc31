//! The team's queue limit: its overflow team and "fila cheia" message on the team form.

use rocket::http::Status;

use crate::common::{App, PASSWORD};

/// The team form: overflow team and "fila cheia" message saved, refusals shown.
#[rocket::async_test]
async fn the_team_form_saves_the_overflow_team_and_the_queue_full_message() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let form = |name: &'static str, overflow: String, message: &'static str| {
        vec![
            ("name", name.to_string()),
            ("distribution", "manual".to_string()),
            ("queue_limit", "5".to_string()),
            ("overflow_team_id", overflow),
            ("queue_full_message", message.to_string()),
            ("active", "true".to_string()),
        ]
    };
    let post = |path: String, fields: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(&path, &fields).await
        }
    };
    assert_eq!(post("/admin/teams".into(), form("Vendas", String::new(), "")).await.status, Status::SeeOther);
    let vendas: i64 = app.sql("SELECT id FROM teams WHERE name = 'Vendas'");
    let new = app.get("/admin/teams/new").await;
    assert!(new.body.contains(&format!(r#"<option value="{vendas}">Vendas</option>"#)), "{}", new.body);
    assert!(new.body.contains("placeholder=\"Nossa fila está cheia no momento."), "the default text shows");

    let unknown = post("/admin/teams".into(), form("SAC", vendas.to_string(), "Você é o {{cliente}}")).await;
    assert_eq!(unknown.status, Status::UnprocessableEntity);
    assert!(unknown.body.contains("Variável desconhecida. Use apenas {{posicao}}."), "{}", unknown.body);
    let unclosed = post("/admin/teams".into(), form("SAC", vendas.to_string(), "Posição {{posicao")).await;
    assert!(unclosed.body.contains("Uma variável não foi fechada."));
    let ghost = post("/admin/teams".into(), form("SAC", "999999".into(), "")).await;
    assert_eq!(ghost.status, Status::UnprocessableEntity);
    assert!(ghost.body.contains("Escolha uma das equipes ativas da lista."));
    let letters = post("/admin/teams".into(), form("SAC", "abc".into(), "")).await;
    assert!(letters.body.contains("Informe um número inteiro."));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM teams"), 1, "nothing saved");

    let message = "Fila cheia! Você é o {{posicao}}º.";
    let saved = post("/admin/teams".into(), form("SAC", vendas.to_string(), message)).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let sac: i64 = app.sql("SELECT id FROM teams WHERE name = 'SAC'");
    assert_eq!(app.sql::<Option<i64>>(&format!("SELECT overflow_team_id FROM teams WHERE id = {sac}")), Some(vendas));
    assert_eq!(app.sql::<String>(&format!("SELECT queue_full_message FROM teams WHERE id = {sac}")), message);
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'team.create' ORDER BY id DESC");
    assert!(details.contains(&format!(r#""overflow_team_id":{vendas}"#)), "audited: {details}");

    let edit = app.get(&format!("/admin/teams/{sac}")).await;
    assert!(edit.body.contains(&format!(r#"<option value="{vendas}" selected>Vendas</option>"#)), "{}", edit.body);
    assert!(!edit.body.contains(&format!(r#"<option value="{sac}""#)), "a team is not offered to itself");
    assert!(edit.body.contains("Fila cheia! Você é o {{posicao}}º."));
    let itself = post(format!("/admin/teams/{sac}"), form("SAC", sac.to_string(), "")).await;
    assert_eq!(itself.status, Status::UnprocessableEntity);
    assert!(itself.body.contains("Uma equipe não pode transbordar para ela mesma."));

    // A deactivated overflow team stays chosen (and offered) until someone changes it,
    // but no other team may choose it.
    app.exec(&format!("UPDATE teams SET active = 0 WHERE id = {vendas}"));
    let edit = app.get(&format!("/admin/teams/{sac}")).await;
    assert!(
        edit.body.contains(&format!(r#"<option value="{vendas}" selected>Vendas (Inativo)</option>"#)),
        "{}",
        edit.body
    );
    let kept = post(format!("/admin/teams/{sac}"), form("SAC", vendas.to_string(), "")).await;
    assert_eq!(kept.status, Status::SeeOther, "{}", kept.body);
    let other = post("/admin/teams".into(), form("Financeiro", vendas.to_string(), "")).await;
    assert!(other.body.contains("Escolha uma das equipes ativas da lista."));
    // Cleared: empty means no overflow team and the default text.
    let cleared = post(format!("/admin/teams/{sac}"), form("SAC", String::new(), "")).await;
    assert_eq!(cleared.status, Status::SeeOther);
    assert_eq!(app.sql::<Option<i64>>(&format!("SELECT overflow_team_id FROM teams WHERE id = {sac}")), None);
}
