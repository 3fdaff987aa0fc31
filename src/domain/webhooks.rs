//! Outgoing webhooks' rules: the events a subscription may receive, what a target
//! address must look like, the signature a receiver checks, and how long a delivery is
//! retried. Whether a resolved address may be called is `network::is_public`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Every event, in the order the form offers them.
pub const EVENTS: [&str; 9] = [
    "conversation.opened",
    "conversation.assigned",
    "conversation.transferred",
    "conversation.closed",
    "message.created",
    "message.status",
    "contact.created",
    "contact.updated",
    "survey.answered",
];

/// The payloads' version (`"version": 1`); a change that breaks a receiver is a new one.
pub const VERSION: i64 = 1;

/// A delivery is retried for this long after its change (or its last "Reenviar"),
/// then dead-lettered.
pub const RETRY_FOR_MS: i64 = 24 * 60 * 60 * 1000;

/// The longest target address kept.
pub const MAX_URL: usize = 2000;

/// The chosen events as stored: known ones only, in `EVENTS` order, once each,
/// separated by spaces. `Err` names the first unknown one.
pub fn events_text(chosen: &[String]) -> Result<String, String> {
    if let Some(unknown) = chosen.iter().find(|e| !EVENTS.contains(&e.as_str())) {
        return Err(unknown.clone());
    }
    Ok(EVENTS.iter().filter(|e| chosen.iter().any(|c| c == *e)).copied().collect::<Vec<_>>().join(" "))
}

/// The stored events as a list.
pub fn events_of(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// Where a subscription's deliveries go, as checked: the scheme, the host as written
/// (a name or an address literal, without brackets) and the port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub https: bool,
    pub host: String,
    pub port: u16,
}

/// Why a target address is refused (the catalogue key of its message).
pub fn parse_target(url: &str) -> Result<Target, &'static str> {
    let url = url.trim();
    if url.is_empty() {
        return Err("webhooks-url-required");
    }
    if url.len() > MAX_URL || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("webhooks-url-invalid");
    }
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err("webhooks-url-scheme");
    }
    let uri: ureq::http::Uri = url.parse().map_err(|_| "webhooks-url-invalid")?;
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err("webhooks-url-scheme"),
    };
    let authority = uri.authority().ok_or("webhooks-url-invalid")?;
    if authority.as_str().contains('@') {
        return Err("webhooks-url-credentials");
    }
    let host = authority.host().trim_start_matches('[').trim_end_matches(']').to_string();
    if host.is_empty() {
        return Err("webhooks-url-invalid");
    }
    let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
    Ok(Target { https, host, port })
}

/// `X-Atende-Signature`: `sha256=` and the hex HMAC-SHA256 of `timestamp.body` under
/// the subscription's secret.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// What an answer's status means: 2xx delivered; anything else (3xx included: no
/// redirect is followed) a failed attempt.
pub fn delivered(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Whether a delivery that failed at `now` is given up on: its retries began at
/// `retry_since` and ran their 24 hours.
pub fn gives_up(retry_since: i64, now: i64) -> bool {
    now - retry_since >= RETRY_FOR_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_kept_known_and_in_order() {
        let chosen = vec!["message.created".to_string(), "conversation.opened".into(), "message.created".into()];
        assert_eq!(events_text(&chosen), Ok("conversation.opened message.created".into()));
        assert_eq!(events_text(&["message.deleted".into()]), Err("message.deleted".into()));
        assert_eq!(events_of("a b"), vec!["a", "b"]);
        assert_eq!(events_text(&[]), Ok(String::new()));
    }

    #[test]
    fn targets_are_http_with_a_host_and_no_credentials() {
        assert_eq!(
            parse_target(" https://hooks.example.com/atende?x=1 "),
            Ok(Target { https: true, host: "hooks.example.com".into(), port: 443 })
        );
        assert_eq!(parse_target("http://[::1]:8080/x"), Ok(Target { https: false, host: "::1".into(), port: 8080 }));
        assert_eq!(parse_target("http://127.0.0.1:9/"), Ok(Target { https: false, host: "127.0.0.1".into(), port: 9 }));
        assert_eq!(parse_target(""), Err("webhooks-url-required"));
        assert_eq!(parse_target("ftp://example.com/"), Err("webhooks-url-scheme"));
        assert_eq!(parse_target("example.com/hook"), Err("webhooks-url-scheme"));
        assert_eq!(parse_target("https://user:pw@example.com/"), Err("webhooks-url-credentials"));
        assert_eq!(parse_target("https://exa mple.com/"), Err("webhooks-url-invalid"));
        assert_eq!(parse_target(&format!("https://example.com/{}", "a".repeat(MAX_URL))), Err("webhooks-url-invalid"));
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac segredo
        assert_eq!(
            signature("segredo", 1_700_000_000, br#"{"a":1}"#),
            "sha256=41634607aa61528682a37f94a43a64ca2d3a6a30bc8f2fb88f8f754286d90e85"
        );
        assert_ne!(
            signature("segredo", 1_700_000_001, br#"{"a":1}"#),
            signature("segredo", 1_700_000_000, br#"{"a":1}"#)
        );
    }

    #[test]
    fn only_2xx_is_delivered_and_retries_end_after_a_day() {
        assert!(delivered(200) && delivered(204) && delivered(299));
        assert!(!delivered(301) && !delivered(302) && !delivered(500) && !delivered(199));
        assert!(!gives_up(0, RETRY_FOR_MS - 1));
        assert!(gives_up(0, RETRY_FOR_MS));
    }
}
