//! A fake Bot API on 127.0.0.1: enough of `getUpdates`, `getFile`, the file download,
//! `getMe` and the send methods for the real adapter to talk to it over HTTP/1.1, with
//! faults on demand (429 with retry_after, 502, a hang, 401), counting what it hands
//! out and what it takes.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const TOKEN: &str = "123456789:AAHfakeSecretToken_0123456789abc";

/// What the fake does with the next call of a kind instead of answering it.
#[derive(Clone, Debug)]
pub enum Fault {
    RetryAfter(u64),
    BadGateway,
    /// Holds the request this long, then closes the connection unanswered.
    Hang(Duration),
    Unauthorized,
}

/// A message the fake took from the bot.
#[derive(Clone, Debug)]
pub struct Taken {
    pub method: String,
    pub chat_id: i64,
    pub text: String,
}

#[derive(Default)]
struct State {
    updates: Vec<Value>,
    /// Updates below this id are confirmed and never handed out again.
    confirmed: i64,
    /// Updates handed out once more, whatever the offset (a repeat).
    replay: VecDeque<Value>,
    handed: HashMap<i64, usize>,
    offsets: Vec<i64>,
    poll_faults: VecDeque<Fault>,
    send_faults: VecDeque<Fault>,
    download_faults: VecDeque<Fault>,
    taken: Vec<Taken>,
    send_attempts: usize,
    files: HashMap<String, (String, Vec<u8>)>,
    next_message_id: i64,
    /// The text of a send to take and then leave unanswered until `let_go`.
    hold: Option<String>,
    /// That send arrived and is waiting for its answer.
    holding: bool,
}

pub struct FakeTelegram {
    pub base: String,
    state: Arc<(Mutex<State>, Condvar)>,
}

