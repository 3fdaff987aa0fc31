//! A small IMAP4rev1 server (RFC 3501) on a loopback port holding the demo mailbox:
//! what the e-mail channel's poller uses and no more — CAPABILITY, LOGIN, SELECT and
//! EXAMINE of INBOX, UID SEARCH by UID range, UID FETCH of UID, RFC822.SIZE, FLAGS and
//! the whole mail, NOOP, LOGOUT. No TLS: it answers only on 127.0.0.1.

use rocket::tokio::io::{AsyncWriteExt, BufReader};
use rocket::tokio::net::{TcpListener, TcpStream};
use rocket::Shutdown;

use super::line_server::{self, next_line};
use super::phone::Phone;

/// The longest command line read.
const LONGEST_LINE: u64 = 8 * 1024;

pub async fn serve(listener: TcpListener, phone: Phone, shutdown: Shutdown) {
    line_server::serve("imap", listener, phone, shutdown, session).await
}

async fn session(stream: TcpStream, phone: Phone, mut shutdown: Shutdown) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut signed_in = false;
    if write.write_all(b"* OK [CAPABILITY IMAP4rev1] Demo Atende IMAP ready\r\n").await.is_err() {
        return;
    }
    loop {
        let Some(line) = next_line(&mut reader, LONGEST_LINE, &mut shutdown).await else { return };
        let (answer, done) = answer(&phone, line.trim_end(), &mut signed_in);
        if write.write_all(&answer).await.is_err() || done {
            return;
        }
    }
}

/// The words of a command: atoms, quoted strings (with `\"` and `\\`), and
/// parenthesised lists kept whole.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' => {
                chars.next();
            }
            '"' => {
                chars.next();
                let mut word = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => word.extend(chars.next()),
                        '"' => break,
                        c => word.push(c),
                    }
                }
                words.push(word);
            }
            '(' => {
                let mut word = String::new();
                let mut depth = 0;
                for c in chars.by_ref() {
                    word.push(c);
                    depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    if depth == 0 {
                        break;
                    }
                }
                words.push(word);
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek().filter(|c| **c != ' ') {
                    word.push(c);
                    chars.next();
                }
                words.push(word);
            }
        }
    }
    words
}

/// The UIDs of a set (`1,3:5,7:*`) among those that exist (`max`: the highest).
fn uid_set(set: &str, max: u32) -> Vec<u32> {
    let mut uids = Vec::new();
    let number = |n: &str| if n == "*" { Some(max) } else { n.parse::<u32>().ok() };
    for range in set.split(',') {
        let (from, to) = range.split_once(':').unwrap_or((range, range));
        let (Some(a), Some(b)) = (number(from), number(to)) else { continue };
        let (low, high) = (a.min(b).max(1), a.max(b).min(max));
        uids.extend(low..=high);
    }
    uids.sort_unstable();
    uids.dedup();
    uids
}

/// The answer to one command line, and whether the connection ends.
fn answer(phone: &Phone, line: &str, signed_in: &mut bool) -> (Vec<u8>, bool) {
    let words = words(line);
    let (Some(tag), Some(command)) = (words.first(), words.get(1)) else {
        return (b"* BAD no command\r\n".to_vec(), false);
    };
    let tagged = |status: &str| format!("{tag} {status}\r\n").into_bytes();
    let command = command.to_ascii_uppercase();
    let args = &words[2..];
    match command.as_str() {
        "CAPABILITY" => ([b"* CAPABILITY IMAP4rev1\r\n".to_vec(), tagged("OK CAPABILITY completed")].concat(), false),
        "NOOP" => (tagged("OK NOOP completed"), false),
        "LOGOUT" => {
            ([b"* BYE Demo Atende IMAP says goodbye\r\n".to_vec(), tagged("OK LOGOUT completed")].concat(), true)
        }
        "LOGIN" => {
            let settings = &phone.links().email;
            let ok = args.len() == 2 && args[0].eq_ignore_ascii_case(settings.login()) && args[1] == settings.password;
            *signed_in = ok;
            (tagged(if ok { "OK LOGIN completed" } else { "NO [AUTHENTICATIONFAILED] Invalid credentials" }), false)
        }
        _ if !*signed_in => (tagged("BAD sign in first"), false),
        "SELECT" | "EXAMINE" => (folder(phone, args, &command, tag), false),
        "UID" => (uid_command(phone, args, tag), false),
        _ => (tagged("BAD command not supported here"), false),
    }
}

