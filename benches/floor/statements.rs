//! How many SQL statements a request runs. Every SQLite connection this process opens
//! gets a trace callback (through SQLite's auto-extension hook) that counts the
//! statements it starts; the app runs here too, on the bench's data directory, driven
//! by Rocket's local client with the background jobs off, so nothing else runs SQL.

use std::ffi::{c_char, c_int};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rocket::http::{ContentType, Status};
use rocket::local::blocking::Client;
use rusqlite::auto_extension::{init_auto_extension, register_auto_extension};
use rusqlite::trace::{TraceEvent, TraceEventCodes};

use super::client::login_form;

static STARTED: AtomicUsize = AtomicUsize::new(0);

fn count(event: TraceEvent<'_>) {
    // Statements a trigger runs are reported too, as comments: not the app's.
    if let TraceEvent::Stmt(_, sql) = event {
        if !sql.starts_with("--") {
            STARTED.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn trace(conn: rusqlite::Connection) -> rusqlite::Result<()> {
    conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(count));
    Ok(())
}

unsafe extern "C" fn on_open(
    db: *mut rusqlite::ffi::sqlite3,
    error: *mut *mut c_char,
    _api: *const rusqlite::ffi::sqlite3_api_routines,
) -> c_int {
    // SAFETY: SQLite calls this with the connection it is opening; `trace` neither
    // opens nor closes one.
    unsafe { init_auto_extension(db, error, trace) }
}

/// The app in this process, signed in as one agent.
pub struct Counter {
    client: Client,
}

impl Counter {
    pub fn start(data_dir: &Path, login: &str) -> Result<Counter, String> {
        // SAFETY: registered before the app opens its connections; `on_open` does not
        // touch the list of auto-extensions.
        unsafe { register_auto_extension(on_open) }.map_err(|e| format!("statement counter: {e}"))?;
        let config = atende::config::Config {
            data_dir: data_dir.to_path_buf(),
            background_jobs: false,
            ..atende::config::Config::default()
        };
        let app = atende::rocket(config).map_err(|e| format!("app: {e}"))?;
        let client = Client::tracked(app).map_err(|e| format!("app: {e}"))?;
        let page = client.get("/login").dispatch().into_string().unwrap_or_default();
        let form = login_form(&page, login)?;
        let signed = client.post("/login").header(ContentType::Form).body(form).dispatch().status();
        if signed != Status::SeeOther {
            return Err(format!("POST /login for {login} answered {signed}"));
        }
        Ok(Counter { client })
    }

    /// The statements one `GET path` runs, after one GET not counted (caches fill).
    pub fn statements_of(&self, path: &str) -> Result<usize, String> {
        self.client.get(path).dispatch().into_string();
        let before = STARTED.load(Ordering::Relaxed);
        let reply = self.client.get(path).dispatch();
        let status = reply.status();
        reply.into_string();
        let run = STARTED.load(Ordering::Relaxed) - before;
        if status != Status::Ok {
            return Err(format!("GET {path} answered {status}"));
        }
        Ok(run)
    }
}
