//! Rate limits on the public surfaces, driven over real connections by parallel clients.
//! Client addresses come through the forwarded-for header of a trusted proxy, since every
//! test client connects from 127.0.0.1.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use atende::config::Config;
use serde_json::{json, Value};

use crate::common::{encode, extract};
use crate::http::{Browser, Reply, Server};

fn behind_proxy(config: &mut Config) {
    config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
}

/// `n` requests at once, one per thread; the replies in thread order.
fn burst(n: usize, request: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Vec<Reply> {
    let (start, request) = (Arc::new(Barrier::new(n)), Arc::new(request));
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let (start, request) = (start.clone(), request.clone());
            std::thread::spawn(move || {
                start.wait();
                request(i)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

fn count(replies: &[Reply], status: u16) -> usize {
    replies.iter().filter(|r| r.status == status).count()
}

fn new_visitor(browser: &Browser, key: &str, from: &str, lang: &str) -> Reply {
    let headers = [("X-Forwarded-For", from), ("Accept-Language", lang)];
    browser.post_json(&format!("/webchat/{key}/visitors"), &json!({ "name": "Visitante" }), &headers)
}

fn token(reply: &Reply) -> String {
    assert_eq!(reply.status, 201, "{}", reply.body);
    body(reply)["token"].as_str().expect("token").to_string()
}

fn send(browser: &Browser, key: &str, token: &str, client_id: &str) -> Reply {
    let bearer = format!("Bearer {token}");
    let message = json!({ "text": "Olá", "client_id": client_id });
    browser.post_json(&format!("/webchat/{key}/messages"), &message, &[("Authorization", &bearer)])
}

fn body(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("JSON body: {}", reply.body))
}

/// The `Retry-After` of a refusal, checked to be whole seconds within `most`.
fn retry_after(reply: &Reply, most: u64) -> u64 {
    let seconds: u64 = reply.header("Retry-After").expect("Retry-After header").parse().expect("whole seconds");
    assert!((1..=most).contains(&seconds), "Retry-After {seconds}, expected 1..={most}");
    seconds
}

/// A refusal on `/webchat`: 429, `Retry-After`, the widget's JSON error, readable cross-site.
fn assert_json_refusal(reply: &Reply, most: u64, message: impl Fn(u64) -> String) {
    assert_eq!(reply.status, 429, "{}", reply.body);
    let seconds = retry_after(reply, most);
    let error = body(reply);
    assert_eq!(error["code"], "error-too-many-requests", "{error}");
    assert_eq!(error["error"], message(seconds), "{error}");
    assert_eq!(reply.header("Access-Control-Allow-Origin"), Some("*"));
}

/// The catalogue's plural: "1 segundo", "2 segundos".
fn pt_message(seconds: u64) -> String {
    let unit = if seconds == 1 { "segundo" } else { "segundos" };
    format!("Muitas tentativas. Tente de novo em {seconds} {unit}.")
}

#[test]
fn a_burst_of_new_visitors_from_one_address_gets_exactly_the_limit() {
    let server = Server::start(|c| {
        behind_proxy(c);
        c.rate_visitors_per_minute = 5;
    });
    let key = server.web_chat();

    let (browser, k) = (server.browser(), key.clone());
    let replies = burst(20, move |_| new_visitor(&browser, &k, "203.0.113.7", "pt-BR"));
    assert_eq!(count(&replies, 201), 5, "{replies:#?}");
    assert_eq!(count(&replies, 429), 15, "{replies:#?}");
    // One every 12 seconds after the burst.
    for refused in replies.iter().filter(|r| r.status == 429) {
        assert_json_refusal(refused, 12, pt_message);
    }
    let english = new_visitor(&server.browser(), &key, "203.0.113.7", "en");
    assert_json_refusal(&english, 12, |s| {
        let unit = if s == 1 { "second" } else { "seconds" };
        format!("Too many attempts. Try again in {s} {unit}.")
    });

    // Another address has its own allowance: all of it passes, in parallel too.
    let (browser, k) = (server.browser(), key.clone());
    let others = burst(5, move |_| new_visitor(&browser, &k, "203.0.113.8", "pt-BR"));
    assert_eq!(count(&others, 201), 5, "{others:#?}");
    assert_eq!(server.sql::<i64>("SELECT count(*) FROM contacts"), 10, "refusals create no visitor");
}

#[test]
fn one_visitor_over_the_limit_does_not_hold_back_another() {
    let server = Server::start(|c| c.rate_visitor_messages_per_minute = 4);
    let key = server.web_chat();
    let browser = server.browser();
    let (ana, bia) = (
        token(&new_visitor(&browser, &key, "203.0.113.7", "pt-BR")),
        token(&new_visitor(&browser, &key, "203.0.113.7", "pt-BR")),
    );

    let (b, k, t) = (browser.clone(), key.clone(), ana.clone());
    let replies = burst(12, move |i| send(&b, &k, &t, &format!("a{i}")));
    assert_eq!(count(&replies, 201), 4, "{replies:#?}");
    assert_eq!(count(&replies, 429), 8, "{replies:#?}");
    for refused in replies.iter().filter(|r| r.status == 429) {
        assert_json_refusal(refused, 15, pt_message);
    }
    // Files share the messages' allowance.
    let bearer = format!("Bearer {ana}");
    let multipart = "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
                     Content-Type: text/plain\r\n\r\nolá\r\n--x--\r\n";
    let upload = browser.post_raw(
        &format!("/webchat/{key}/attachments"),
        "multipart/form-data; boundary=x",
        multipart.as_bytes().to_vec(),
        &[("Authorization", &bearer)],
    );
    assert_json_refusal(&upload, 15, pt_message);

    // Bia's allowance is untouched by Ana's: all of it passes, then she waits too.
    let (b, k, t) = (browser.clone(), key.clone(), bia.clone());
    let hers = burst(4, move |i| send(&b, &k, &t, &format!("b{i}")));
    assert_eq!(count(&hers, 201), 4, "{hers:#?}");
    assert_json_refusal(&send(&browser, &key, &bia, "b9"), 15, pt_message);
    assert_eq!(server.sql::<i64>("SELECT count(*) FROM messages WHERE direction = 'in'"), 8);
}

#[test]
fn after_waiting_retry_after_requests_pass_again() {
    // One a second after a burst of 60, so the wait is short.
    let server = Server::start(|c| c.rate_visitors_per_minute = 60);
    let key = server.web_chat();
    let browser = server.browser();
    let refused = (0..200)
        .map(|_| new_visitor(&browser, &key, "203.0.113.9", "pt-BR"))
        .find(|r| r.status != 201)
        .expect("the limit is reached within 200 visitors");
    assert_eq!(refused.status, 429, "{}", refused.body);
    let seconds = retry_after(&refused, 1);
    std::thread::sleep(Duration::from_secs(seconds));
    let again = new_visitor(&browser, &key, "203.0.113.9", "pt-BR");
    assert_eq!(again.status, 201, "{}", again.body);
}

/// Posts a form with the CSRF token of a sign-in page, as from `from`.
fn post_form(browser: &Browser, csrf: &str, path: &str, fields: &[(&str, &str)], from: &str) -> Reply {
    let mut all = vec![("csrf_token", csrf)];
    all.extend_from_slice(fields);
    let body = encode(&all).into_bytes();
    browser.post_raw(path, "application/x-www-form-urlencoded", body, &[("X-Forwarded-For", from)])
}

fn assert_page_refusal(reply: &Reply, most: u64) {
    assert_eq!(reply.status, 429, "{}", reply.body);
    let seconds = retry_after(reply, most);
    assert!(reply.header("Content-Type").unwrap_or_default().starts_with("text/html"));
    assert!(reply.body.contains(&pt_message(seconds)), "{}", reply.body);
}

#[test]
fn sign_in_and_password_reset_over_the_limit_get_the_page_with_retry_after() {
    let server = Server::start(|c| {
        behind_proxy(c);
        c.rate_sign_in_per_minute = 3;
        c.rate_password_reset_per_minute = 2;
    });
    let browser = server.browser();
    let page = browser.get("/login");
    let csrf = extract(&page.body, r#"name="csrf-token" content="([^"]+)""#).expect("CSRF token");
    let login =
        |from: &str| post_form(&browser, &csrf, "/login", &[("login", "ninguem"), ("password", "errada-123456")], from);

    let (b, c) = (browser.clone(), csrf.clone());
    let attempts = burst(3, move |_| {
        post_form(&b, &c, "/login", &[("login", "ninguem"), ("password", "errada-123456")], "198.51.100.1")
    });
    assert_eq!(count(&attempts, 401), 3, "under the limit every attempt is answered: {attempts:#?}");
    assert_page_refusal(&login("198.51.100.1"), 20);
    // The code step shares the allowance of the password step.
    assert_page_refusal(&post_form(&browser, &csrf, "/login/2fa", &[("code", "123456")], "198.51.100.1"), 20);
    assert_eq!(login("198.51.100.2").status, 401, "another address is not held back");
    assert_eq!(browser.get("/login").status, 200, "pages are not limited");

    let forgot = |from: &str| post_form(&browser, &csrf, "/password/forgot", &[("email", "x@empresa.test")], from);
    assert_eq!(forgot("198.51.100.1").status, 200);
    assert_eq!(forgot("198.51.100.1").status, 200);
    assert_page_refusal(&forgot("198.51.100.1"), 30);
    assert_eq!(forgot("198.51.100.2").status, 200);
}
