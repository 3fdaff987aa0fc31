//! A fake SMTP server on 127.0.0.1 that speaks enough of RFC 5321 for a real client
//! (lettre) to deliver to it, and keeps every message it receives.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

pub struct FakeSmtp {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
    refusals: Arc<Mutex<VecDeque<String>>>,
}

impl FakeSmtp {
    pub fn start() -> FakeSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind fake smtp");
        let port = listener.local_addr().unwrap().port();
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let refusals = Arc::new(Mutex::new(VecDeque::new()));
        let (shared, refused) = (inbox.clone(), refusals.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (inbox, refusals) = (shared.clone(), refused.clone());
                std::thread::spawn(move || {
                    let _ = session(stream, &inbox, &refusals);
                });
            }
        });
        FakeSmtp { port, inbox, refusals }
    }

    /// The next transactions are answered with these replies to MAIL FROM, one each, in
    /// order (e.g. "421 4.3.2 busy", which also closes the connection, or "451 …").
    pub fn refuse(&self, replies: &[&str]) {
        self.refusals.lock().unwrap().extend(replies.iter().map(|r| r.to_string()));
    }

    pub fn messages(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }

    /// Waits (bounded) for the n-th message to arrive.
    pub fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("fake SMTP server received {} messages, expected {count}", self.messages().len());
    }
}

fn session(stream: TcpStream, inbox: &Mutex<Vec<Received>>, refusals: &Mutex<VecDeque<String>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    writer.write_all(b"220 fake.smtp.test ESMTP ready\r\n")?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            writer.write_all(b"250-fake.smtp.test\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN\r\n250 SMTPUTF8\r\n")?;
        } else if upper.starts_with("AUTH PLAIN") {
            // Any credentials will do: the tests count what is delivered, not who signs in.
            writer.write_all(b"235 2.7.0 Authentication successful\r\n")?;
        } else if upper.starts_with("HELO") {
            writer.write_all(b"250 fake.smtp.test\r\n")?;
        } else if upper.starts_with("MAIL FROM:") {
            let refusal = refusals.lock().unwrap().pop_front();
            if let Some(reply) = refusal {
                writer.write_all(format!("{reply}\r\n").as_bytes())?;
                if reply.starts_with("421") {
                    return Ok(());
                }
                continue;
            }
            from = command[10..]
                .trim()
                .trim_matches(['<', '>'])
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_matches(['<', '>'])
                .to_string();
            to.clear();
            writer.write_all(b"250 OK\r\n")?;
        } else if upper.starts_with("RCPT TO:") {
            to.push(command[8..].trim().trim_matches(['<', '>']).to_string());
            writer.write_all(b"250 OK\r\n")?;
        } else if upper == "DATA" {
            writer.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
            let mut data = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Undo dot-stuffing.
                data.push_str(line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line));
            }
            inbox.lock().unwrap().push(Received { from: from.clone(), to: to.clone(), data });
            writer.write_all(b"250 OK: queued\r\n")?;
        } else if upper == "RSET" || upper == "NOOP" {
            writer.write_all(b"250 OK\r\n")?;
        } else if upper == "QUIT" {
            writer.write_all(b"221 Bye\r\n")?;
            return Ok(());
        } else {
            writer.write_all(b"502 Command not implemented\r\n")?;
        }
    }
}
