//! The Bot API over HTTP: `<base>/bot<token>/<method>` and `<base>/file/bot<token>/<path>`.
//! Every URL holds the token, so none is ever logged, and any error text that could
//! hold one (a transport error naming its URL) is scrubbed before it leaves here.

use std::time::Duration;

use serde_json::Value;

use super::settings::Settings;
use crate::i18n;

/// The largest answer to a method call read (a batch of 100 updates is far smaller).
const ANSWER_LIMIT: u64 = 8 * 1024 * 1024;
/// The largest file a bot may download (`getFile`).
pub const DOWNLOAD_LIMIT: u64 = 20 * 1024 * 1024;

/// Why a call did not give its result.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// Telegram answered `{"ok": false, …}`.
    Refused { code: u16, description: String, retry_after: Option<u64> },
    /// No answer from Telegram itself (network, timeout, a proxy's 5xx page).
    Unreachable(String),
    /// The file is larger than a bot may download.
    TooLarge,
}

impl Failure {
    /// Worth trying again later (rate limit, Telegram or the network down).
    pub fn is_transient(&self) -> bool {
        match self {
            Failure::Refused { code, .. } => *code == 429 || *code >= 500,
            Failure::Unreachable(_) => true,
            Failure::TooLarge => false,
        }
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::Refused { retry_after: Some(s), .. } => Some(Duration::from_secs(*s)),
            _ => None,
        }
    }

    /// In words for the administrator or the agent (the company's default language).
    pub fn reason(&self) -> String {
        match self {
            Failure::Refused { code: 401, .. } => words("telegram-token-refused", &[]),
            Failure::Refused { code: 409, .. } => words("telegram-conflict", &[]),
            Failure::Refused { code: 429, retry_after, .. } => {
                words("telegram-rate-limited", &[("seconds", retry_after.unwrap_or(1).to_string())])
            }
            Failure::Refused { code, description, .. } => {
                let lower = description.to_lowercase();
                let key = match *code {
                    403 if lower.contains("blocked") => "telegram-blocked",
                    403 if lower.contains("deactivated") => "telegram-deactivated",
                    400 if lower.contains("chat not found") => "telegram-chat-not-found",
                    400 if lower.contains("too big") => "telegram-file-too-large",
                    c if c >= 500 => "telegram-unavailable",
                    _ => "telegram-refused",
                };
                words(key, &[("code", code.to_string()), ("description", description.clone())])
            }
            Failure::Unreachable(why) => words("telegram-unreachable", &[("why", why.clone())]),
            Failure::TooLarge => words("telegram-file-too-large", &[]),
        }
    }
}

