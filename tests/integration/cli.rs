//! The command line: `user add` and `backup` on a real data directory.

use std::io::Write;
use std::process::{Command, Stdio};

pub(crate) fn atende(data_dir: &std::path::Path, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_atende"))
        .args(args)
        .env("ATENDE_DATA_DIR", data_dir)
        .env("ATENDE_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run atende");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn user_add_then_backup_makes_a_usable_copy() {
    let dir = tempfile::tempdir().unwrap();
    let weak = atende(
        dir.path(),
        &["user", "add", "--admin", "--email", "maria@empresa.test", "--name", "Maria", "--password-stdin"],
        "123\n",
    );
    assert!(!weak.status.success());
    assert!(
        String::from_utf8_lossy(&weak.stderr).contains("at least 10 characters"),
        "{}",
        String::from_utf8_lossy(&weak.stderr)
    );

    let ok = atende(
        dir.path(),
        &["user", "add", "--admin", "--email", "maria@empresa.test", "--name", "Maria", "--password-stdin"],
        "senha-forte-2026\n",
    );
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));

    let dup = atende(
        dir.path(),
        &[
            "user",
            "add",
            "--agent",
            "--email",
            "maria@empresa.test",
            "--name",
            "Outra",
            "--username",
            "outra",
            "--password-stdin",
        ],
        "senha-forte-2026\n",
    );
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("email"));

    let copy = dir.path().join("copia.db");
    let backup = atende(dir.path(), &["backup", copy.to_str().unwrap()], "");
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let email: String = conn.query_row("SELECT email FROM users WHERE username = 'maria'", [], |r| r.get(0)).unwrap();
    assert_eq!(email, "maria@empresa.test");
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn bad_configuration_names_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_atende"))
        .args(["backup", "x.db"])
        .env("ATENDE_DATA_DIR", dir.path())
        .env("ATENDE_PORT", "oitenta")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ATENDE_PORT") && err.lines().count() == 1, "{err}");
}

/// `atende serve` on a data directory and a free port, to adjust further; and the port.
fn serve(data_dir: &std::path::Path) -> (Command, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_atende"));
    command.arg("serve").env("ATENDE_DATA_DIR", data_dir).env("ATENDE_PORT", port.to_string());
    (command, port)
}

/// Waits for the server on `port`, then sends one HTTP/1.0 request (`"GET /x"`) and
/// reads the whole answer.
fn ask(port: u16, request: &str) -> String {
    use std::io::Read;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            write!(s, "{request} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n").unwrap();
            let mut text = String::new();
            let _ = s.read_to_string(&mut text);
            return text;
        }
        assert!(std::time::Instant::now() < deadline, "server did not answer");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn a_bad_rate_limit_stops_the_start_with_one_line() {
    for (name, value, says) in [
        ("ATENDE_RATE_SIGN_IN_PER_MINUTE", "-5", "invalid value"),
        ("ATENDE_RATE_VISITORS_PER_MINUTE", "1000000", "must be between 0 (no limit) and 100000"),
        ("ATENDE_RATE_VISITOR_MESSAGES_PER_MINUTE", "muitos", "invalid type"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut child =
            serve(dir.path()).0.env(name, value).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while child.try_wait().unwrap().is_none() {
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("{name}={value}: the server started anyway");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let out = child.wait_with_output().unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(name) && err.contains(says) && err.lines().count() == 1, "{name}={value}: {err}");
    }
}

#[test]
fn first_start_prints_a_setup_link_that_opens_the_setup_page() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let (mut command, port) = serve(dir.path());
    let mut child = command.env("ATENDE_LOG", "warn").stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    // The link is logged on standard output by the first start.
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(at) = line.find("/setup?token=") {
                let _ = tx.send(line[at..].split_whitespace().next().unwrap_or_default().to_string());
                return;
            }
        }
    });
    let path = rx.recv_timeout(std::time::Duration::from_secs(30));
    let fetched = path.as_ref().ok().map(|path| ask(port, &format!("GET {path}")));
    let _ = child.kill();
    let _ = child.wait();
    let page = fetched.expect("a setup link was printed");
    assert!(page.starts_with("HTTP/1.0 200") || page.starts_with("HTTP/1.1 200"), "{}", &page[..page.len().min(200)]);
    assert!(page.contains("Criar o primeiro administrador"));
}

#[test]
fn user_add_with_a_short_address_derives_a_username_and_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let out = atende(
        dir.path(),
        &["user", "add", "--agent", "--email", "li@example.test", "--name", "Li Wei", "--password-stdin"],
        "senha-forte-2026\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("username li.wei"), "{said}");
}

