//! A fake Graph API on 127.0.0.1 speaking enough HTTP/1.1 for the WhatsApp channel:
//! media lookups and downloads, uploads, messages and the number's details. It checks
//! the bearer token, keeps every request, and can be told to fail or hang the next
//! calls to a path, so tests count what really arrived.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const TOKEN: &str = "EAAG-token-que-nao-pode-vazar";
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000000000000000";

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// Path and query.
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    /// What the fake answered (0: it hung up without answering).
    pub answered: u16,
}

impl Request {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_default()
    }
}

/// A planned misbehaviour of the next calls whose path contains `path`.
struct Trouble {
    path: String,
    left: usize,
    /// `None`: hang (answer nothing until the client gives up).
    answer: Option<(u16, String)>,
}

#[derive(Default)]
struct State {
    requests: Vec<Request>,
    troubles: Vec<Trouble>,
    sent: usize,
}

#[derive(Clone)]
pub struct FakeGraph {
    pub base: String,
    state: Arc<Mutex<State>>,
}

impl FakeGraph {
    pub fn start() -> FakeGraph {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind fake graph");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let fake = FakeGraph { base, state: Arc::default() };
        let shared = fake.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let fake = shared.clone();
                std::thread::spawn(move || fake.serve(stream));
            }
        });
        fake
    }

    /// The next `times` calls to a path containing `path` answer `status` with `body`.
    pub fn fail(&self, path: &str, times: usize, status: u16, body: &str) {
        let trouble = Trouble { path: path.into(), left: times, answer: Some((status, body.into())) };
        self.state.lock().unwrap().troubles.push(trouble);
    }

    /// The next `times` calls to a path containing `path` get no answer.
    pub fn hang(&self, path: &str, times: usize) {
        self.state.lock().unwrap().troubles.push(Trouble { path: path.into(), left: times, answer: None });
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The messages it accepted (POST …/messages answered 200), in order.
    pub fn accepted(&self) -> Vec<serde_json::Value> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/messages") && r.answered == 200)
            .map(|r| r.json())
            .collect()
    }

    fn serve(&self, mut stream: TcpStream) {
        let Some(mut request) = read_request(&mut stream) else { return };
        let trouble = {
            let mut state = self.state.lock().unwrap();
            let found = state.troubles.iter_mut().find(|t| t.left > 0 && request.path.contains(&t.path));
            found.map(|t| {
                t.left -= 1;
                t.answer.clone()
            })
        };
        let (status, content_type, body) = match trouble {
            Some(None) => {
                self.state.lock().unwrap().requests.push(request);
                std::thread::sleep(Duration::from_secs(3));
                return;
            }
            Some(Some((status, body))) => (status, "application/json", body.into_bytes()),
            None => self.answer(&request),
        };
        request.answered = status;
        self.state.lock().unwrap().requests.push(request);
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body);
    }

    /// What the real API answers.
    fn answer(&self, r: &Request) -> (u16, &'static str, Vec<u8>) {
        if r.headers.get("authorization").map(String::as_str) != Some(&format!("Bearer {TOKEN}")) {
            let body = r#"{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}"#;
            return (401, "application/json", body.into());
        }
        let json = |v: serde_json::Value| (200, "application/json", v.to_string().into_bytes());
        let path = r.path.as_str();
        if let Some(id) = path.strip_prefix("/files/") {
            return if id == "gone" { (404, "text/plain", b"gone".to_vec()) } else { (200, "image/png", PNG.to_vec()) };
        }
        match (r.method.as_str(), path.rsplit('/').next().unwrap_or_default()) {
            ("POST", "messages") => {
                let n = {
                    let mut state = self.state.lock().unwrap();
                    state.sent += 1;
                    state.sent
                };
                json(
                    serde_json::json!({"messaging_product": "whatsapp", "messages": [{"id": format!("wamid.out.{n}")}]}),
                )
            }
            ("POST", "media") => json(serde_json::json!({"id": "upload-1"})),
            ("GET", last) if last.starts_with("106?") => json(
                serde_json::json!({"display_phone_number": "+55 11 4000-1234", "verified_name": "Loja", "id": "106"}),
            ),
            ("GET", media_id) => json(serde_json::json!({
                "url": format!("{}/files/{media_id}", self.base), "mime_type": "image/png", "id": media_id
            })),
            _ => (404, "application/json", b"{}".to_vec()),
        }
    }
}

pub fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request { method, path, headers, body, answered: 0 })
}
