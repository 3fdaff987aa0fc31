//! TOTP enrolment, sign-in with a code and with a recovery code, admin reset.

use atende::accounts::totp::current_code;
use atende::db::now_ms;
use rocket::http::Status;

use crate::common::{extract, App, PASSWORD};

fn secs() -> u64 {
    (now_ms() / 1000) as u64
}

/// Enrols the signed-in browser's user; returns (secret, recovery codes).
async fn enrol(app: &App) -> (String, Vec<String>) {
    let page = app.get("/account/2fa").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("<svg"), "QR code shown");
    let secret = extract(&page.body, r#"<code class="secret">([A-Z2-7]+)</code>"#).expect("secret shown as text");

    let wrong = app.post("/account/2fa", &[("code", "000000")]).await;
    assert_eq!(wrong.status, Status::UnprocessableEntity);
    assert!(wrong.body.contains(&secret), "same secret offered again");

    let code = current_code(&secret, secs()).unwrap();
    let done = app.post("/account/2fa", &[("code", &code)]).await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    let codes: Vec<String> = regex_lite::Regex::new(r"<li><code>([a-z0-9]{4}-[a-z0-9]{4})</code></li>")
        .unwrap()
        .captures_iter(&done.body)
        .map(|c| c[1].to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

#[rocket::async_test]
async fn enrol_then_sign_in_with_code_and_with_recovery_code() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("ana", PASSWORD).await;
    let (secret, codes) = enrol(&app).await;
    app.logout().await;

    // Password alone is not enough now.
    let step1 = app.login("ana", PASSWORD).await;
    assert_eq!(step1.location.as_deref(), Some("/login/2fa"));
    assert_eq!(app.get("/agent").await.status, Status::SeeOther, "not signed in yet");
    let wrong = app.post("/login/2fa", &[("code", "123456")]).await;
    assert_eq!(wrong.status, Status::Unauthorized);
    assert!(wrong.body.contains("Código inválido"));

    // The enrolment code's time step is spent: use the next one (within the skew).
    let code = current_code(&secret, secs() + 30).unwrap();
    let ok = app.post("/login/2fa", &[("code", &code)]).await;
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    assert_eq!(app.get("/agent").await.status, Status::Ok);
    app.logout().await;

    // The same code again is refused (replay).
    app.login("ana", PASSWORD).await;
    assert_eq!(app.post("/login/2fa", &[("code", &code)]).await.status, Status::Unauthorized);

    // A recovery code works once, typed loosely.
    let typed = codes[3].to_uppercase().replace('-', " ");
    assert_eq!(app.post("/login/2fa", &[("code", &typed)]).await.status, Status::SeeOther);
    app.logout().await;
    app.login("ana", PASSWORD).await;
    assert_eq!(app.post("/login/2fa", &[("code", &codes[3])]).await.status, Status::Unauthorized);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM recovery_codes WHERE used_at IS NULL"), 9);
}

#[rocket::async_test]
async fn admin_reset_of_2fa_ends_sessions_and_allows_password_sign_in() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("ana", PASSWORD).await;
    enrol(&app).await;
    assert_eq!(app.get("/agent").await.status, Status::Ok);

    let admin = app.other_browser().await;
    admin.sign_in("chefe", PASSWORD).await;
    assert!(admin.get(&format!("/admin/users/{ana}")).await.body.contains("reset-2fa"));
    assert_eq!(admin.post(&format!("/admin/users/{ana}/reset-2fa"), &[]).await.status, Status::SeeOther);
    assert_eq!(app.get("/agent").await.status, Status::SeeOther, "ana's session ended");
    assert_eq!(app.login("ana", PASSWORD).await.location.as_deref(), Some("/agent"), "no second step any more");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = '2fa.reset'"), 1);
}

#[rocket::async_test]
async fn wrong_codes_count_towards_lockout() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("ana", PASSWORD).await;
    enrol(&app).await;
    app.logout().await;
    app.login("ana", PASSWORD).await;
    for _ in 0..4 {
        assert_eq!(app.post("/login/2fa", &[("code", "111111")]).await.status, Status::Unauthorized);
    }
    let locked = app.post("/login/2fa", &[("code", "111111")]).await;
    assert_eq!(locked.status, Status::TooManyRequests);
    assert!(locked.body.contains("temporariamente bloqueado"));
}
