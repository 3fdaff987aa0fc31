//! Bad input gets a clear page with the right status, never a 500, and loses nothing.

use rocket::http::{ContentType, Header, Status};

use crate::common::{encode, App, PASSWORD};

#[rocket::async_test]
async fn unknown_routes_get_a_page_in_the_users_language() {
    let app = App::new().await;
    let pt = app.get("/nada-aqui").await;
    assert_eq!(pt.status, Status::NotFound);
    assert!(pt.body.contains("Página não encontrada."));
    let en = app.client.get("/nothing-here").header(Header::new("Accept-Language", "en-US,en;q=0.9")).dispatch().await;
    assert_eq!(en.status(), Status::NotFound);
    assert!(en.into_string().await.unwrap().contains("Page not found"));
    assert_eq!(app.get("/admin/users/not-a-number").await.status, Status::SeeOther, "stranger goes to login first");
}

#[rocket::async_test]
async fn wrong_type_oversized_non_utf8_and_malformed_forms() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let token = app.csrf().await;

    let json = app.post_with_headers("/login", br#"{"login":"chefe"}"#.to_vec(), vec![ContentType::JSON.into()]).await;
    assert_eq!(json.status, Status::UnsupportedMediaType);
    assert!(json.body.contains("não é aceito"));

    let huge = format!("csrf_token={token}&login=chefe&password={}", "x".repeat(100 * 1024));
    let big = app.post_raw("/login", &huge).await;
    assert_eq!(big.status, Status::PayloadTooLarge);
    assert!(big.body.contains("grande demais"));

    let mut bytes = format!("csrf_token={token}&login=").into_bytes();
    bytes.extend_from_slice(&[0xff, 0xfe, 0xfd]);
    bytes.extend_from_slice(b"&password=x");
    let binary = app.post_with_headers("/login", bytes, vec![ContentType::Form.into()]).await;
    assert_eq!(binary.status, Status::BadRequest);

    let missing = app.post_raw("/login", &encode(&[("csrf_token", &token), ("login", "chefe")])).await;
    assert_eq!(missing.status, Status::UnprocessableEntity);
    assert!(missing.body.contains("não são válidos"));

    // Percent-encoded garbage decodes leniently and is simply a wrong login.
    let odd = app.post_raw("/login", &format!("csrf_token={token}&login=%FF%00%E2&password=%")).await;
    assert_eq!(odd.status, Status::Unauthorized);

    // The account survived all of that.
    app.sign_in("chefe", PASSWORD).await;
}

#[rocket::async_test]
async fn admin_forms_keep_what_was_typed_and_save_nothing_half() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let before: i64 = app.sql("SELECT count(*) FROM users");

    let empty = app.post("/admin/users", &[("name", ""), ("username", ""), ("email", ""), ("role", "agent")]).await;
    assert_eq!(empty.status, Status::UnprocessableEntity);
    assert_eq!(empty.body.matches("Preencha este campo.").count(), 3);

    let bad = app
        .post(
            "/admin/users",
            &[("name", &"N".repeat(121)), ("username", "a b"), ("email", "sem-arroba"), ("role", "root")],
        )
        .await;
    assert!(bad.body.contains("Texto longo demais."));
    assert!(bad.body.contains("Use de 3 a 40 caracteres"));
    assert!(bad.body.contains("Informe um e-mail válido"));
    assert!(bad.body.contains("Escolha Administrador ou Agente."));
    assert!(bad.body.contains(r#"value="sem-arroba""#));

    let dup = app
        .post(
            "/admin/users",
            &[("name", "Outro"), ("username", "CHEFE"), ("email", "chefe@empresa.test"), ("role", "agent")],
        )
        .await;
    assert!(dup.body.contains("Este usuário já está em uso."));
    assert!(dup.body.contains("Este e-mail já pertence a outra conta."));

    let script = app
        .post(
            "/admin/users",
            &[("name", "<script>alert(1)</script>"), ("username", "x"), ("email", "x"), ("role", "agent")],
        )
        .await;
    assert!(!script.body.contains("<script>alert(1)</script>"), "escaped");
    assert!(script.body.contains("&lt;script&gt;"));

    assert_eq!(app.sql::<i64>("SELECT count(*) FROM users"), before, "nothing half-saved");
    assert_eq!(app.get("/admin/users/99999").await.status, Status::NotFound);
}
