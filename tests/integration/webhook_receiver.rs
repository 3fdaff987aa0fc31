//! A webhook receiver on 127.0.0.1: keeps every request it gets and answers from a
//! script (the next statuses), then a default; a 3xx carries a `Location`.

use std::collections::VecDeque;
use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use atende::db::webhooks::{insert_subscription, SubscriptionFields};

use crate::common::App;
use crate::fake_graph::read_request;
pub use crate::fake_graph::Request;

pub const SECRET: &str = "5ec2e7000000000000000000000000000000000000000000000000000000beef";

#[derive(Default)]
struct Script {
    next: VecDeque<u16>,
    default: u16,
    received: Vec<Request>,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    script: Arc<Mutex<Script>>,
}

impl Receiver {
    /// A receiver answering `default` to every call.
    pub fn start(default: u16) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind receiver");
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let script = Arc::new(Mutex::new(Script { default, ..Default::default() }));
        let receiver = Receiver { url, script };
        let shared = receiver.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let Some(request) = read_request(&mut stream) else { continue };
                let status = {
                    let mut s = shared.script.lock().unwrap();
                    let status = s.next.pop_front().unwrap_or(s.default);
                    s.received.push(Request { answered: status, ..request });
                    status
                };
                let location = if (300..400).contains(&status) { "Location: /elsewhere\r\n" } else { "" };
                let head = format!("HTTP/1.1 {status} X\r\n{location}Content-Length: 0\r\nConnection: close\r\n\r\n");
                let _ = stream.write_all(head.as_bytes());
            }
        });
        receiver
    }

    /// The next calls answer these statuses, in turn.
    pub fn then(&self, statuses: &[u16]) {
        self.script.lock().unwrap().next.extend(statuses);
    }

    /// From now on, every call answers `status`.
    pub fn answer(&self, status: u16) {
        self.script.lock().unwrap().default = status;
    }

    pub fn received(&self) -> Vec<Request> {
        self.script.lock().unwrap().received.clone()
    }

    /// The bodies received, as JSON, in order.
    pub fn payloads(&self) -> Vec<serde_json::Value> {
        self.received().iter().map(Request::json).collect()
    }
}

/// A subscription stored as the form would store it (private targets allowed, so the
/// receiver on 127.0.0.1 may be called); its id.
pub fn subscribe(app: &App, url: &str, events: &str) -> i64 {
    let fields = SubscriptionFields {
        url: url.into(),
        events: events.into(),
        active: true,
        allow_private: true,
        secret: Some(SECRET.into()),
    };
    app.db().write_now(|tx| insert_subscription(tx, &fields)).expect("subscription")
}