/// The widget's event stream carries the visitor token in its query: a request Rocket
/// cannot route must not print it.
#[test]
fn route_misses_do_not_log_query_strings() {
    use std::io::{BufRead, BufReader, Read};
    let dir = tempfile::tempdir().unwrap();
    let (mut command, port) = serve(dir.path());
    let mut child =
        command.env("ATENDE_LOG", "info,rocket=info").stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let (out, err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    for stream in [Box::new(out) as Box<dyn Read + Send>, Box::new(err)] {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
    }
    let answer = ask(port, "POST /webchat/loja/events?token=segredo-do-visitante-123");
    assert!(answer.contains(" 404 "), "{answer}");
    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::time::Instant::now() < until {
        if lines.lock().unwrap().iter().any(|l| l.contains("No matching routes")) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    let log = lines.lock().unwrap().join("\n");
    assert!(log.contains("No matching routes for POST /webchat/loja/events"), "the miss is still logged: {log}");
    assert!(!log.contains("segredo-do-visitante"), "the token reached the log: {log}");
}

#[test]
fn channel_add_and_list_from_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    // The database exists once any command ran; a team to receive the conversations.
    let listed = atende(dir.path(), &["channel", "list"], "");
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    assert_eq!(String::from_utf8_lossy(&listed.stdout), "");
    let db = rusqlite::Connection::open(dir.path().join("atende.db")).unwrap();
    db.execute("INSERT INTO teams (name, distribution, created_at) VALUES ('SAC', 'manual', 0)", []).unwrap();

    let unknown = atende(dir.path(), &["channel", "add", "webchat", "--name", "Site", "--team", "Vendas"], "");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("team:"), "{}", String::from_utf8_lossy(&unknown.stderr));

    let added = atende(dir.path(), &["channel", "add", "webchat", "--name", "Site", "--team", "sac"], "");
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let out = String::from_utf8_lossy(&added.stdout).to_string();
    let mut lines = out.lines();
    let id: i64 = lines.next().unwrap().parse().expect("the new channel's id first");
    let key = lines.next().unwrap().strip_prefix("key: ").expect("the web chat's key").to_string();
    let (kind, team, audited): (String, String, i64) = db
        .query_row(
            "SELECT c.kind, t.name, (SELECT count(*) FROM audit_log WHERE action = 'channel.create' AND target = 'channel:' || c.id)
             FROM channels c JOIN teams t ON t.id = c.default_team_id WHERE c.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), team.as_str(), audited), ("webchat", "SAC", 1));

    let dup = atende(dir.path(), &["channel", "add", "webchat", "--name", "site", "--team", "SAC"], "");
    assert!(!dup.status.success(), "names are unique");
    let listed = atende(dir.path(), &["channel", "list"], "");
    assert_eq!(String::from_utf8_lossy(&listed.stdout), format!("{id}\twebchat\tSite\tactive\t{key}\n"));
}

#[test]
fn a_whatsapp_number_is_added_from_the_shell_with_its_secrets_on_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    assert!(atende(dir.path(), &["channel", "list"], "").status.success());
    let db = rusqlite::Connection::open(dir.path().join("atende.db")).unwrap();
    db.execute("INSERT INTO teams (name, distribution, created_at) VALUES ('SAC', 'manual', 0)", []).unwrap();
    let args = ["channel", "add", "whatsapp", "--name", "WhatsApp", "--team", "SAC", "--phone-number-id", "106"];
    let missing = atende(dir.path(), &args, "EAAG-token\n");
    assert!(!missing.status.success(), "the app secret is required");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("app secret"));
    let added = atende(dir.path(), &args, "EAAG-token\nsegredo-do-app\n");
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let out = String::from_utf8_lossy(&added.stdout).to_string();
    assert!(!out.contains("EAAG-token") && !out.contains("segredo-do-app"), "a secret printed: {out}");
    let key: String = db.query_row("SELECT key FROM channels WHERE kind = 'whatsapp'", [], |r| r.get(0)).unwrap();
    assert!(out.contains(&format!("/webhooks/whatsapp/{key}")), "{out}");
    let config: String = db.query_row("SELECT config FROM channels WHERE kind = 'whatsapp'", [], |r| r.get(0)).unwrap();
    let config: serde_json::Value = serde_json::from_str(&config).unwrap();
    assert_eq!(
        (config["access_token"].as_str(), config["app_secret"].as_str()),
        (Some("EAAG-token"), Some("segredo-do-app"))
    );
    let verify = config["verify_token"].as_str().unwrap();
    assert!(out.contains(&format!("verify token: {verify}")), "{out}");
}
