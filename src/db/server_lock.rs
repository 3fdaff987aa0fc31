//! One server per data directory. A server frees every outbox and webhook claim it finds
//! when it starts (they belong to a process that died), so a second server on the same
//! directory would free the first one's claims in flight and send them twice. `atende
//! serve` and `atende demo` take an exclusive lock on `atende.lock` before they open the
//! database and hold it while they run; the kernel drops it when the process ends, even
//! by SIGKILL, so a restart after a crash finds it free. The shell's commands (`user
//! add`, `backup`, …) take no lock: they may run beside the server.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::Path;

pub const FILE_NAME: &str = "atende.lock";

/// The lock, held while this value lives.
#[derive(Debug)]
pub struct ServerLock {
    _file: File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another Atende is already running on the data directory {dir}{pid}")]
    Taken { dir: String, pid: String },
    #[error("data directory {dir}: {source}")]
    Io { dir: String, source: std::io::Error },
}

/// Takes the data directory's lock (creating the directory if needed), or says at once
/// that another server holds it. Writes this process's id in the file for whoever looks.
pub fn take(data_dir: &Path) -> Result<ServerLock, LockError> {
    let dir = data_dir.display().to_string();
    let io = |source| LockError::Io { dir: dir.clone(), source };
    std::fs::create_dir_all(data_dir).map_err(io)?;
    let mut file = open(&data_dir.join(FILE_NAME)).map_err(io)?;
    if !try_lock(&file).map_err(io)? {
        let pid = holder(&mut file).map(|pid| format!(" (pid {pid})")).unwrap_or_default();
        return Err(LockError::Taken { dir, pid });
    }
    file.set_len(0).and_then(|_| file.rewind()).and_then(|_| writeln!(file, "{}", std::process::id())).map_err(io)?;
    Ok(ServerLock { _file: file })
}

fn open(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// The process id the holder wrote, if it reads as one.
fn holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

/// `flock(LOCK_EX | LOCK_NB)`: `false` at once when another open file holds it. The lock
/// belongs to the open file (not the process, as fcntl's do), so it goes with it. std's
/// `File::try_lock` is the same call but needs Rust 1.89, above our `rust-version`.
#[cfg(unix)]
fn try_lock(file: &File) -> std::io::Result<bool> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock only reads the descriptor, which `file` keeps open for the call.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(true);
    }
    let error = std::io::Error::last_os_error();
    match error.raw_os_error() {
        Some(libc::EWOULDBLOCK) => Ok(false),
        _ => Err(error),
    }
}

/// Atende ships for Linux; elsewhere nothing is enforced.
#[cfg(not(unix))]
fn try_lock(_file: &File) -> std::io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_directory_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = take(dir.path()).expect("free");
        let refused = take(dir.path()).expect_err("held");
        let message = refused.to_string();
        assert!(message.contains("another Atende is already running"), "{message}");
        assert!(message.contains(&dir.path().display().to_string()), "{message}");
        assert!(message.contains(&format!("(pid {})", std::process::id())), "{message}");
        drop(first);
        take(dir.path()).expect("free again");
    }
}
