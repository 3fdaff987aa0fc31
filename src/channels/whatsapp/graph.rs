//! Calls to Meta's Graph API on behalf of one number: JSON in and out with the access
//! token as bearer, media uploads and downloads, and what its errors mean — whether to
//! try again later and, in words for the agent, why it refused. No secret ever reaches
//! a reason (the token travels only in the `Authorization` header).

use std::time::Duration;

use serde_json::Value;

use super::settings::Settings;
use super::words;

/// The largest JSON answer read from the Graph API.
const ANSWER_LIMIT: u64 = 1024 * 1024;

/// Graph error codes that mean "not now": rate limits and Meta's own trouble.
const TEMPORARY_CODES: [i64; 9] = [1, 2, 4, 17, 341, 80007, 130429, 131000, 131056];

#[derive(Debug, Clone, PartialEq)]
pub enum GraphError {
    /// Not now (429, 5xx, a rate limit code, the network): try again, after `after`
    /// when the API said.
    Temporary { reason: String, after: Option<Duration> },
    /// Never: the API refused with this code.
    Refused { code: i64, reason: String },
}

impl GraphError {
    pub fn reason(&self) -> &str {
        match self {
            GraphError::Temporary { reason, .. } | GraphError::Refused { reason, .. } => reason,
        }
    }
}

/// Why Graph (or WhatsApp after it, in a `failed` status) refused, for the agent: the
/// errors an agent can act on in their own words, any other with its code.
pub fn refusal_reason(code: i64, detail: &str) -> String {
    let key = match code {
        131047 => "whatsapp-error-window",
        131026 => "whatsapp-error-undeliverable",
        190 => "whatsapp-error-token",
        10 | 200..=299 => "whatsapp-error-permission",
        132001 => "whatsapp-error-template-missing",
        132000 | 132005 | 132007 | 132012 => "whatsapp-error-template-params",
        131051 => "whatsapp-error-unsupported",
        131052 | 131053 => "whatsapp-error-media",
        131042 => "whatsapp-error-payment",
        368 | 131031 => "whatsapp-error-blocked",
        _ => {
            let detail: String = detail.chars().take(200).collect();
            return words("whatsapp-error-general", &[("code", code.to_string()), ("detail", detail)]);
        }
    };
    words(key, &[])
}

/// What an error answer of the Graph API means.
fn classify(status: u16, body: &[u8], after: Option<Duration>) -> GraphError {
    let v: Value = serde_json::from_slice(body).unwrap_or_default();
    let error = &v["error"];
    let code = error["code"].as_i64();
    let detail = error["error_data"]["details"].as_str().or(error["message"].as_str()).unwrap_or_default();
    if status == 429 || status >= 500 || code.is_some_and(|c| TEMPORARY_CODES.contains(&c)) {
        let reason = match code {
            Some(c) if TEMPORARY_CODES.contains(&c) => words("whatsapp-error-rate", &[("code", c.to_string())]),
            _ => words("whatsapp-error-unavailable", &[("status", status.to_string())]),
        };
        return GraphError::Temporary { reason, after };
    }
    match code {
        Some(code) => GraphError::Refused { code, reason: refusal_reason(code, detail) },
        None => {
            GraphError::Refused { code: 0, reason: words("whatsapp-error-http", &[("status", status.to_string())]) }
        }
    }
}

/// A transport failure in words: its kind only (a URL could carry a signed query).
fn unreachable(e: &ureq::Error) -> GraphError {
    let kind = match e {
        ureq::Error::Timeout(_) => "timeout",
        ureq::Error::HostNotFound => "dns",
        ureq::Error::ConnectionFailed | ureq::Error::Io(_) => "connection",
        ureq::Error::Tls(_) => "tls",
        _ => "protocol",
    };
    GraphError::Temporary { reason: words("whatsapp-error-network", &[("kind", kind.into())]), after: None }
}

pub struct Graph {
    agent: ureq::Agent,
    /// `{api_base}/{version}`.
    root: String,
    bearer: String,
}

type Answer = Result<ureq::http::Response<ureq::Body>, ureq::Error>;

impl Graph {
    pub fn new(settings: &Settings) -> Graph {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(settings.timeout()))
            // The bearer token goes only where the API said, never on to a redirect.
            .max_redirects(0)
            .build()
            .new_agent();
        Graph {
            agent,
            root: format!("{}/{}", settings.api_base.trim_end_matches('/'), settings.graph_version),
            bearer: format!("Bearer {}", settings.access_token),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.root)
    }

    pub fn get_json(&self, path: &str) -> Result<Value, GraphError> {
        self.json(self.agent.get(self.url(path)).header("Authorization", &self.bearer).call())
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Result<Value, GraphError> {
        self.json(self.agent.post(self.url(path)).header("Authorization", &self.bearer).send_json(body))
    }

    pub fn post_bytes(&self, path: &str, content_type: &str, body: &[u8]) -> Result<Value, GraphError> {
        let request = self.agent.post(self.url(path)).header("Authorization", &self.bearer);
        self.json(request.header("Content-Type", content_type).send(body))
    }

    /// The bytes at a media URL the API gave (fetched with the same bearer token), at
    /// most `limit` of them, and the type it declared.
    pub fn download(&self, url: &str, limit: u64) -> Result<(Vec<u8>, String), GraphError> {
        let mut response =
            self.agent.get(url).header("Authorization", &self.bearer).call().map_err(|e| unreachable(&e))?;
        let status = response.status().as_u16();
        let declared =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let body = response.body_mut().with_config().limit(limit).read_to_vec();
        match body {
            Ok(bytes) if (200..300).contains(&status) => Ok((bytes, declared)),
            Ok(bytes) => Err(classify(status, &bytes, None)),
            Err(ureq::Error::BodyExceedsLimit(_)) => Err(GraphError::Refused {
                code: 0,
                reason: words("whatsapp-error-too-large", &[("mib", (limit / (1024 * 1024)).to_string())]),
            }),
            Err(e) => Err(unreachable(&e)),
        }
    }

    fn json(&self, answer: Answer) -> Result<Value, GraphError> {
        let mut response = answer.map_err(|e| unreachable(&e))?;
        let status = response.status().as_u16();
        let after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response.body_mut().with_config().limit(ANSWER_LIMIT).read_to_vec().map_err(|e| unreachable(&e))?;
        if !(200..300).contains(&status) {
            return Err(classify(status, &body, after));
        }
        serde_json::from_slice(&body).map_err(|_| GraphError::Temporary {
            reason: words("whatsapp-error-unavailable", &[("status", status.to_string())]),
            after: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_told_apart_and_worded() {
        let body = |code: i64| format!(r#"{{"error":{{"message":"m","type":"OAuthException","code":{code}}}}}"#);
        assert!(matches!(classify(429, b"", None), GraphError::Temporary { .. }));
        assert!(matches!(classify(503, b"oops", None), GraphError::Temporary { .. }));
        assert!(matches!(classify(400, body(130429).as_bytes(), None), GraphError::Temporary { .. }));
        let GraphError::Refused { code, reason } = classify(401, body(190).as_bytes(), None) else { panic!() };
        assert_eq!(code, 190);
        assert!(reason.contains("token"), "{reason}");
        assert!(refusal_reason(131047, "").contains("24 horas"));
        let other = refusal_reason(135000, "Generic user error");
        assert!(other.contains("135000") && other.contains("Generic user error"), "{other}");
        assert!(matches!(classify(404, b"<html>", None), GraphError::Refused { code: 0, .. }));
    }
}
