//! The command line: `user add` and `backup` on a real data directory.

use std::io::Write;
use std::process::{Command, Stdio};

fn atende(data_dir: &std::path::Path, args: &[&str], stdin: &str) -> std::process::Output {
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