impl FakeTelegram {
    pub fn start() -> FakeTelegram {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind fake telegram");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new((Mutex::new(State { next_message_id: 1000, ..State::default() }), Condvar::new()));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &state);
                });
            }
        });
        FakeTelegram { base, state }
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let (lock, wake) = &*self.state;
        let out = f(&mut lock.lock().unwrap());
        wake.notify_all();
        out
    }

    /// Queues an update (its `update_id` is given by the test).
    pub fn push(&self, update: Value) {
        self.with(|s| s.updates.push(update));
    }

    pub fn replay(&self, update: Value) {
        self.with(|s| s.replay.push_back(update));
    }

    pub fn fail_polls(&self, faults: &[Fault]) {
        self.with(|s| s.poll_faults.extend(faults.iter().cloned()));
    }

    pub fn fail_sends(&self, faults: &[Fault]) {
        self.with(|s| s.send_faults.extend(faults.iter().cloned()));
    }

    pub fn fail_downloads(&self, faults: &[Fault]) {
        self.with(|s| s.download_faults.extend(faults.iter().cloned()));
    }

    /// A file the bot may fetch by `file_id`.
    pub fn file(&self, file_id: &str, path: &str, bytes: &[u8]) {
        self.with(|s| s.files.insert(file_id.into(), (path.into(), bytes.to_vec())));
    }

    /// The next send of `text` is taken (the customer gets it) but not answered until
    /// `let_go`, then the connection is closed: a send in flight, for as long as a test
    /// needs it to be.
    pub fn hold_send(&self, text: &str) {
        self.with(|s| s.hold = Some(text.into()));
    }

    /// Whether the send `hold_send` named arrived and is being held.
    pub fn holding(&self) -> bool {
        self.with(|s| s.holding)
    }

    /// Ends the hold: the held send's connection is closed, unanswered.
    pub fn let_go(&self) {
        self.with(|s| s.holding = false);
    }

    /// How many times each update was handed out.
    pub fn handed(&self) -> HashMap<i64, usize> {
        self.with(|s| s.handed.clone())
    }

    pub fn confirmed(&self) -> i64 {
        self.with(|s| s.confirmed)
    }

    pub fn taken(&self) -> Vec<Taken> {
        self.with(|s| s.taken.clone())
    }

    pub fn send_attempts(&self) -> usize {
        self.with(|s| s.send_attempts)
    }

    /// Waits (bounded) until `check` holds of the fake's state.
    pub fn wait_until(&self, what: &str, check: impl Fn(&FakeTelegram) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !check(self) {
            assert!(Instant::now() < deadline, "the fake Bot API never saw: {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A private text message from `chat`.
pub fn text_update(update_id: i64, chat: i64, text: &str) -> Value {
    json!({"update_id": update_id, "message": {
        "message_id": update_id * 10, "date": 1_780_000_000,
        "chat": {"id": chat, "type": "private", "first_name": "Maria"},
        "from": {"id": chat, "is_bot": false, "first_name": "Maria", "last_name": "Oliveira", "username": "maria_o"},
        "text": text}})
}

struct Request {
    method: String,
    path: String,
    query: HashMap<String, String>,
    body: Vec<u8>,
    content_type: String,
}

fn read_request(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<Request>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let (mut length, mut content_type, mut chunked) = (0usize, String::new(), false);
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((header, ""));
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap_or(0),
            "content-type" => content_type = value.trim().to_string(),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = query.split('&').filter_map(|pair| pair.split_once('=')).map(|(k, v)| (decode(k), decode(v))).collect();
    Ok(Some(Request { method, path: path.to_string(), query, body, content_type }))
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn respond(stream: &mut TcpStream, status: u16, content_type: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

fn api_error(code: u16, description: &str, retry_after: Option<u64>) -> (u16, Value) {
    let mut body = json!({"ok": false, "error_code": code, "description": description});
    if let Some(after) = retry_after {
        body["parameters"] = json!({"retry_after": after});
    }
    (code, body)
}

/// What a fault answers; `None` for a hang (nothing is answered).
fn fault_answer(fault: Fault) -> Option<(u16, Value)> {
    match fault {
        Fault::RetryAfter(s) => Some(api_error(429, &format!("Too Many Requests: retry after {s}"), Some(s))),
        Fault::BadGateway => Some((502, Value::Null)),
        Fault::Unauthorized => Some(api_error(401, "Unauthorized", None)),
        Fault::Hang(d) => {
            std::thread::sleep(d);
            None
        }
    }
}

fn serve(stream: TcpStream, state: &(Mutex<State>, Condvar)) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let Some(request) = read_request(&mut reader)? else { return Ok(()) };
    let answer = handle(&request, state);
    match answer {
        None => Ok(()),
        Some((status, Answer::Json(body))) => {
            let text =
                if body.is_null() { b"<html>502 Bad Gateway</html>".to_vec() } else { body.to_string().into_bytes() };
            let kind = if body.is_null() { "text/html" } else { "application/json" };
            respond(&mut writer, status, kind, &text)
        }
        Some((status, Answer::Bytes(bytes))) => respond(&mut writer, status, "application/octet-stream", &bytes),
    }
}

enum Answer {
    Json(Value),
    Bytes(Vec<u8>),
}

fn json_answer(answer: Option<(u16, Value)>) -> Option<(u16, Answer)> {
    answer.map(|(status, body)| (status, Answer::Json(body)))
}

fn ok(result: Value) -> Option<(u16, Answer)> {
    Some((200, Answer::Json(json!({"ok": true, "result": result}))))
}

fn handle(request: &Request, state: &(Mutex<State>, Condvar)) -> Option<(u16, Answer)> {
    let (lock, wake) = state;
    if let Some(path) = request.path.strip_prefix(&format!("/file/bot{TOKEN}/")) {
        let fault = lock.lock().unwrap().download_faults.pop_front();
        if let Some(fault) = fault {
            return json_answer(fault_answer(fault));
        }
        let s = lock.lock().unwrap();
        return match s.files.values().find(|(p, _)| p == path) {
            Some((_, bytes)) => Some((200, Answer::Bytes(bytes.clone()))),
            None => json_answer(Some(api_error(404, "Not Found", None))),
        };
    }
    let Some(method) = request.path.strip_prefix(&format!("/bot{TOKEN}/")) else {
        return json_answer(Some(api_error(401, "Unauthorized", None)));
    };
    let fields = form_fields(request);
    match method {
        "getMe" => ok(json!({"id": 123456789, "is_bot": true, "first_name": "Loja", "username": "loja_bot"})),
        "getUpdates" => {
            let fault = lock.lock().unwrap().poll_faults.pop_front();
            if let Some(fault) = fault {
                return json_answer(fault_answer(fault));
            }
            let offset: i64 = fields.get("offset").and_then(|o| o.parse().ok()).unwrap_or(0);
            let timeout: u64 = fields.get("timeout").and_then(|t| t.parse().ok()).unwrap_or(0);
            assert_eq!(fields.get("allowed_updates").map(String::as_str), Some(r#"["message"]"#));
            let deadline = Instant::now() + Duration::from_secs(timeout);
            let mut s = lock.lock().unwrap();
            s.offsets.push(offset);
            s.confirmed = s.confirmed.max(offset);
            loop {
                let confirmed = s.confirmed;
                let mut batch: Vec<Value> = s.replay.drain(..).collect();
                batch.extend(s.updates.iter().filter(|u| u["update_id"].as_i64().unwrap() >= confirmed).cloned());
                if !batch.is_empty() || Instant::now() >= deadline {
                    for u in &batch {
                        *s.handed.entry(u["update_id"].as_i64().unwrap()).or_default() += 1;
                    }
                    return ok(Value::Array(batch));
                }
                s = wake.wait_timeout(s, Duration::from_millis(50)).unwrap().0;
            }
        }
        "getFile" => {
            let s = lock.lock().unwrap();
            let id = fields.get("file_id").cloned().unwrap_or_default();
            match s.files.get(&id) {
                Some((path, bytes)) => ok(json!({"file_id": id, "file_size": bytes.len(), "file_path": path})),
                None => json_answer(Some(api_error(400, "Bad Request: invalid file_id", None))),
            }
        }
        "sendMessage" | "sendPhoto" | "sendDocument" | "sendVoice" => {
            let fault = {
                let mut s = lock.lock().unwrap();
                s.send_attempts += 1;
                s.send_faults.pop_front()
            };
            if let Some(fault) = fault {
                return json_answer(fault_answer(fault));
            }
            let chat_id: i64 = fields.get("chat_id").and_then(|c| c.parse().ok()).unwrap_or(0);
            if chat_id == 666 {
                return json_answer(Some(api_error(403, "Forbidden: bot was blocked by the user", None)));
            }
            let text = fields.get("text").or_else(|| fields.get("caption")).cloned().unwrap_or_default();
            let mut s = lock.lock().unwrap();
            s.next_message_id += 1;
            let message_id = s.next_message_id;
            let held = s.hold.as_ref() == Some(&text);
            s.taken.push(Taken { method: method.to_string(), chat_id, text });
            if held {
                s.hold = None;
                s.holding = true;
                let limit = Duration::from_secs(60);
                drop(wake.wait_timeout_while(s, limit, |s| s.holding).unwrap());
                return None;
            }
            ok(json!({"message_id": message_id, "chat": {"id": chat_id, "type": "private"}}))
        }
        _ => json_answer(Some(api_error(404, "Not Found: method not found", None))),
    }
}

/// The call's parameters: its query, a JSON body, or a multipart form's text fields.
fn form_fields(request: &Request) -> HashMap<String, String> {
    let mut fields = request.query.clone();
    if request.method != "POST" {
        return fields;
    }
    if request.content_type.starts_with("application/json") {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        for (k, v) in body.as_object().into_iter().flatten() {
            fields.insert(k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
        }
    } else if let Some(boundary) = request.content_type.split("boundary=").nth(1) {
        let delimiter = format!("--{boundary}");
        let body = &request.body;
        let mut starts = Vec::new();
        let mut i = 0;
        while let Some(at) = find(&body[i..], delimiter.as_bytes()) {
            starts.push(i + at);
            i += at + delimiter.len();
        }
        for pair in starts.windows(2) {
            let part = &body[pair[0] + delimiter.len() + 2..pair[1] - 2];
            let Some(split) = find(part, b"\r\n\r\n") else { continue };
            let head = String::from_utf8_lossy(&part[..split]);
            let content = &part[split + 4..];
            let name = head.split("name=\"").nth(1).and_then(|n| n.split('"').next()).unwrap_or_default();
            if !head.contains("filename=") {
                fields.insert(name.to_string(), String::from_utf8_lossy(content).into_owned());
            }
        }
    }
    fields
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
