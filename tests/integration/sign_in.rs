//! Signing in and out, lockout, allowed networks, session expiry and heartbeats.

use atende::accounts::sessions;
use atende::db::now_ms;
use rocket::http::Status;

use crate::common::{App, PASSWORD};

#[rocket::async_test]
async fn login_success_goes_home_by_role_and_failure_explains() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.add_user("agent", "ana", PASSWORD).await;

    let wrong = app.login("ana", "senha-errada-123").await;
    assert_eq!(wrong.status, Status::Unauthorized);
    assert!(wrong.body.contains("E-mail, usuário ou senha incorretos."), "{}", wrong.body);
    assert!(wrong.body.contains(r#"value="ana""#), "the typed login is kept");

    let ok = app.login("ANA@EMPRESA.TEST", PASSWORD).await;
    assert_eq!(ok.status, Status::SeeOther);
    assert_eq!(ok.location.as_deref(), Some("/agent"));
    let agent = app.get("/agent").await;
    assert_eq!(agent.status, Status::Ok);
    assert!(agent.body.contains("Olá, ana Teste!"), "{}", agent.body);
    assert_eq!(app.get("/admin").await.status, Status::Forbidden, "an agent is not an administrator");

    let admin = app.other_browser().await;
    let page = admin.login("chefe", PASSWORD).await;
    assert_eq!(page.location.as_deref(), Some("/admin"));
}

#[rocket::async_test]
async fn unknown_login_answers_like_a_wrong_password() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    let unknown = app.login("ninguem@empresa.test", PASSWORD).await;
    let wrong = app.login("ana", "outra-senha-99").await;
    assert_eq!(unknown.status, wrong.status);
    let message = |body: &str| crate::common::extract(body, r#"role="alert">([^<]+)<"#);
    assert_eq!(message(&unknown.body), message(&wrong.body));
}

#[rocket::async_test]
async fn next_parameter_only_leads_inside_the_site() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    let page = app.post("/login", &[("login", "ana"), ("password", PASSWORD), ("next", "//evil.example/x")]).await;
    assert_eq!(page.location.as_deref(), Some("/agent"));
    app.logout().await;
    let page = app.post("/login", &[("login", "ana"), ("password", PASSWORD), ("next", "/account")]).await;
    assert_eq!(page.location.as_deref(), Some("/account"));
}

#[rocket::async_test]
async fn lockout_after_five_failures_until_admin_unlocks() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    for attempt in 1..=4 {
        let page = app.login("ana", "errada-000-x").await;
        assert_eq!(page.status, Status::Unauthorized, "attempt {attempt}");
    }
    let fifth = app.login("ana", "errada-000-x").await;
    assert_eq!(fifth.status, Status::TooManyRequests);
    assert!(fifth.body.contains("Seu login está temporariamente bloqueado"));
    // Even the right password is refused while locked.
    let right = app.login("ana", PASSWORD).await;
    assert!(right.body.contains("Seu login está temporariamente bloqueado"));
    let actions: i64 = app.sql("SELECT count(*) FROM audit_log WHERE action = 'login.lockout'");
    assert_eq!(actions, 1);

    let admin = app.other_browser().await;
    admin.sign_in("chefe", PASSWORD).await;
    let user_page = admin.get(&format!("/admin/users/{ana}")).await;
    assert!(user_page.body.contains("Bloqueado"));
    let unlocked = admin.post(&format!("/admin/users/{ana}/unlock"), &[]).await;
    assert_eq!(unlocked.status, Status::SeeOther);
    assert_eq!(app.login("ana", PASSWORD).await.status, Status::SeeOther);
    let audit: i64 = app.sql("SELECT count(*) FROM audit_log WHERE action = 'user.unlock'");
    assert_eq!(audit, 1);
}

#[rocket::async_test]
async fn parallel_wrong_passwords_still_lock() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    let token = app.csrf().await;
    let body = crate::common::encode(&[("csrf_token", &token), ("login", "ana"), ("password", "errada-paralela-1")]);
    let requests = (0..20)
        .map(|_| app.client.post("/login").header(rocket::http::ContentType::Form).body(body.clone()).dispatch());
    let responses = futures_join_all(requests).await;
    assert!(responses.iter().all(|s| *s == Status::Unauthorized || *s == Status::TooManyRequests));
    let locked: Option<i64> = app.sql("SELECT locked_until FROM users WHERE username = 'ana'");
    assert!(locked.is_some_and(|t| t > now_ms()), "20 parallel failures must lock the account");
    assert!(app.login("ana", PASSWORD).await.body.contains("temporariamente bloqueado"));
}

