//! The services the channels bench talks to, on one port of 127.0.0.1: the Telegram Bot
//! API (`getUpdates` long-polled, `sendMessage`) and the WhatsApp Graph API
//! (`/{version}/{phone_number_id}/messages`), in their real shapes. Keep-alive
//! connections, a thread each. While `down`, sends answer 502.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long `getUpdates` holds a request when nothing is waiting (the poller asks for
/// longer; a shorter hold only makes it ask again sooner).
const HOLD: Duration = Duration::from_millis(500);

#[derive(Default)]
pub struct FakeApis {
    pub down: AtomicBool,
    /// Send calls, 502s included.
    pub calls: AtomicUsize,
    /// The text of every message taken, in order of arrival.
    pub taken: Mutex<Vec<String>>,
    /// When the first and the last message were taken.
    pub span: Mutex<Option<(Instant, Instant)>>,
    /// Telegram updates waiting for `getUpdates`, and when each was handed over.
    updates: Mutex<VecDeque<(i64, String)>>,
    handed: Mutex<Vec<(i64, Instant)>>,
    arrived: Condvar,
}

impl FakeApis {
    /// Serves on a free port; the address for the channels' `api_base`.
    pub fn start(down: bool) -> Result<(Arc<FakeApis>, SocketAddr), String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let fake = Arc::new(FakeApis { down: AtomicBool::new(down), ..FakeApis::default() });
        let serving = fake.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let fake = serving.clone();
                std::thread::spawn(move || {
                    let _ = fake.connection(stream);
                });
            }
        });
        Ok((fake, addr))
    }

    /// A private chat's text message for the next `getUpdates`, waking a held one.
    pub fn push_text(&self, update_id: i64, chat: i64, text: &str) {
        let update = serde_json::json!({"update_id": update_id, "message": {"message_id": update_id, "date": 1764590000,
            "chat": {"id": chat, "type": "private", "first_name": format!("Cliente {chat}")},
            "from": {"id": chat, "is_bot": false, "first_name": format!("Cliente {chat}")}, "text": text}});
        self.updates.lock().unwrap().push_back((update_id, update.to_string()));
        self.arrived.notify_all();
    }

    /// When update `id` left in a `getUpdates` answer.
    pub fn handed_at(&self, id: i64) -> Option<Instant> {
        self.handed.lock().unwrap().iter().find(|(u, _)| *u == id).map(|(_, at)| *at)
    }

    fn connection(&self, stream: TcpStream) -> std::io::Result<()> {
        stream.set_nodelay(true)?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut writer = stream;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
            let mut length = 0;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header)?;
                if header.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = header.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body)?;
            let (status, answer) = self.answer(&target, &body);
            let reason = if status == 200 { "OK" } else { "Error" };
            // One write: a head and a body in two segments would wait on the client's
            // delayed acknowledgement (~40 ms) and be measured as Atende's.
            let whole = format!(
                "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{answer}",
                answer.len()
            );
            writer.write_all(whole.as_bytes())?;
        }
    }

    fn answer(&self, target: &str, body: &[u8]) -> (u16, String) {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        if path.ends_with("/getUpdates") {
            let offset = query.split('&').find_map(|p| p.strip_prefix("offset=")).and_then(|o| o.parse().ok());
            return (200, format!(r#"{{"ok":true,"result":[{}]}}"#, self.updates_after(offset.unwrap_or(0))));
        }
        let telegram = path.ends_with("/sendMessage");
        if !telegram && !path.ends_with("/messages") {
            return (404, r#"{"ok":false,"error_code":404,"description":"Not Found"}"#.into());
        }
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        if self.down.load(Ordering::SeqCst) {
            return (502, r#"{"ok":false,"error_code":502,"description":"Bad Gateway"}"#.into());
        }
        let sent: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        let text = if telegram { &sent["text"] } else { &sent["text"]["body"] };
        self.taken.lock().unwrap().push(text.as_str().unwrap_or("").to_string());
        let now = Instant::now();
        let mut span = self.span.lock().unwrap();
        *span = Some(span.map_or((now, now), |(first, _)| (first, now)));
        if telegram {
            (200, format!(r#"{{"ok":true,"result":{{"message_id":{n},"date":0,"chat":{{"id":1}}}}}}"#))
        } else {
            (200, format!(r#"{{"messaging_product":"whatsapp","messages":[{{"id":"wamid.out.{n}"}}]}}"#))
        }
    }

    /// The updates from `offset` on (forgetting those before it, as Telegram does),
    /// held up to `HOLD` until one arrives.
    fn updates_after(&self, offset: i64) -> String {
        let deadline = Instant::now() + HOLD;
        let mut waiting = self.updates.lock().unwrap();
        loop {
            waiting.retain(|(id, _)| *id >= offset);
            let left = deadline.saturating_duration_since(Instant::now());
            if !waiting.is_empty() || left.is_zero() {
                break;
            }
            waiting = self.arrived.wait_timeout(waiting, left).unwrap().0;
        }
        let now = Instant::now();
        let mut handed = self.handed.lock().unwrap();
        for (id, _) in waiting.iter() {
            if !handed.iter().any(|(h, _)| h == id) {
                handed.push((*id, now));
            }
        }
        waiting.iter().map(|(_, u)| u.as_str()).collect::<Vec<_>>().join(",")
    }
}