/// A catalogue text in the company's default language: reasons are stored as text.
pub fn words(key: &str, args: &[(&'static str, String)]) -> String {
    let args: Vec<_> = args.iter().map(|(k, v)| (*k, v.clone().into())).collect();
    i18n::translate_with(i18n::DEFAULT, key, &args)
}

/// One bot's endpoint.
pub struct Api {
    base: String,
    token: String,
    agent: ureq::Agent,
}

/// The multipart body of a file upload.
pub struct Upload<'a> {
    pub fields: Vec<(&'static str, String)>,
    pub file_field: &'static str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub bytes: Vec<u8>,
}

impl Api {
    /// Calls answer within `timeout` (a long poll's own wait must fit in it).
    pub fn new(settings: &Settings, timeout: Duration) -> Api {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .new_agent();
        Api { base: settings.api_base.trim_end_matches('/').to_string(), token: settings.bot_token.clone(), agent }
    }

    /// The API's address (no secret in it).
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, method: &str) -> String {
        format!("{}/bot{}/{method}", self.base, self.token)
    }

    /// The token, wherever a text could carry it, replaced.
    fn scrub(&self, text: String) -> String {
        if self.token.is_empty() {
            text
        } else {
            text.replace(&self.token, "<token>")
        }
    }

    fn unreachable(&self, e: ureq::Error) -> Failure {
        Failure::Unreachable(self.scrub(e.to_string()))
    }

    pub fn get(&self, method: &str, query: &[(&str, String)]) -> Result<Value, Failure> {
        let mut request = self.agent.get(self.url(method));
        for (k, v) in query {
            request = request.query(*k, v);
        }
        self.answer(request.call())
    }

    pub fn post_json(&self, method: &str, body: &Value) -> Result<Value, Failure> {
        self.answer(self.agent.post(self.url(method)).send_json(body))
    }

    pub fn post_file(&self, method: &str, upload: Upload) -> Result<Value, Failure> {
        let boundary = format!("atende-{:032x}", rand::random::<u128>());
        let body = multipart(&boundary, upload);
        let request =
            self.agent.post(self.url(method)).content_type(format!("multipart/form-data; boundary={boundary}"));
        self.answer(request.send(&body[..]))
    }

    /// The `result` of an `{"ok": true}` answer, or why there is none.
    fn answer(&self, response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<Value, Failure> {
        let mut response = response.map_err(|e| self.unreachable(e))?;
        let status = response.status().as_u16();
        let read = response.body_mut().with_config().limit(ANSWER_LIMIT).read_json::<Value>();
        let body = match read {
            Ok(body) => body,
            Err(_) if status >= 500 => return Err(Failure::Unreachable(format!("HTTP {status}"))),
            Err(e) if status < 300 => return Err(self.unreachable(e)),
            Err(_) => return Err(Failure::Refused { code: status, description: String::new(), retry_after: None }),
        };
        if body["ok"].as_bool() == Some(true) {
            return Ok(body["result"].clone());
        }
        Err(Failure::Refused {
            code: body["error_code"].as_u64().and_then(|c| u16::try_from(c).ok()).unwrap_or(status),
            description: self.scrub(body["description"].as_str().unwrap_or_default().chars().take(300).collect()),
            retry_after: body["parameters"]["retry_after"].as_u64(),
        })
    }

    /// A file by its `file_id`: `getFile`, then its bytes (at most 20 MB).
    pub fn download(&self, file_id: &str) -> Result<Vec<u8>, Failure> {
        let file = self.get("getFile", &[("file_id", file_id.to_string())])?;
        if file["file_size"].as_u64().is_some_and(|size| size > DOWNLOAD_LIMIT) {
            return Err(Failure::TooLarge);
        }
        let Some(path) = file["file_path"].as_str() else {
            // Telegram gives no path for a file a bot may not download.
            return Err(Failure::TooLarge);
        };
        let url = format!("{}/file/bot{}/{path}", self.base, self.token);
        let mut response = self.agent.get(url).call().map_err(|e| self.unreachable(e))?;
        let status = response.status().as_u16();
        if status >= 500 || status == 429 {
            return Err(Failure::Unreachable(format!("HTTP {status}")));
        }
        if status >= 300 {
            return Err(Failure::Refused { code: status, description: String::new(), retry_after: None });
        }
        match response.body_mut().with_config().limit(DOWNLOAD_LIMIT).read_to_vec() {
            Ok(bytes) => Ok(bytes),
            Err(ureq::Error::BodyExceedsLimit(_)) => Err(Failure::TooLarge),
            Err(e) => Err(self.unreachable(e)),
        }
    }
}

/// `multipart/form-data` (RFC 7578): the text fields, then the file.
fn multipart(boundary: &str, upload: Upload) -> Vec<u8> {
    let mut body = Vec::with_capacity(upload.bytes.len() + 1024);
    for (name, value) in &upload.fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    // Quotes and line breaks would end the header early; the name is only a label.
    let file_name: String =
        upload.file_name.chars().map(|c| if c == '"' || c == '\\' || c.is_control() { '_' } else { c }).collect();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{file_name}\"\r\nContent-Type: {}\r\n\r\n",
            upload.file_field, upload.content_type
        )
        .as_bytes(),
    );
    body.extend_from_slice(&upload.bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_words_and_transient_ones_come_back() {
        let refused = |code: u16, description: &str| Failure::Refused {
            code,
            description: description.into(),
            retry_after: if code == 429 { Some(7) } else { None },
        };
        assert_eq!(refused(403, "Forbidden: bot was blocked by the user").reason(), "O cliente bloqueou o bot");
        assert!(refused(401, "Unauthorized").reason().contains("401"));
        assert!(refused(409, "Conflict: terminated by other getUpdates request").reason().contains("409"));
        assert!(refused(429, "Too Many Requests: retry after 7").reason().contains('7'));
        assert!(refused(429, "").is_transient() && refused(502, "").is_transient());
        assert!(!refused(400, "Bad Request: chat not found").is_transient());
        assert_eq!(refused(429, "").retry_after(), Some(Duration::from_secs(7)));
        assert!(Failure::Unreachable("timeout".into()).is_transient());
    }

    #[test]
    fn a_file_name_cannot_break_the_multipart_header() {
        let upload = Upload {
            fields: vec![("chat_id", "42".into())],
            file_field: "document",
            file_name: "a\"b\r\nc.pdf",
            content_type: "application/pdf",
            bytes: b"%PDF".to_vec(),
        };
        let body = String::from_utf8(multipart("B", upload)).unwrap();
        assert!(body.contains("filename=\"a_b__c.pdf\""));
        assert!(body.starts_with("--B\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n42\r\n"));
        assert!(body.ends_with("%PDF\r\n--B--\r\n"));
    }
}
