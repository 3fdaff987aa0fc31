//! "Configurações" (company settings, logo, SMTP test) and the audit log page.

use rocket::http::{ContentType, Header, Status};

use crate::common::{App, PASSWORD};
use crate::fake_smtp::FakeSmtp;
use crate::pages::Check;

pub fn settings_form<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("company_name", "Loja Exemplo"),
        ("default_language", ""),
        ("time_zone", "America/Sao_Paulo"),
        ("default_country", "BR"),
        ("auto_close_minutes", "60"),
        ("closing_message", "Atendimento encerrado. Obrigado!"),
        ("survey_expiry_hours", "24"),
        ("lockout_attempts", "5"),
        ("lockout_minutes", "15"),
        ("link_minutes", "30"),
        ("session_idle_minutes", "30"),
        ("session_max_hours", "12"),
        ("heartbeat_minutes", "2"),
        ("smtp_host", ""),
        ("smtp_port", "587"),
        ("smtp_security", "starttls"),
        ("smtp_username", ""),
        ("smtp_password", ""),
        ("smtp_from_address", ""),
    ];
    for (k, v) in overrides {
        match fields.iter_mut().find(|(name, _)| name == k) {
            Some(field) => field.1 = v,
            None => fields.push((k, v)),
        }
    }
    fields
}

/// A multipart body with the CSRF token and one file.
fn multipart(token: &str, filename: &str, content_type: &str, bytes: &[u8]) -> (ContentType, Vec<u8>) {
    let boundary = "XatendeBoundary42";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (ContentType::new("multipart", "form-data").with_params(("boundary", boundary)), body)
}

fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&[0u8; 64]);
    bytes
}

#[rocket::async_test]
async fn settings_validate_save_and_mask_the_smtp_password() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;

    let bad = app
        .post(
            "/admin/settings",
            &settings_form(&[
                ("company_name", ""),
                ("default_language", "fr"),
                ("time_zone", "Mars/Olympus"),
                ("lockout_attempts", "1"),
                ("smtp_security", "ssl3"),
                ("smtp_host", "smtp.exemplo.com"),
            ]),
        )
        .await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    for message in [
        "Preencha este campo.",
        "Escolha um dos idiomas",
        "Escolha um fuso horário",
        "fora do intervalo",
        "opções de segurança",
    ] {
        assert!(bad.body.contains(message), "missing {message:?}");
    }
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM settings"), 0, "nothing saved");

    let saved = app
        .post(
            "/admin/settings",
            &settings_form(&[
                ("smtp_host", "smtp.exemplo.com"),
                ("smtp_password", "segredo-smtp"),
                ("smtp_from_address", "Loja <loja@exemplo.com>"),
                ("default_language", "es"),
            ]),
        )
        .await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let page = app.get("/admin/settings").await;
    assert!(page.body.contains("Configuración guardada") || page.body.contains("Loja Exemplo"));
    assert!(!page.body.contains("segredo-smtp"), "the password never comes back to the page");
    // Saving again with an empty password keeps it.
    app.post(
        "/admin/settings",
        &settings_form(&[("smtp_host", "smtp.exemplo.com"), ("smtp_from_address", "loja@exemplo.com")]),
    )
    .await;
    let stored: String = app.sql("SELECT value FROM settings");
    assert!(stored.contains("segredo-smtp"));
    let audit: String = app.sql("SELECT group_concat(details) FROM audit_log WHERE action = 'settings.update'");
    assert!(!audit.contains("segredo-smtp") && audit.contains("••••••"), "{audit}");
    assert!(audit.contains("Loja Exemplo"));
}

#[rocket::async_test]
async fn test_email_goes_through_the_configured_server() {
    let app = App::new().await;
    let smtp = FakeSmtp::start();
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let not_yet = app.post("/admin/settings/test-email", &[]).await;
    assert_eq!(not_yet.status, Status::UnprocessableEntity);
    assert!(not_yet.body.contains("antes de testar"));

    let port = smtp.port.to_string();
    let saved = app
        .post(
            "/admin/settings",
            &settings_form(&[
                ("smtp_host", "127.0.0.1"),
                ("smtp_port", &port),
                ("smtp_security", "none"),
                ("smtp_from_address", "sistema@exemplo.com"),
            ]),
        )
        .await;
    assert_eq!(saved.status, Status::SeeOther);
    let sent = app.post("/admin/settings/test-email", &[]).await;
    assert_eq!(sent.status, Status::Ok, "{}", sent.body);
    assert!(sent.body.contains("E-mail de teste enviado"));
    let mail = smtp.wait_for(1).remove(0);
    assert_eq!(mail.to, vec!["chefe@empresa.test".to_string()]);
}

