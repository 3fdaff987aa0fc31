//! Bad input gets a clear page with the right status, never a 500, and loses nothing.

use rocket::http::{ContentType, Header, Method, Status};

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

/// Junk a careless client or a scanner puts in a query or a path segment.
fn junk() -> Vec<String> {
    [
        "zzzz",
        "%09",
        "a%09b",
        "%00",
        "%0d%0a",
        "%FF%FE",
        "-1",
        "0",
        "-9223372036854775809",
        "99999999999999999999",
        "1e9",
        "%3Cscript%3E",
        "..%2F..%2Fetc",
        "%2F%09x",
        "%2Fa%0Ab",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(["x".repeat(10_000)])
    .collect()
}

/// Every GET route, as anonymous, agent and administrator, with junk in every query
/// value and every path segment: a page or a refusal, never a 5xx.
#[rocket::async_test]
async fn no_get_route_answers_5xx_to_junk() {
    let app = App::new().await;
    atende::demo::seed(app.db()).unwrap();
    let engine = app.client.rocket().state::<atende::engine::Engine>().unwrap();
    atende::demo::fill_floor(engine).await.unwrap();
    let agent = app.other_browser().await;
    agent.sign_in("ana@demo.local", "atende-demo").await;
    let admin = app.other_browser().await;
    admin.sign_in("admin@demo.local", "atende-demo").await;

    let dynamic = regex_lite::Regex::new(r"<[^>]+>").unwrap();
    let routes: Vec<(String, Vec<String>)> = app
        .client
        .rocket()
        .routes()
        .filter(|r| r.method == Method::Get)
        .map(|r| {
            let names = r
                .uri
                .query()
                .map(|q| q.split('&').map(|p| p.trim_matches(['<', '>', '.']).to_string()).collect())
                .unwrap_or_default();
            (r.uri.path().to_string(), names)
        })
        .collect();
    assert!(routes.len() >= 40, "found only {}", routes.len());
    let (mut asked, mut failures) = (0, Vec::new());
    for (path, params) in &routes {
        // A real row for every segment first, then junk in each.
        let mut paths = vec![dynamic.replace_all(path, "1").to_string()];
        if dynamic.is_match(path) {
            paths.extend(junk().iter().map(|j| dynamic.replace_all(path, j.as_str()).to_string()));
        }
        for concrete in paths {
            let mut queries = vec![String::new()];
            queries.extend(junk().iter().map(|j| {
                // Every parameter the route reads, and two that pages read from links.
                let mut names: Vec<&str> = params.iter().map(String::as_str).collect();
                names.extend(["done", "next"].iter().filter(|n| !params.iter().any(|p| p == *n)));
                let all: Vec<String> = names.iter().map(|p| format!("{p}={j}")).collect();
                format!("?{}", all.join("&"))
            }));
            for query in &queries {
                for who in [&app, &agent, &admin] {
                    let uri = format!("{concrete}{query}");
                    let response = who.client.get(uri.clone()).dispatch().await;
                    let status = response.status();
                    asked += 1;
                    // Live streams never end: their status is enough.
                    if !concrete.ends_with("/events") {
                        let _ = response.into_string().await;
                    }
                    if status.code >= 500 {
                        failures.push(format!("GET {} answered {status}", &uri[..uri.len().min(120)]));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {asked} answers were 5xx:\n{}", failures.len(), failures.join("\n"));
    assert!(asked > 1000, "{asked}");
}

/// A `next` a header cannot carry is ignored: the sign-in and the language switch go home.
#[rocket::async_test]
async fn a_next_with_controls_is_ignored_not_a_500() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    for next in ["/\tx", "/a\nb", "/a b"] {
        let switched = app.post("/language", &[("lang", "en"), ("next", next)]).await;
        assert_eq!(switched.status, Status::SeeOther, "language with next={next:?}");
        assert_eq!(switched.location.as_deref(), Some("/"));
    }
    let signed_in = app.post("/login", &[("login", "ana"), ("password", PASSWORD), ("next", "/\tagent")]).await;
    assert_eq!(signed_in.status, Status::SeeOther);
    assert_eq!(signed_in.location.as_deref(), Some("/agent"));
}
