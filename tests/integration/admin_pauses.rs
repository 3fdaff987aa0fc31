//! "Pausas": create, validate, edit, delete, audit.

use rocket::http::{Header, Status};

use crate::common::{encode, App, PASSWORD};

fn pause<'a>(name: &'a str, max: &'a str, start: &'a str, end: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("name", name), ("max_minutes", max), ("window_start", start), ("window_end", end), ("active", "true")]
}

#[rocket::async_test]
async fn pauses_are_validated_saved_edited_and_deleted() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;

    let empty = app.post("/admin/pauses", &pause("", "", "", "")).await;
    assert_eq!(empty.status, Status::UnprocessableEntity);
    assert_eq!(empty.body.matches("Preencha este campo.").count(), 2);

    let bad = app.post("/admin/pauses", &pause("Almoço", "0", "13:00", "12:00")).await;
    assert!(bad.body.contains("Valor fora do intervalo permitido."));
    assert!(bad.body.contains("O fim precisa ser depois do início."));
    assert!(bad.body.contains(r#"value="Almoço""#), "typed values kept");
    let half = app.post("/admin/pauses", &pause("Almoço", "60", "11:00", "")).await;
    assert!(half.body.contains("Preencha este campo."));
    let garbage = app.post("/admin/pauses", &pause("Almoço", "sessenta", "25:00", "12:00")).await;
    assert!(garbage.body.contains("Informe um número inteiro."));
    assert!(garbage.body.contains("formato HH:MM"));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM pauses"), 0, "nothing half-saved");

    let ok = app.post("/admin/pauses", &pause("Almoço", "60", "11:00", "15:00")).await;
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    let dup = app.post("/admin/pauses", &pause("ALMOÇO", "30", "", "")).await;
    assert!(dup.body.contains("Já existe um cadastro com este nome."));

    let list = app.get("/admin/pauses").await;
    assert!(list.body.contains("Almoço") && list.body.contains("11:00–15:00"));
    let id: i64 = app.sql("SELECT id FROM pauses WHERE name = 'Almoço'");

    // htmx saves answer with HX-Redirect; errors come back as 422 for the form swap.
    let token = app.csrf().await;
    let body = encode(&[
        ("csrf_token", &token),
        ("name", "Almoço"),
        ("max_minutes", "45"),
        ("window_start", ""),
        ("window_end", ""),
        ("cumulative", "true"),
    ]);
    let response = app
        .client
        .post(format!("/admin/pauses/{id}"))
        .header(rocket::http::ContentType::Form)
        .header(Header::new("HX-Request", "true"))
        .body(body)
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.headers().get_one("HX-Redirect"), Some("/admin/pauses"));
    assert_eq!(app.sql::<i64>(&format!("SELECT max_minutes FROM pauses WHERE id = {id}")), 45);
    assert_eq!(app.sql::<i64>(&format!("SELECT active FROM pauses WHERE id = {id}")), 0, "unticked box means inactive");
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'pause.update'");
    assert!(details.contains(r#""max_minutes":60"#) && details.contains(r#""max_minutes":45"#), "{details}");

    assert_eq!(app.post(&format!("/admin/pauses/{id}/delete"), &[]).await.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM pauses"), 0);
    assert_eq!(app.get(&format!("/admin/pauses/{id}")).await.status, Status::NotFound);
    assert_eq!(app.post(&format!("/admin/pauses/{id}/delete"), &[]).await.status, Status::NotFound);
}

#[rocket::async_test]
async fn a_pause_agents_have_taken_is_deactivated_not_deleted() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    app.exec(&format!(
        "INSERT INTO pauses (id, name, max_minutes) VALUES (5, 'Almoço', 60);
         INSERT INTO agent_pauses (user_id, pause_id, started_at, ended_at) VALUES ({ana}, 5, 0, 1);"
    ));
    assert_eq!(app.post("/admin/pauses/5/delete", &[]).await.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>("SELECT active FROM pauses WHERE id = 5"), 0, "kept for the reports, inactive");
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'pause.deactivate'");
    assert!(details.contains(r#""active":true"#) && details.contains(r#""active":false"#), "{details}");
}
