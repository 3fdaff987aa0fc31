//! An SMTP sink (RFC 5321) on a loopback port: takes what the e-mail channel sends,
//! signed in with the demo mailbox's password (AUTH PLAIN), and hands each mail to the
//! phone, where the customer reads the replies.

use base64::Engine as _;
use rocket::tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use rocket::tokio::net::tcp::OwnedReadHalf;
use rocket::tokio::net::{TcpListener, TcpStream};
use rocket::tokio::time;
use rocket::Shutdown;

use super::line_server::{self, next_line, IDLE};
use super::phone::Phone;

/// The largest mail taken (the channel sends files of up to 20 MB, base64 grows them).
const LARGEST_MAIL: usize = 32 * 1024 * 1024;
const LONGEST_LINE: u64 = 64 * 1024;

pub async fn serve(listener: TcpListener, phone: Phone, shutdown: Shutdown) {
    line_server::serve("smtp", listener, phone, shutdown, session).await
}

/// Whether `AUTH PLAIN`'s answer (`\0user\0password`, base64) names the demo mailbox.
fn plain_ok(phone: &Phone, encoded: &str) -> bool {
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else { return false };
    let parts: Vec<&[u8]> = decoded.split(|b| *b == 0).collect();
    let settings = &phone.links().email;
    parts.len() == 3
        && parts[1].eq_ignore_ascii_case(settings.login().as_bytes())
        && parts[2] == settings.password.as_bytes()
}

async fn session(stream: TcpStream, phone: Phone, mut shutdown: Shutdown) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut signed_in = false;
    let mut recipients = 0;
    let _ = write.write_all(b"220 demo.local ESMTP Demo Atende\r\n").await;
    loop {
        let Some(line) = next_line(&mut reader, LONGEST_LINE, &mut shutdown).await else { return };
        let command = line.trim_end();
        let upper = command.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-demo.local\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-SIZE 33554432\r\n250 AUTH PLAIN\r\n"
        } else if upper.starts_with("HELO") {
            b"250 demo.local\r\n"
        } else if let Some(encoded) = upper.strip_prefix("AUTH PLAIN ").map(|_| &command[11..]) {
            signed_in = plain_ok(&phone, encoded);
            if signed_in {
                b"235 2.7.0 Authentication successful\r\n"
            } else {
                b"535 5.7.8 Authentication credentials invalid\r\n"
            }
        } else if upper.starts_with("MAIL FROM:") {
            recipients = 0;
            if signed_in {
                b"250 2.1.0 OK\r\n"
            } else {
                b"530 5.7.0 Authentication required\r\n"
            }
        } else if upper.starts_with("RCPT TO:") {
            recipients += 1;
            b"250 2.1.5 OK\r\n"
        } else if upper == "DATA" && signed_in && recipients > 0 {
            let _ = write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await;
            match data(&mut reader).await {
                Some(mail) => {
                    phone.mail_arrives(&mail);
                    b"250 2.0.0 OK: queued\r\n"
                }
                None => return,
            }
        } else if upper == "DATA" {
            b"503 5.5.1 MAIL and RCPT first\r\n"
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 2.0.0 OK\r\n"
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 2.0.0 Bye\r\n").await;
            return;
        } else {
            b"502 5.5.2 Command not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// The mail after DATA up to the lone dot, dot-stuffing undone; `None` when the client
/// goes away or sends more than a mail may hold.
async fn data(reader: &mut BufReader<OwnedReadHalf>) -> Option<Vec<u8>> {
    let mut mail = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = time::timeout(IDLE, (&mut *reader).take(LONGEST_LINE).read_until(b'\n', &mut line)).await.ok()?.ok()?;
        if n == 0 || mail.len() > LARGEST_MAIL {
            return None;
        }
        if line == b".\r\n" || line == b".\n" {
            return Some(mail);
        }
        mail.extend_from_slice(if line.starts_with(b"..") { &line[1..] } else { &line });
    }
}
