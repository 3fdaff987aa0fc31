//! What the demo's IMAP server and SMTP sink share: an accept loop on a loopback port
//! that runs one session per connection, and reading one command line with a limit and
//! a time-out, both ended by shutdown.

use std::future::Future;
use std::time::Duration;

use rocket::tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use rocket::tokio::net::tcp::OwnedReadHalf;
use rocket::tokio::net::{TcpListener, TcpStream};
use rocket::tokio::{select, spawn, time};
use rocket::Shutdown;

use super::phone::Phone;

/// How long a client may stay silent.
pub const IDLE: Duration = Duration::from_secs(120);

/// Accepts connections until shutdown, each served by `session`.
pub async fn serve<F, Fut>(name: &'static str, listener: TcpListener, phone: Phone, mut shutdown: Shutdown, session: F)
where
    F: Fn(TcpStream, Phone, Shutdown) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    loop {
        select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => { spawn(session(stream, phone.clone(), shutdown.clone())); }
                Err(e) => tracing::warn!(error = %e, server = name, "demo mail server: accept failed"),
            },
        }
    }
}

/// The next line, at most `limit` bytes; `None` when the client left, stayed silent
/// too long, or the server shuts down.
pub async fn next_line(reader: &mut BufReader<OwnedReadHalf>, limit: u64, shutdown: &mut Shutdown) -> Option<String> {
    let mut line = String::new();
    let mut limited = reader.take(limit);
    let read = select! {
        _ = shutdown => return None,
        read = time::timeout(IDLE, limited.read_line(&mut line)) => read,
    };
    matches!(read, Ok(Ok(n)) if n > 0).then_some(line)
}
