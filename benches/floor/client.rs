//! The load generator's HTTP: ureq agents on keep-alive connections, a cookie jar, the
//! sign-in a browser does, and the agent's live event stream read as it arrives.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::common::floor_data::PASSWORD;

pub const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// A stream that says nothing for this long (no event, no heartbeat) has stalled.
const STREAM_SILENCE: Duration = Duration::from_secs(120);

/// One answer, read whole.
pub struct Reply {
    pub status: u16,
    /// Where a redirect points (the reports bench follows an export's).
    #[allow(dead_code)]
    pub location: Option<String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One client: one keep-alive connection (reopened when the server closed it) and the
/// cookies the server set.
pub struct Http {
    base: String,
    agent: ureq::Agent,
    cookies: Vec<(String, String)>,
}

impl Http {
    pub fn new(addr: SocketAddr) -> Http {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_idle_connections_per_host(1)
            .timeout_global(Some(IO_TIMEOUT))
            .build()
            .new_agent();
        Http { base: format!("http://{addr}"), agent, cookies: Vec::new() }
    }

    /// Takes the cookies of another client's session (`cookie_header`'s form).
    pub fn set_cookies(&mut self, header: &str) {
        self.cookies = header
            .split("; ")
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    }

    pub fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    pub fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Reply, String> {
        let mut request = ureq::http::Request::builder().method(method).uri(format!("{}{path}", self.base));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        if !self.cookies.is_empty() {
            request = request.header("Cookie", self.cookie_header());
        }
        let fail = |e: &dyn std::fmt::Display| format!("{method} {path}: {e}");
        let sent = if method == "GET" {
            self.agent.run(request.body(()).map_err(|e| fail(&e))?)
        } else {
            self.agent.run(request.body(body.to_vec()).map_err(|e| fail(&e))?)
        };
        let mut response = sent.map_err(|e| fail(&e))?;
        for value in response.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap_or_default().split(';').next().unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                self.cookies.retain(|(name, _)| name != k);
                if !v.is_empty() {
                    self.cookies.push((k.to_string(), v.to_string()));
                }
            }
        }
        let status = response.status().as_u16();
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
        let body = response.body_mut().with_config().limit(64 << 20).read_to_vec().map_err(|e| fail(&e))?;
        Ok(Reply { status, location, body })
    }

    /// `count` GETs of `path` one after another, after one not counted (the templates
    /// and SQLite's cache warm up): their times, sorted, and the size of the last page.
    pub fn time_gets(&mut self, path: &str, count: usize) -> Result<(Vec<Duration>, usize), String> {
        let mut times = Vec::with_capacity(count);
        let mut size = 0;
        self.send("GET", path, &[("Accept", "text/html")], b"")?;
        for _ in 0..count {
            let sent = Instant::now();
            let reply = self.send("GET", path, &[("Accept", "text/html")], b"")?;
            times.push(sent.elapsed());
            if reply.status != 200 {
                return Err(format!("GET {path} answered {}", reply.status));
            }
            size = reply.body.len();
        }
        times.sort();
        Ok((times, size))
    }

    /// Signs in like a browser: the login page for the CSRF cookie and token, then the
    /// form. The session cookie stays in this client's jar.
    pub fn sign_in(&mut self, login: &str) -> Result<(), String> {
        let page = self.send("GET", "/login", &[("Accept", "text/html")], b"")?;
        let form = login_form(&page.text(), login)?;
        let reply =
            self.send("POST", "/login", &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes())?;
        if reply.status != 303 {
            return Err(format!("POST /login for {login} answered {}", reply.status));
        }
        Ok(())
    }
}

/// A `change` event with a conversation id, or an internal chat's `chat` event (its
/// thread's address, `conversation` 0), as one stream received it.
pub struct Note {
    pub stream: usize,
    pub conversation: i64,
    pub chat: Option<String>,
    pub at: Instant,
}

