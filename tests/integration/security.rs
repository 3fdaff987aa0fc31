//! CSRF on every state-changing route, security headers, authorisation boundaries.

use rocket::http::{ContentType, Header, Method, Status};

use crate::common::{encode, App, PASSWORD};

#[rocket::async_test]
async fn every_post_route_refuses_a_missing_or_wrong_token() {
    let app = App::new().await;
    let admin = app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let routes: Vec<String> = app
        .client
        .rocket()
        .routes()
        .filter(|r| r.method != Method::Get && r.method != Method::Head)
        // The web chat visitor API uses bearer tokens, not cookies: no CSRF to check.
        .filter(|r| !r.uri.path().starts_with("/webchat/"))
        // Webhooks are signed by the service that calls them (Meta's app secret).
        .filter(|r| !r.uri.path().starts_with("/webhooks/"))
        // The REST API uses bearer tokens, not cookies (its own tests refuse without one).
        .filter(|r| !r.uri.path().starts_with("/api/"))
        // Every dynamic segment (<id>, <team> …) points at a real row: the admin's id.
        .map(|r| regex_lite::Regex::new(r"<[^>]+>").unwrap().replace_all(r.uri.path(), admin.to_string()).to_string())
        .collect();
    assert!(routes.len() >= 15, "found only {routes:?}");
    for path in &routes {
        let without = app.post_raw(path, "name=x").await;
        assert_eq!(without.status, Status::Forbidden, "POST {path} without token");
        let wrong = app.post_raw(path, "csrf_token=forged&name=x").await;
        assert_eq!(wrong.status, Status::Forbidden, "POST {path} with a forged token");
    }
    // Nothing changed: still signed in, same account.
    assert_eq!(app.get("/admin").await.status, Status::Ok);
}

#[rocket::async_test]
async fn cross_site_origin_is_refused_even_with_the_token() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    let token = app.csrf().await;
    let body = encode(&[("csrf_token", &token), ("login", "ana"), ("password", PASSWORD)]);
    let evil = app
        .post_with_headers(
            "/login",
            body.clone().into_bytes(),
            vec![ContentType::Form.into(), Header::new("Origin", "https://evil.example")],
        )
        .await;
    assert_eq!(evil.status, Status::Forbidden);
    let ours = app
        .post_with_headers(
            "/login",
            body.into_bytes(),
            vec![ContentType::Form.into(), Header::new("Origin", "http://localhost"), Header::new("Host", "localhost")],
        )
        .await;
    assert_eq!(ours.status, Status::SeeOther);
}

#[rocket::async_test]
async fn htmx_header_carries_the_token() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("ana", PASSWORD).await;
    let token = app.get("/agent").await.csrf();
    let beat = app
        .post_with_headers(
            "/agent/heartbeat",
            Vec::new(),
            vec![Header::new("X-CSRF-Token", token), Header::new("HX-Request", "true")],
        )
        .await;
    assert_eq!(beat.status, Status::NoContent);
}

#[rocket::async_test]
async fn security_headers_on_pages_and_errors() {
    let app = App::new().await;
    for path in ["/login", "/no-such-page", "/healthz"] {
        let response = app.client.get(path).dispatch().await;
        let h = response.headers();
        let csp = h.get_one("Content-Security-Policy").unwrap_or_default();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(h.get_one("X-Content-Type-Options"), Some("nosniff"), "{path}");
        assert_eq!(h.get_one("X-Frame-Options"), Some("DENY"), "{path}");
        assert_eq!(h.get_one("Referrer-Policy"), Some("same-origin"), "{path}");
    }
    let page = app.get("/login").await;
    assert!(!page.body.contains("<script>"), "no inline script");
    let cookies = app.client.get("/login").dispatch().await;
    for c in cookies.headers().get("Set-Cookie") {
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax"), "{c}");
    }
}

#[rocket::async_test]
async fn agents_and_strangers_never_reach_admin_pages() {
    let app = App::new().await;
    let chefe = app.add_user("admin", "chefe", PASSWORD).await;
    app.add_user("agent", "ana", PASSWORD).await;
    let admin_gets = ["/admin", "/admin/users", "/admin/users/new", &format!("/admin/users/{chefe}")].map(String::from);
    for path in &admin_gets {
        let stranger = app.get(path).await;
        assert_eq!(stranger.status, Status::SeeOther, "{path}");
        assert!(stranger.location.unwrap().starts_with("/login?next="));
    }
    app.sign_in("ana", PASSWORD).await;
    for path in &admin_gets {
        let page = app.get(path).await;
        assert_eq!(page.status, Status::Forbidden, "{path}");
        assert!(page.body.contains("Você não tem permissão"));
    }
    let deactivate = app.post(&format!("/admin/users/{chefe}/deactivate"), &[]).await;
    assert_eq!(deactivate.status, Status::Forbidden);
    assert_eq!(app.sql::<i64>(&format!("SELECT active FROM users WHERE id = {chefe}")), 1);
}

#[rocket::async_test]
async fn static_files_are_cached_by_content_hash() {
    let app = App::new().await;
    let page = app.get("/login").await;
    let css = crate::common::extract(&page.body, r#"href="([^"]*app\.css\?v=[0-9a-f]+)""#)
        .expect("hashed css url")
        .replace("&#x2F;", "/");
    let response = app.client.get(css).dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.content_type(), Some(ContentType::CSS));
    assert!(response.headers().get_one("Cache-Control").unwrap().contains("immutable"));
    let etag = response.headers().get_one("ETag").unwrap().to_string();
    let again = app.client.get("/static/app.css").header(Header::new("If-None-Match", etag)).dispatch().await;
    assert_eq!(again.status(), Status::NotModified);
    let htmx = app.client.get("/static/vendor/htmx.min.js").dispatch().await;
    assert_eq!(htmx.status(), Status::Ok);
    assert!(htmx.into_string().await.unwrap().contains("htmx"));
    assert_eq!(app.get("/static/../Cargo.toml").await.status, Status::NotFound);
}

#[rocket::async_test]
async fn forwarded_address_is_believed_only_from_a_trusted_proxy() {
    let restricted =
        |app: &App| app.exec("UPDATE users SET allowed_networks = '203.0.113.0/24' WHERE username = 'ana'");
    let forwarded = || vec![ContentType::Form.into(), Header::new("X-Forwarded-For", "203.0.113.9")];

    // Without a trusted proxy the header is ignored: the socket address counts.
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    restricted(&app);
    let token = app.csrf().await;
    let body = encode(&[("csrf_token", &token), ("login", "ana"), ("password", PASSWORD)]);
    let spoofed = app.post_with_headers("/login", body.into_bytes(), forwarded()).await;
    assert!(spoofed.body.contains("Acesso não permitido a partir desta rede"));

    // Behind a trusted proxy on 127.0.0.1 the forwarded client address is used.
    let app = App::with_config(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await;
    app.add_user("agent", "ana", PASSWORD).await;
    restricted(&app);
    let token = app.csrf().await;
    let body = encode(&[("csrf_token", &token), ("login", "ana"), ("password", PASSWORD)]);
    let proxied = app.post_with_headers("/login", body.into_bytes(), forwarded()).await;
    assert_eq!(proxied.status, Status::SeeOther);
    let ip: String = app.sql("SELECT ip FROM sessions");
    assert_eq!(ip, "203.0.113.9");
}