fn folder(phone: &Phone, args: &[String], command: &str, tag: &str) -> Vec<u8> {
    if !args.first().is_some_and(|f| f.eq_ignore_ascii_case("INBOX")) {
        return format!("{tag} NO [NONEXISTENT] no such folder\r\n").into_bytes();
    }
    let (exists, validity) = phone.read(|s| (s.mailbox.folder.len(), s.mailbox.validity));
    let mode = if command == "SELECT" { "READ-WRITE" } else { "READ-ONLY" };
    format!(
        "* FLAGS (\\Seen \\Answered)\r\n* {exists} EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY {validity}] UIDs valid\r\n\
         * OK [UIDNEXT {}] Predicted next UID\r\n{tag} OK [{mode}] {command} completed\r\n",
        exists + 1
    )
    .into_bytes()
}

fn uid_command(phone: &Phone, args: &[String], tag: &str) -> Vec<u8> {
    let max = phone.read(|s| s.mailbox.folder.len()) as u32;
    let sub = args.first().map(|s| s.to_ascii_uppercase()).unwrap_or_default();
    match (sub.as_str(), args.get(1), args.get(2)) {
        ("SEARCH", Some(key), set) => {
            let uids = match (key.to_ascii_uppercase().as_str(), set) {
                ("ALL", _) => uid_set("1:*", max),
                ("UID", Some(set)) => uid_set(set, max),
                _ => return format!("{tag} BAD search by UID or ALL only\r\n").into_bytes(),
            };
            let found: String = uids.iter().map(|u| format!(" {u}")).collect();
            format!("* SEARCH{found}\r\n{tag} OK SEARCH completed\r\n").into_bytes()
        }
        ("FETCH", Some(set), Some(items)) => fetch(phone, &uid_set(set, max), &items.to_ascii_uppercase(), tag),
        _ => format!("{tag} BAD UID SEARCH or UID FETCH only\r\n").into_bytes(),
    }
}

/// `* n FETCH (UID n [RFC822.SIZE s] [FLAGS ()] [BODY[] {len}…])` for each UID.
fn fetch(phone: &Phone, uids: &[u32], items: &str, tag: &str) -> Vec<u8> {
    let whole = items.contains("BODY[]") || items.contains("BODY.PEEK[]") || items.contains("RFC822)");
    let mails: Vec<(u32, Vec<u8>)> = phone
        .read(|s| uids.iter().filter_map(|u| s.mailbox.folder.get(*u as usize - 1).map(|m| (*u, m.clone()))).collect());
    let mut out = Vec::new();
    for (uid, mail) in mails {
        out.extend(format!("* {uid} FETCH (UID {uid}").as_bytes());
        if items.contains("RFC822.SIZE") {
            out.extend(format!(" RFC822.SIZE {}", mail.len()).as_bytes());
        }
        if items.contains("FLAGS") {
            out.extend(b" FLAGS ()");
        }
        if whole {
            out.extend(format!(" BODY[] {{{}}}\r\n", mail.len()).as_bytes());
            out.extend(&mail);
        }
        out.extend(b")\r\n");
    }
    out.extend(format!("{tag} OK FETCH completed\r\n").as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_split_into_atoms_strings_and_lists() {
        assert_eq!(
            words(r#"a1 LOGIN "contato@demo.local" "se\"nha""#),
            ["a1", "LOGIN", "contato@demo.local", "se\"nha"]
        );
        assert_eq!(words("a2 UID FETCH 1,3 (UID BODY.PEEK[])"), ["a2", "UID", "FETCH", "1,3", "(UID BODY.PEEK[])"]);
    }

    #[test]
    fn a_range_past_the_newest_names_the_newest() {
        assert_eq!(uid_set("3:*", 5), [3, 4, 5]);
        assert_eq!(uid_set("6:*", 5), [5], "as RFC 3501 reads n:* with n past the last");
        assert_eq!(uid_set("1,4:2,9", 5), [1, 2, 3, 4]);
        assert!(uid_set("1:*", 0).is_empty());
    }
}
