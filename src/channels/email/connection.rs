//! The IMAP connection: TCP with timeouts, then TLS (rustls with ring and the Mozilla
//! roots, the same as the rest of Atende) from the start or after STARTTLS, and the
//! sign-in. Every failure comes back in words without the password.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use super::settings::{Security, Settings};

/// How long one connect, read or write may take: a server that stops answering fails
/// the poll instead of holding it.
const TIMEOUT: Duration = Duration::from_secs(20);

pub(super) trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

pub(super) type Session = imap::Session<Box<dyn Stream>>;

/// Connects, protects and signs in to the settings' IMAP server.
pub(super) fn sign_in(settings: &Settings) -> Result<Session, String> {
    let host = settings.imap_host.trim();
    let tcp = tcp(host, settings.imap_port)?;
    let stream: Box<dyn Stream> = match settings.imap_security {
        Security::Tls => Box::new(tls(host, tcp)?),
        Security::Starttls => {
            let mut tcp = tcp;
            starttls(&mut tcp)?;
            Box::new(tls(host, tcp)?)
        }
        Security::None => Box::new(tcp),
    };
    let mut client = imap::Client::new(stream);
    if settings.imap_security == Security::Starttls {
        // The greeting came before STARTTLS.
        client.greeting_read = true;
    } else {
        client.read_greeting().map_err(|e| format!("IMAP {host}: {e}"))?;
    }
    client.login(settings.login(), &settings.password).map_err(|(e, _)| format!("IMAP {host}: {e}"))
}

fn tcp(host: &str, port: u16) -> Result<TcpStream, String> {
    let unreachable = |e: std::io::Error| format!("IMAP {host}:{port}: {e}");
    let address = (host, port).to_socket_addrs().map_err(unreachable)?.next();
    let address = address.ok_or_else(|| format!("IMAP {host}:{port}: no address"))?;
    let tcp = TcpStream::connect_timeout(&address, TIMEOUT).map_err(unreachable)?;
    tcp.set_read_timeout(Some(TIMEOUT)).map_err(unreachable)?;
    tcp.set_write_timeout(Some(TIMEOUT)).map_err(unreachable)?;
    Ok(tcp)
}

fn tls(host: &str, tcp: TcpStream) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, String> {
    let failed = |e: &dyn std::fmt::Display| format!("IMAP {host}: TLS: {e}");
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| failed(&e))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_string()).map_err(|e| failed(&e))?;
    let connection = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| failed(&e))?;
    Ok(rustls::StreamOwned::new(connection, tcp))
}

/// Reads the greeting and asks for STARTTLS on the bare connection. Byte by byte, so
/// nothing of the TLS handshake that follows is read here.
fn starttls(tcp: &mut TcpStream) -> Result<(), String> {
    let failed = |what: String| format!("IMAP STARTTLS: {what}");
    line(tcp).map_err(|e| failed(e.to_string()))?;
    tcp.write_all(b"s1 STARTTLS\r\n").map_err(|e| failed(e.to_string()))?;
    loop {
        let answer = line(tcp).map_err(|e| failed(e.to_string()))?;
        if let Some(status) = answer.strip_prefix("s1 ") {
            return if status.to_ascii_uppercase().starts_with("OK") { Ok(()) } else { Err(failed(status.into())) };
        }
    }
}

/// One response line, at most 4 KiB.
fn line(tcp: &mut TcpStream) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    let mut byte = [0u8];
    while bytes.len() < 4096 {
        if tcp.read(&mut byte)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if byte[0] == b'\n' {
            break;
        }
        bytes.push(byte[0]);
    }
    Ok(String::from_utf8_lossy(&bytes).trim_end().to_string())
}
