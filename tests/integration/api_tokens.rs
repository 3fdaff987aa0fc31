//! The REST API's tokens: made on "Tokens da API", shown once, stored hashed, scoped,
//! limited to networks, revocable, rate limited; JSON errors with stable codes; the
//! OpenAPI document names exactly the mounted routes.

use rocket::http::{Method, Status};
use serde_json::Value;

use crate::common::{extract, App, PASSWORD};

pub async fn signed_in_admin(app: &App) {
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
}

/// A token made on the admin page with these scopes (and networks); the token shown.
pub async fn make_token(app: &App, name: &str, scopes: &[&str], networks: &str) -> String {
    let mut fields = vec![("name", name), ("networks", networks)];
    fields.extend(scopes.iter().map(|s| ("scopes", *s)));
    let page = app.post("/admin/api-tokens", &fields).await;
    assert_eq!(page.status, Status::Created, "{}", page.body);
    extract(&page.body, r#"id="token" type="text" readonly value="(atd_[A-Za-z0-9_-]+)""#).expect("token shown")
}

pub async fn get(app: &App, path: &str, token: &str) -> (Status, Value) {
    let (status, body, _) = app.api(Method::Get, path, token, None, vec![]).await;
    (status, body)
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

#[rocket::async_test]
async fn a_token_is_shown_once_stored_hashed_used_and_revoked() {
    let app = App::new().await;
    signed_in_admin(&app).await;
    let token = make_token(&app, "ERP", &["teams:read"], "").await;
    assert!(token.starts_with("atd_") && token.len() == 47);
    let (hash, hint): (String, String) = app.rows("SELECT token_hash, hint FROM api_tokens").remove(0);
    assert_ne!(hash, token);
    assert_eq!(hash, atende::accounts::credentials::token_hash(&token), "the SHA-256 is kept");
    let everything: String = app.sql("SELECT group_concat(name || hint || scopes || networks) FROM api_tokens");
    assert!(!everything.contains(&token[8..]), "nothing but the hint of the token is stored");
    let list = app.get("/admin/api-tokens").await;
    assert!(list.body.contains("ERP") && list.body.contains(&hint));
    assert!(!list.body.contains(&token), "the list never shows the token again");
    assert!(list.body.contains("Nunca usado"));

    let used: Option<i64> = app.sql("SELECT last_used_at FROM api_tokens");
    assert!(used.is_none());
    let (status, teams) = get(&app, "/api/v1/teams", &token).await;
    assert_eq!(status, Status::Ok, "{teams}");
    let used: Option<i64> = app.sql("SELECT last_used_at FROM api_tokens");
    assert!(used.is_some(), "the last use is recorded");
    assert_eq!(app.sql::<String>("SELECT last_used_ip FROM api_tokens"), "127.0.0.1");

    let id: i64 = app.sql("SELECT id FROM api_tokens");
    let revoked = app.post(&format!("/admin/api-tokens/{id}/revoke"), &[]).await;
    assert_eq!(revoked.status, Status::SeeOther);
    let (status, body) = get(&app, "/api/v1/teams", &token).await;
    assert_eq!((status, code(&body)), (Status::Unauthorized, "unauthorized"));
    let actions = app.rows::<String, String>("SELECT action, target FROM audit_log WHERE action LIKE 'api_token.%'");
    assert_eq!(actions.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(), ["api_token.create", "api_token.revoke"]);
    let details: String = app.sql("SELECT group_concat(details) FROM audit_log WHERE action LIKE 'api_token.%'");
    assert!(!details.contains(&token) && !details.contains(&hash), "the audit log holds no secret");
}

#[rocket::async_test]
async fn the_form_refuses_a_token_without_name_scopes_or_with_a_bad_network() {
    let app = App::new().await;
    signed_in_admin(&app).await;
    let page = app.post("/admin/api-tokens", &[("name", ""), ("networks", "10.0.0.0/33")]).await;
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page.body.contains("Marque ao menos uma permissão"), "{}", page.body);
    assert!(page.body.contains("formato CIDR"));
    let page = app.post("/admin/api-tokens", &[("name", "CRM"), ("scopes", "teams:write")]).await;
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page.body.contains("Permissão desconhecida"));
    assert!(page.body.contains(r#"value="CRM""#), "what was typed stays");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM api_tokens"), 0);
}

#[rocket::async_test]
async fn only_administrators_granted_integrations_see_the_page() {
    let app = App::new().await;
    signed_in_admin(&app).await;
    let (agent, _) = crate::workspace::agent(&app, "ana").await;
    assert_eq!(agent.get("/admin/api-tokens").await.status, Status::Forbidden);
    assert_eq!(
        agent.post("/admin/api-tokens", &[("name", "x"), ("scopes", "teams:read")]).await.status,
        Status::Forbidden
    );
    let menu = app.get("/menu?q=tokens").await;
    assert!(menu.body.contains("/admin/api-tokens"), "the menu's search finds the page");
}

#[rocket::async_test]
async fn every_error_is_json_with_its_stable_code() {
    let app = App::new().await;
    signed_in_admin(&app).await;
    let token = make_token(&app, "ERP", &["contacts:read"], "").await;
    for bad in ["", "atd_nope", "Basic abc", &format!("atd_{}", "x".repeat(43))] {
        let (status, body) = get(&app, "/api/v1/contacts", bad).await;
        assert_eq!((status, code(&body)), (Status::Unauthorized, "unauthorized"), "{bad:?}: {body}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (status, body) = get(&app, "/api/v1/conversations", &token).await;
    assert_eq!((status, code(&body)), (Status::Forbidden, "forbidden_scope"));
    assert!(body["error"]["message"].as_str().unwrap().contains("conversations:read"));
    let (status, body) = get(&app, "/api/v1/contacts/999", &token).await;
    assert_eq!((status, code(&body)), (Status::NotFound, "not_found"));
    let (status, body) = get(&app, "/api/v1/nothing-here", &token).await;
    assert_eq!((status, code(&body)), (Status::NotFound, "not_found"), "an unknown route answers JSON too");
    let (status, body) = get(&app, "/api/v1/contacts?limit=1000", &token).await;
    assert_eq!(
        (status, code(&body), body["error"]["field"].as_str()),
        (Status::UnprocessableEntity, "validation_failed", Some("limit"))
    );
    let (status, body) = get(&app, "/api/v1/contacts?cursor=nope", &token).await;
    assert_eq!(body["error"]["field"], "cursor", "{status}");
    let (status, body, _) = app
        .api(Method::Get, "/api/v1/contacts/1", &token, None, vec![rocket::http::Header::new("Accept-Language", "en")])
        .await;
    assert_eq!((status, body["error"]["message"].as_str()), (Status::NotFound, Some("Not found.")));
}

#[rocket::async_test]
async fn a_scope_is_needed_for_each_resource() {
    let app = App::new().await;
    signed_in_admin(&app).await;
    let none_of_them = make_token(&app, "Relatórios", &["reports:read"], "").await;
    let reader = make_token(&app, "Leitor", &["contacts:read", "conversations:read", "teams:read"], "").await;
    let routes: [(Method, &str, &str); 8] = [
        (Method::Get, "/api/v1/contacts", "contacts:read"),
        (Method::Get, "/api/v1/contacts/1", "contacts:read"),
        (Method::Post, "/api/v1/contacts", "contacts:write"),
        (Method::Patch, "/api/v1/contacts/1", "contacts:write"),
        (Method::Get, "/api/v1/conversations", "conversations:read"),
        (Method::Get, "/api/v1/conversations/1", "conversations:read"),
        (Method::Get, "/api/v1/teams", "teams:read"),
        (Method::Get, "/api/v1/agents", "teams:read"),
    ];
    for (method, path, scope) in routes {
        let (status, body, _) = app.api(method, path, &none_of_them, Some("{}"), vec![]).await;
        assert_eq!((status, code(&body)), (Status::Forbidden, "forbidden_scope"), "{method} {path}");
        assert!(body["error"]["message"].as_str().unwrap().contains(scope), "{method} {path}: {body}");
    }
    // Reading does not let a token write, nor read a conversation's messages.
    let (status, body, _) = app.api(Method::Post, "/api/v1/contacts", &reader, Some(r#"{"name":"Ana"}"#), vec![]).await;
    assert_eq!((status, code(&body)), (Status::Forbidden, "forbidden_scope"));
    let (status, body) = get(&app, "/api/v1/conversations/1", &reader).await;
    assert!(body["error"]["message"].as_str().unwrap().contains("messages:read"), "{status} {body}");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contacts"), 0, "nothing was written");
}

#[rocket::async_test]
async fn a_token_limited_to_networks_is_refused_elsewhere() {
    let app = App::new().await;
    signed_in_admin(&app).await;
    let office = make_token(&app, "Escritório", &["teams:read"], "203.0.113.0/24").await;
    let (status, body) = get(&app, "/api/v1/teams", &office).await;
    assert_eq!((status, code(&body)), (Status::Forbidden, "forbidden_network"));
    assert!(app.sql::<Option<i64>>("SELECT last_used_at FROM api_tokens").is_none(), "a refused use is no use");
    let from_office = app.other_browser().await.from_address("203.0.113.9:5000");
    assert_eq!(get(&from_office, "/api/v1/teams", &office).await.0, Status::Ok);
}

#[rocket::async_test]
async fn a_token_over_its_rate_is_told_when_to_come_back() {
    let app = App::with_config(|c| c.rate_api_per_minute = 3).await;
    signed_in_admin(&app).await;
    let token = make_token(&app, "ERP", &["teams:read"], "").await;
    let other = make_token(&app, "CRM", &["teams:read"], "").await;
    for _ in 0..3 {
        assert_eq!(get(&app, "/api/v1/teams", &token).await.0, Status::Ok);
    }
    let (status, body, retry) = app.api(Method::Get, "/api/v1/teams", &token, None, vec![]).await;
    assert_eq!((status, code(&body)), (Status::TooManyRequests, "rate_limited"));
    let seconds: u64 = retry.expect("Retry-After").parse().unwrap();
    assert!((1..=20).contains(&seconds), "{seconds}");
    assert_eq!(get(&app, "/api/v1/teams", &other).await.0, Status::Ok, "each token has its own allowance");
}

/// Rocket's routes under /api/v1 as (method, path with `{id}`) pairs.
fn mounted(app: &App) -> std::collections::BTreeSet<(String, String)> {
    let dynamic = regex_lite::Regex::new(r"<([a-z_]+)>").unwrap();
    app.client
        .rocket()
        .routes()
        .filter(|r| r.uri.path().starts_with("/api/v1"))
        .map(|r| (r.method.as_str().to_lowercase(), dynamic.replace_all(r.uri.path(), "{$1}").to_string()))
        .collect()
}

#[rocket::async_test]
async fn the_openapi_document_names_every_mounted_route_and_only_those() {
    let app = App::new().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status, Status::Ok);
    let doc: Value = serde_json::from_str(&response.body).expect("JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    let documented: std::collections::BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| (m.clone(), path.clone())))
        .collect();
    assert_eq!(documented, mounted(&app));
    assert!(documented.len() >= 9);
}

/// The refusals schemathesis found answered but not documented (scripts/api-fuzz): a
/// path id that is no number, a body that is no JSON object, one too large.
#[rocket::async_test]
async fn every_refusal_answered_is_documented_for_its_operation() {
    let app = App::new().await;
    let made = crate::cli::atende(app.data_dir(), &["token", "add", "--name", "T", "--every-scope"], "");
    let token = String::from_utf8(made.stdout).unwrap().trim().to_string();
    let doc: Value = serde_json::from_str(&app.get("/api/v1/openapi.json").await.body).unwrap();
    let large = format!(r#"{{"name":"{}"}}"#, "a".repeat(1024 * 1024));
    let cases = [
        (Method::Get, "/api/v1/agents/null,null", "/api/v1/agents/{id}", None, 422, "validation_failed"),
        (Method::Get, "/api/v1/contacts/abc", "/api/v1/contacts/{id}", None, 422, "validation_failed"),
        (Method::Get, "/api/v1/conversations/1.5", "/api/v1/conversations/{id}", None, 422, "validation_failed"),
        (Method::Patch, "/api/v1/contacts/1", "/api/v1/contacts/{id}", Some("[]"), 400, "bad_request"),
        (Method::Post, "/api/v1/contacts", "/api/v1/contacts", Some("não é JSON"), 400, "bad_request"),
        // No body at all is an empty object: the fields it lacks are named.
        (Method::Post, "/api/v1/contacts", "/api/v1/contacts", Some(""), 422, "validation_failed"),
        (Method::Post, "/api/v1/contacts", "/api/v1/contacts", Some(large.as_str()), 413, "too_large"),
        (
            Method::Post,
            "/api/v1/conversations/1/messages",
            "/api/v1/conversations/{id}/messages",
            Some("[1]"),
            400,
            "bad_request",
        ),
        (
            Method::Post,
            "/api/v1/conversations/1/close",
            "/api/v1/conversations/{id}/close",
            Some(large.as_str()),
            413,
            "too_large",
        ),
    ];
    for (method, path, operation, body, status, error) in cases {
        let (got, answer, _) = app.api(method, path, &token, body, vec![]).await;
        assert_eq!((got.code, code(&answer)), (status, error), "{method} {path}: {answer}");
        let documented = &doc["paths"][operation][method.as_str().to_lowercase()]["responses"][status.to_string()];
        assert!(documented.is_object(), "{method} {operation} does not document its {status}");
    }
}

#[rocket::async_test]
async fn a_token_made_from_the_shell_holds_the_scopes_asked_for() {
    let app = App::new().await;
    let shell = |args: &[&str]| crate::cli::atende(app.data_dir(), args, "");
    let made = shell(&["token", "add", "--name", "ERP", "--scope", "teams:read"]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let token = String::from_utf8(made.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("atd_") && token.len() == 47, "{token}");
    assert_eq!(get(&app, "/api/v1/teams", &token).await.0, Status::Ok);
    let (status, body) = get(&app, "/api/v1/contacts", &token).await;
    assert_eq!((status, code(&body)), (Status::Forbidden, "forbidden_scope"));

    let every = shell(&["token", "add", "--name", "Testes", "--every-scope"]);
    let every = String::from_utf8(every.stdout).unwrap().trim().to_string();
    assert_eq!(get(&app, "/api/v1/contacts", &every).await.0, Status::Ok);
    let scopes: String = app.sql("SELECT scopes FROM api_tokens WHERE name = 'Testes'");
    assert!(scopes.contains("contacts:write") && scopes.contains("reports:read"), "{scopes}");

    let refused = shell(&["token", "add", "--name", "CRM", "--scope", "teams:write"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("scopes: Unknown permission"));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM api_tokens"), 2);
    let audited: String = app.sql("SELECT group_concat(ip) FROM audit_log WHERE action = 'api_token.create'");
    assert_eq!(audited, "cli,cli");
}