#[rocket::async_test]
async fn logo_upload_accepts_images_only_and_serves_them_safely() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let token = app.csrf().await;
    let upload =
        |body: (ContentType, Vec<u8>)| app.post_with_headers("/admin/settings/logo", body.1, vec![body.0.into()]);

    let svg = upload(multipart(
        &token,
        "logo.svg",
        "image/svg+xml",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    ))
    .await;
    assert_eq!(svg.status, Status::UnprocessableEntity);
    assert!(svg.body.contains("não é uma imagem PNG, JPEG ou WebP"));
    let disguised = upload(multipart(&token, "foto.png", "image/png", b"<html><script>alert(1)</script></html>")).await;
    assert_eq!(disguised.status, Status::UnprocessableEntity);
    let mut big = png();
    big.resize(600 * 1024, 0);
    let too_big = upload(multipart(&token, "big.png", "image/png", &big)).await;
    assert_eq!(too_big.status, Status::UnprocessableEntity);
    assert!(too_big.body.contains("grande demais"));
    assert_eq!(app.get("/logo").await.status, Status::NotFound);

    let forged = upload(multipart("forged", "../../etc/passwd.png", "image/png", &png())).await;
    assert_eq!(forged.status, Status::Forbidden);

    let ok = upload(multipart(&token, "../../../logo da loja.png", "image/png", &png())).await;
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    let logo = app.client.get("/logo").dispatch().await;
    assert_eq!(logo.status(), Status::Ok);
    assert_eq!(logo.content_type(), Some(ContentType::PNG));
    assert_eq!(logo.headers().get_one("X-Content-Type-Options"), Some("nosniff"));
    assert!(
        app.get("/login").await.body.contains(r#"src="/logo""#)
            || app.get("/admin").await.body.contains(r#"src="/logo""#)
    );

    assert_eq!(app.post("/admin/settings/logo/remove", &[]).await.status, Status::SeeOther);
    assert_eq!(app.get("/logo").await.status, Status::NotFound);
    let _ = Header::new("x", "y");
}

#[rocket::async_test]
async fn audit_log_filters_by_user_action_and_period() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    app.post(&format!("/admin/users/{ana}/logout"), &[]).await;
    app.login("ana", "errada-123-x").await;

    let all = app.get("/admin/audit").await;
    assert_eq!(all.status, Status::Ok);
    assert!(all.body.contains("user.force-logout") && all.body.contains("login.failed"));
    let chefe: i64 = app.sql("SELECT id FROM users WHERE username = 'chefe'");
    let by_user = app.get(&format!("/admin/audit?user={chefe}&action=user.force-logout")).await;
    assert!(by_user.body.contains("user.force-logout"));
    assert!(!by_user.body.contains("<code>login.failed</code>"));
    let future = app.get("/admin/audit?from=2999-01-01").await;
    assert!(future.body.contains("Nenhum registro ainda."));
    let bad = app.get("/admin/audit?from=ontem").await;
    assert_eq!(bad.status, Status::Ok);
    assert!(bad.body.contains("Informe uma data válida."));
}

/// Renders this section's pages in `c.lang` (called by the every-template test).
pub async fn walk_pages(c: &mut Check<'_>) {
    c.get("admin/settings/form.html", "/admin/settings", Status::Ok, "settings-smtp-hint").await;
    c.get("admin/audit/list.html", "/admin/audit", Status::Ok, "audit-filter").await;
}

#[rocket::async_test]
async fn the_survey_expiry_is_set_in_hours_between_one_and_a_week_and_the_engine_keeps_it() {
    let app = App::without_jobs().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    crate::common::sac_with(&app, &[ana]);
    app.sign_in("chefe", PASSWORD).await;
    let page = app.get("/admin/settings").await;
    assert!(page.body.contains("Prazo para responder a pesquisa (horas)"), "{}", page.body);
    let shown = |body: &str| crate::common::extract(body, r#"name="survey_expiry_hours" type="number" value="(\d*)""#);
    assert_eq!(shown(&page.body).as_deref(), Some("24"), "the default: a day");

    for typed in ["0", "169", "dois", ""] {
        let bad = app.post("/admin/settings", &settings_form(&[("survey_expiry_hours", typed)])).await;
        assert_eq!(bad.status, Status::UnprocessableEntity, "{typed:?}");
        let error = if typed == "dois" {
            "Informe um número inteiro."
        } else if typed.is_empty() {
            "Preencha este campo."
        } else {
            "Valor fora do intervalo permitido."
        };
        assert!(bad.body.contains(error), "{typed:?}: {}", bad.body);
    }
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM settings"), 0, "nothing saved");
    let saved =
        app.post("/admin/settings", &settings_form(&[("survey_expiry_hours", "2"), ("survey_enabled", "on")])).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert_eq!(shown(&app.get("/admin/settings").await.body).as_deref(), Some("2"));

    // A survey asked now stays open two hours, not twenty-four.
    let engine = app.client.rocket().state::<atende::engine::Engine>().unwrap();
    let conversation = crate::flows::says(&app, &crate::flows::visitor(&app, "Maria").await, "Oi").await;
    let agent = atende::engine::service::Agent { user_id: ana, supervisor: false };
    engine.take(&agent, conversation).await.unwrap();
    engine.close(&agent, conversation, "").await.unwrap();
    let now = atende::db::now_ms();
    assert_eq!(engine.expire_surveys(now + 3_600_000).await.unwrap(), 0);
    assert_eq!(engine.expire_surveys(now + 2 * 3_600_000 + 60_000).await.unwrap(), 1);
}