/// Runs the requests concurrently on the test runtime and returns their statuses.
async fn futures_join_all<'a, F>(requests: impl Iterator<Item = F>) -> Vec<Status>
where
    F: std::future::Future<Output = rocket::local::asynchronous::LocalResponse<'a>>,
{
    let mut set = Vec::new();
    for r in requests {
        set.push(Box::pin(r));
    }
    let mut statuses = Vec::new();
    // Poll all together: each login waits on argon2 in a blocking thread.
    let joined = rocket::futures::future::join_all(set).await;
    for response in joined {
        statuses.push(response.status());
    }
    statuses
}

#[rocket::async_test]
async fn network_restriction_refuses_other_networks_and_counts() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let admin = app.other_browser().await;
    admin.sign_in("chefe", PASSWORD).await;
    let saved = admin
        .post(
            &format!("/admin/users/{ana}"),
            &[
                ("name", "Ana"),
                ("email", "ana@empresa.test"),
                ("role", "agent"),
                ("phone", ""),
                ("extension", ""),
                ("allowed_networks", "10.0.0.0/8\n192.168.10.5"),
            ],
        )
        .await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);

    let outside = app.login("ana", PASSWORD).await;
    assert_eq!(outside.status, Status::Unauthorized);
    assert!(outside.body.contains("Acesso não permitido a partir desta rede"), "{}", outside.body);
    let failures: i64 = app.sql("SELECT failed_logins FROM users WHERE username = 'ana'");
    assert_eq!(failures, 1, "a refused network counts towards the lockout");

    let office = app.other_browser().await.from_address("10.20.30.40:5555");
    assert_eq!(office.login("ana", PASSWORD).await.status, Status::SeeOther);
}

#[rocket::async_test]
async fn logout_ends_the_session_and_marks_offline() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("ana", PASSWORD).await;
    assert_eq!(app.sql::<String>("SELECT status FROM users WHERE username = 'ana'"), "online");
    let page = app.logout().await;
    assert_eq!(page.location.as_deref(), Some("/login"));
    assert_eq!(app.sql::<String>("SELECT status FROM users WHERE username = 'ana'"), "offline");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM sessions"), 0);
    let after = app.get("/agent").await;
    assert_eq!(after.status, Status::SeeOther);
    assert_eq!(after.location.as_deref(), Some("/login?next=%2Fagent"));
}

#[rocket::async_test]
async fn reaper_expires_idle_sessions_and_takes_silent_agents_offline() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    app.add_user("agent", "bia", PASSWORD).await;
    app.sign_in("ana", PASSWORD).await;
    let bia = app.other_browser().await;
    bia.sign_in("bia", PASSWORD).await;

    // Ana's page went quiet 31 minutes ago (idle timeout is 30): her session expires and,
    // with no session left, she leaves routing. Bia is active but her browser stopped
    // sending heartbeats 3 minutes ago (limit 2).
    let now = now_ms();
    app.exec(&format!(
        "UPDATE sessions SET last_seen_at = {} WHERE user_id = (SELECT id FROM users WHERE username = 'ana');
         UPDATE users SET last_heartbeat_at = {} WHERE username = 'bia';",
        now - 31 * 60_000,
        now - 3 * 60_000
    ));
    let reaped = sessions::reap(app.db(), now).await.unwrap();
    assert_eq!(reaped.sessions, 1);
    assert_eq!(reaped.went_offline, 2, "ana (no session) and bia (no heartbeat)");
    assert_eq!(app.get("/agent").await.status, Status::SeeOther, "ana must sign in again");
    assert_eq!(bia.get("/agent").await.status, Status::Ok, "bia's session lives on");
    assert_eq!(app.sql::<String>("SELECT status FROM users WHERE username = 'bia'"), "offline");

    // A heartbeat keeps an agent routable.
    app.exec("UPDATE users SET status = 'online' WHERE username = 'bia'");
    assert_eq!(bia.post("/agent/heartbeat", &[]).await.status, Status::NoContent);
    assert_eq!(sessions::reap(app.db(), now_ms()).await.unwrap().went_offline, 0);
}

