//! The permission matrix: every admin route, every permission. For each route exactly one
//! permission (and what implies it) lets an administrator through; every other single
//! permission gets 403; agents get 403 everywhere.

use std::collections::BTreeMap;

use atende::domain::permissions::{Action, Permission};
use rocket::http::{Method, Status};

use crate::common::{App, PASSWORD};

/// Admin routes as (method, path) with ids pointing nowhere (handlers answer 404 for
/// missing things after the permission check).
fn admin_routes(app: &App) -> Vec<(Method, String)> {
    let dynamic = regex_lite::Regex::new(r"<[^>]+>").unwrap();
    let mut routes: Vec<(Method, String)> = app
        .client
        .rocket()
        .routes()
        .filter(|r| r.uri.path().starts_with("/admin/"))
        .map(|r| (r.method, dynamic.replace_all(r.uri.path(), "999999").to_string()))
        .collect();
    routes.sort_by(|a, b| (a.1.clone(), a.0.as_str()).cmp(&(b.1.clone(), b.0.as_str())));
    routes.dedup();
    routes
}

async fn status(app: &App, method: Method, path: &str) -> Status {
    match method {
        // A live stream never ends: its status is the answer.
        Method::Get if path.ends_with("/events") => app.client.get(path.to_string()).dispatch().await.status(),
        Method::Get => app.get(path).await.status,
        // The token goes in the header too, so upload routes (multipart) answer on
        // their permission rather than on a token they cannot read from this body.
        _ => {
            let token = app.csrf().await;
            let body = crate::common::encode(&[("csrf_token", &token)]);
            let headers =
                vec![rocket::http::ContentType::Form.into(), rocket::http::Header::new("X-CSRF-Token", token)];
            app.post_with_headers(path, body.into_bytes(), headers).await.status
        }
    }
}

#[rocket::async_test]
async fn every_admin_route_needs_exactly_its_permission() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await; // keeps "Administrador geral" filled
    app.add_user("admin", "gestor", PASSWORD).await;
    app.add_user("agent", "ana", PASSWORD).await;
    let group: i64 = app.db().write_now(|tx| atende::db::groups::insert_group(tx, "Teste", &[])).unwrap();
    app.exec(&format!(
        "DELETE FROM user_groups WHERE user_id = (SELECT id FROM users WHERE username = 'gestor');
         INSERT INTO user_groups (user_id, group_id) SELECT id, {group} FROM users WHERE username = 'gestor';"
    ));
    let routes = admin_routes(&app);
    assert!(routes.len() >= 10, "{routes:?}");

    let agent = app.other_browser().await;
    agent.sign_in("ana", PASSWORD).await;
    for (method, path) in &routes {
        assert_eq!(status(&agent, *method, path).await, Status::Forbidden, "agent on {method} {path}");
    }

    app.sign_in("gestor", PASSWORD).await;
    for (method, path) in &routes {
        assert_eq!(
            status(&app, *method, path).await,
            Status::Forbidden,
            "admin without permissions on {method} {path}"
        );
    }

    // Which single permissions open each route.
    let mut opened: BTreeMap<(String, String), Vec<Permission>> = BTreeMap::new();
    for permission in Permission::all() {
        app.exec(&format!(
            "UPDATE permission_groups SET permissions = '[\"{}\"]' WHERE id = {group}",
            permission.code()
        ));
        for (method, path) in &routes {
            if status(&app, *method, path).await != Status::Forbidden {
                opened.entry((method.to_string(), path.clone())).or_default().push(permission);
            }
        }
    }
    for (method, path) in &routes {
        let allowed = opened.get(&(method.to_string(), path.clone())).cloned().unwrap_or_default();
        assert!(!allowed.is_empty(), "{method} {path}: no permission opens it");
        let areas: Vec<_> = allowed.iter().map(|p| p.0).collect();
        assert!(areas.iter().all(|a| *a == areas[0]), "{method} {path} opens for several areas: {allowed:?}");
        let area = areas[0];
        // Its area's address, or the list of one of its sections (Integrações: /admin/webhooks).
        let in_a_section = atende::web::admin::SECTIONS.iter().any(|(a, href, _)| *a == area && path.starts_with(href));
        assert!(
            path.starts_with(&format!("/admin/{}", section_path(area.code()))) || in_a_section,
            "{method} {path} guarded by {}",
            area.code()
        );
        // Either one action (create/edit/delete) or view, which any action of the area implies.
        let actions: Vec<Action> = allowed.iter().map(|p| p.1).collect();
        let view_route = actions.len() == area.actions().len();
        assert!(actions.len() == 1 || view_route, "{method} {path}: {allowed:?}");
        if *method == Method::Post {
            assert!(!view_route, "{method} {path} changes state with only a view permission");
        }
    }
}

/// The URL segment of an area's pages (accounts live under /admin/users).
fn section_path(area: &str) -> &str {
    match area {
        "agents" => "users",
        // Integrações' first page: the REST API's tokens.
        "integrations" => "api-tokens",
        other => other,
    }
}