/// A live event stream (an agent's `/agent/events`, or a supervisor's
/// `/admin/monitoring/events`), read on its own thread until the server goes.
pub struct Stream {
    handle: std::thread::JoinHandle<()>,
}

impl Stream {
    /// Opens the stream with the agent's cookies, waits for its `ready` event, then
    /// passes every `change` event on to `tx`, tagged with `index`.
    pub fn open(addr: SocketAddr, cookie: &str, index: usize, tx: mpsc::Sender<Note>) -> Result<Stream, String> {
        Stream::open_at(addr, "/agent/events", cookie, index, tx)
    }

    /// Like `open`, on another stream; a `change` without a conversation is passed on as
    /// conversation 0 (the monitoring page's "fetch again").
    pub fn open_at(
        addr: SocketAddr,
        path: &str,
        cookie: &str,
        index: usize,
        tx: mpsc::Sender<Note>,
    ) -> Result<Stream, String> {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(IO_TIMEOUT))
            .timeout_recv_response(Some(IO_TIMEOUT))
            .timeout_per_read(Some(STREAM_SILENCE))
            .build()
            .new_agent();
        let response = agent
            .get(format!("http://{addr}{path}"))
            .header("Accept", "text/event-stream")
            .header("Cookie", cookie)
            .call()
            .map_err(|e| format!("GET {path}: {e}"))?;
        if response.status() != 200 {
            return Err(format!("GET {path} answered {}", response.status()));
        }
        // ureq undoes the chunked encoding as the bytes come.
        let mut lines = BufReader::new(response.into_body().into_reader());
        // The stream's first event says it is listening.
        let mut ready = false;
        let mut line = String::new();
        for _ in 0..10 {
            line.clear();
            if lines.read_line(&mut line).map_err(|e| format!("{path}: {e}"))? == 0 {
                break;
            }
            if line.trim_end() == "event: ready" || line.trim_end() == "event:ready" {
                ready = true;
                break;
            }
        }
        if !ready {
            return Err(format!("{path} sent no `ready` event"));
        }
        let handle = std::thread::spawn(move || {
            let mut event = String::new();
            let mut line = String::new();
            // Bounded: the server closes the stream when it is killed; reads time out.
            while let Ok(n) = lines.read_line(&mut line) {
                if n == 0 {
                    break;
                }
                let at = Instant::now();
                let text = line.trim_end();
                if let Some(name) = text.strip_prefix("event:") {
                    event = name.trim().to_string();
                } else if let Some(data) = text.strip_prefix("data:") {
                    let note = match event.as_str() {
                        "change" => Some(Note {
                            stream: index,
                            conversation: json_number(data, "conversation_id").unwrap_or(0),
                            chat: None,
                            at,
                        }),
                        "chat" => json_field(data, "address").map(|address| Note {
                            stream: index,
                            conversation: 0,
                            chat: Some(address),
                            at,
                        }),
                        _ => None,
                    };
                    if let Some(note) = note {
                        if tx.send(note).is_err() {
                            break;
                        }
                    }
                } else if text.is_empty() {
                    event.clear();
                }
                line.clear();
            }
        });
        Ok(Stream { handle })
    }

    pub fn join(self) {
        let _ = self.handle.join();
    }
}

/// The sign-in form as a browser posts it: the CSRF token of the login page, the
/// login and the bench password.
pub fn login_form(login_page: &str, login: &str) -> Result<String, String> {
    let token = login_page
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("no csrf_token on /login")?;
    Ok(format!("csrf_token={}&login={}&password={}", urlencode(token), urlencode(login), urlencode(PASSWORD)))
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn json_field(text: &str, name: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    value.get(name)?.as_str().map(str::to_string)
}

fn json_number(text: &str, name: &str) -> Option<i64> {
    let value: serde_json::Value = serde_json::from_str(text.trim()).ok()?;
    value.get(name)?.as_i64()
}