#[rocket::async_test]
async fn password_change_ends_other_sessions_only() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("ana", PASSWORD).await;
    let laptop = app.other_browser().await;
    laptop.sign_in("ana", PASSWORD).await;

    let refused = app
        .post(
            "/account/password",
            &[
                ("current_password", "errada-123-x"),
                ("password", "nova-senha-2027"),
                ("password_confirm", "nova-senha-2027"),
            ],
        )
        .await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("A senha atual está incorreta."));
    let weak = app
        .post(
            "/account/password",
            &[("current_password", PASSWORD), ("password", "curta"), ("password_confirm", "curta")],
        )
        .await;
    assert!(weak.body.contains("pelo menos 10 caracteres"), "{}", weak.body);

    let changed = app
        .post(
            "/account/password",
            &[("current_password", PASSWORD), ("password", "nova-senha-2027"), ("password_confirm", "nova-senha-2027")],
        )
        .await;
    assert_eq!(changed.status, Status::SeeOther);
    assert_eq!(app.get("/agent").await.status, Status::Ok, "this session stays");
    assert_eq!(laptop.get("/agent").await.status, Status::SeeOther, "the other session ended");
    assert_eq!(laptop.login("ana", PASSWORD).await.status, Status::Unauthorized);
    assert_eq!(laptop.login("ana", "nova-senha-2027").await.status, Status::SeeOther);
}

/// 40 sign-ins at once over real connections, 39 wrong and 1 right: no more passwords
/// are verified than the lockout allows, the right one is not given away by its answer,
/// and nothing answers 500.
#[test]
fn parallel_guesses_cannot_pass_the_lockout_or_reveal_the_password() {
    let server = crate::http::Server::start(|_| {});
    server.add_user("agent", "ana", PASSWORD);
    let limit = server.db().read_now(|c| Ok(atende::db::settings::load(c)?)).unwrap().lockout_attempts;
    let start = std::sync::Arc::new(std::sync::Barrier::new(40));
    let threads: Vec<_> = (0..40)
        .map(|i| {
            let (browser, start) = (server.browser(), start.clone());
            std::thread::spawn(move || {
                let password = if i == 20 { PASSWORD.to_string() } else { format!("errada-{i:02}-xyz") };
                let token = browser.get("/login");
                let csrf = crate::common::extract(&token.body, r#"name="csrf-token" content="([^"]+)""#).unwrap();
                let body = crate::common::encode(&[("csrf_token", &csrf), ("login", "ana"), ("password", &password)]);
                start.wait();
                let reply = browser.post_raw("/login", "application/x-www-form-urlencoded", body.into_bytes(), &[]);
                (i == 20, reply)
            })
        })
        .collect();
    let replies: Vec<(bool, crate::http::Reply)> = threads.into_iter().map(|t| t.join().unwrap()).collect();

    // A right password clears the count, as a sign-in always has: wrong ones are counted
    // before it and afresh after it, and neither run may pass the limit.
    let signed_in: i64 = server.sql("SELECT count(*) FROM audit_log WHERE action = 'login'");
    let login_at: i64 = server.sql("SELECT coalesce(max(id), 1 << 62) FROM audit_log WHERE action = 'login'");
    let wrong = "action = 'login.failed' AND details LIKE '%wrong-password%'";
    let before: i64 = server.sql(&format!("SELECT count(*) FROM audit_log WHERE {wrong} AND id < {login_at}"));
    let after: i64 = server.sql(&format!("SELECT count(*) FROM audit_log WHERE {wrong} AND id > {login_at}"));
    assert!(before <= limit, "{before} wrong passwords verified; the limit is {limit}");
    assert!(after <= limit, "{after} wrong passwords verified after the sign-in; the limit is {limit}");
    if signed_in == 1 {
        assert!(before < limit, "the right one came after the lock and still signed in: {before} before it");
    }
    assert!(before + after >= limit - 1, "the lockout engages only after the limit: {before} + {after}");
    for (right, reply) in &replies {
        assert!(reply.status < 500, "right={right}: {} {}", reply.status, reply.body);
    }
    let (_, right) = replies.iter().find(|(r, _)| *r).unwrap();
    if signed_in == 1 {
        assert_eq!(right.status, 303, "the right password was verified before the lock: it signs in");
    } else {
        // Locked before its turn: the same answer as a locked wrong password.
        let locked_wrong = replies.iter().find(|(r, reply)| !r && reply.status == 429).map(|(_, r)| r).unwrap();
        assert_eq!(right.status, 429);
        let alert = |body: &str| crate::common::extract(body, r#"role="alert">([^<]+)<"#);
        assert_eq!(alert(&right.body), alert(&locked_wrong.body));
    }
    let locked = replies.iter().filter(|(_, r)| r.status == 429).count() as i64;
    // Every attempt that was not verified is refused as locked.
    assert!(locked >= 40 - before - after - signed_in, "refused unverified: {locked} locked");
}
