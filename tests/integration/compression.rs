//! Gzip for what our own pages fetch: a page asked for from our own origin (or typed by
//! the user) comes gzipped and reads back whole; the same page asked for from another
//! site comes plain (a secret beside text another site chose is never compressed); our
//! static files always may be; a live stream never is.

use std::io::Read;

use rocket::http::Header;
use rocket::local::asynchronous::LocalResponse;

use crate::common::{App, PASSWORD};

/// A GET as a browser sends it: what it accepts and where it says the request came from.
async fn get<'c>(app: &'c App, path: &str, accept: &'static str, site: Option<&'static str>) -> LocalResponse<'c> {
    let mut request = app.client.get(path.to_string()).header(Header::new("Accept-Encoding", accept));
    if let Some(site) = site {
        request = request.header(Header::new("Sec-Fetch-Site", site));
    }
    request.dispatch().await
}

async fn fetch(app: &App, path: &str, site: Option<&'static str>) -> (Option<String>, Vec<u8>) {
    let response = get(app, path, "gzip, deflate, br", site).await;
    let encoding = response.headers().get_one("Content-Encoding").map(str::to_string);
    (encoding, response.into_bytes().await.unwrap_or_default())
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).expect("a gzip body");
    text
}

#[rocket::async_test]
async fn our_own_pages_come_gzipped_and_whole_and_another_sites_requests_plain() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let plain = app.get("/admin/monitoring").await.body;
    assert!(plain.contains("csrf-token"), "the page holds the CSRF token");

    for site in ["same-origin", "none"] {
        let (encoding, body) = fetch(&app, "/admin/monitoring", Some(site)).await;
        assert_eq!(encoding.as_deref(), Some("gzip"), "Sec-Fetch-Site: {site}");
        let text = gunzip(&body);
        assert!(body.len() * 2 < text.len(), "gzip shrinks the page: {} of {}", body.len(), text.len());
        assert!(text.contains("csrf-token") && text.trim_end().ends_with("</html>"), "the page whole");
    }
    for site in [Some("cross-site"), Some("same-site"), None] {
        let (encoding, body) = fetch(&app, "/admin/monitoring", site).await;
        assert_eq!(encoding, None, "Sec-Fetch-Site: {site:?}");
        assert!(String::from_utf8_lossy(&body).contains("csrf-token"));
    }
    // Without gzip among what the browser accepts, nothing is compressed.
    let response = get(&app, "/admin/monitoring", "gzip;q=0, br", Some("same-origin")).await;
    assert_eq!(response.headers().get_one("Content-Encoding"), None);
}

#[rocket::async_test]
async fn static_files_are_gzipped_for_anyone_and_live_streams_never() {
    let app = App::new().await;
    let page = app.get("/login").await.body;
    let script = crate::common::extract(&page, r#"src="(/static/app\.js\?v=[^"]+)""#).expect("app.js on the page");
    let (encoding, body) = fetch(&app, &script, None).await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert!(gunzip(&body).contains("use strict"), "app.js whole");

    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let response = get(&app, "/admin/monitoring/events", "gzip", Some("same-origin")).await;
    assert_eq!(response.status(), rocket::http::Status::Ok);
    assert_eq!(response.headers().get_one("Content-Encoding"), None, "the stream goes as it comes");
}
