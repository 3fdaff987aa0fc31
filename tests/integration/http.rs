//! The real server over real HTTP: Atende launched on a free port of 127.0.0.1 in a
//! thread of its own, and a small browser (cookies, CSRF token from the page) for tests
//! that need concurrent clients on real connections — races, limits, slow clients.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atende::config::Config;
use atende::db::Db;
use tempfile::TempDir;

/// A running server. Dropping it shuts the server down.
pub struct Server {
    pub base: String,
    db: Db,
    shutdown: Option<rocket::Shutdown>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: TempDir,
}

/// What the server thread reports while starting.
enum Started {
    Ignited(Db, rocket::Shutdown),
    /// Rocket is listening (its liftoff fairings run).
    Listening,
    /// The launch failed: the port was taken between choosing it and binding it.
    Failed(String),
}

impl Server {
    /// Starts the server on an empty data directory, with the configuration adjusted first.
    /// Returns once it listens; a port taken in the meantime (by another test's server
    /// or an outgoing connection) means another try on another port.
    pub fn start(adjust: impl FnOnce(&mut Config)) -> Server {
        Self::start_with(adjust, |config| atende::rocket(config).expect("rocket builds"))
    }

    /// The demo as `atende demo` starts it (its simulators and phone mounted), on an
    /// empty data directory.
    pub fn start_demo() -> Server {
        Self::start_with(|_| {}, |config| atende::demo::rocket(config).expect("the demo builds").0)
    }

    fn start_with(adjust: impl FnOnce(&mut Config), build: fn(Config) -> rocket::Rocket<rocket::Build>) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = Config { data_dir: dir.path().to_path_buf(), reaper_interval_secs: 3600, ..Config::default() };
        adjust(&mut config);
        let mut failures = Vec::new();
        for _ in 0..5 {
            config.port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            let (tx, rx) = std::sync::mpsc::channel();
            let attempt = config.clone();
            let thread = std::thread::spawn(move || {
                rocket::execute(async move {
                    let live = tx.clone();
                    let ready = rocket::fairing::AdHoc::on_liftoff("test server listening", move |_| {
                        Box::pin(async move {
                            let _ = live.send(Started::Listening);
                        })
                    });
                    let rocket = build(attempt).attach(ready);
                    let rocket = rocket.ignite().await.expect("rocket ignites");
                    let db = rocket.state::<Db>().expect("db managed").clone();
                    tx.send(Started::Ignited(db, rocket.shutdown())).expect("test waits");
                    if let Err(e) = rocket.launch().await {
                        let _ = tx.send(Started::Failed(e.to_string()));
                    }
                })
            });
            let Ok(Started::Ignited(db, shutdown)) = rx.recv() else { panic!("server did not ignite") };
            match rx.recv() {
                Ok(Started::Listening) => {
                    return Server {
                        base: format!("http://127.0.0.1:{}", config.port),
                        db,
                        shutdown: Some(shutdown),
                        thread: Some(thread),
                        _dir: dir,
                    }
                }
                Ok(Started::Failed(e)) => failures.push(e),
                _ => failures.push("the server thread ended".into()),
            }
            let _ = thread.join();
        }
        panic!("the server never listened: {failures:?}");
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// An account with this role and username (`<username>@empresa.test`); its id.
    pub fn add_user(&self, role: &str, username: &str, password: &str) -> i64 {
        let fields = atende::accounts::manage::AccountFields {
            name: format!("{username} Teste"),
            username: username.into(),
            email: format!("{username}@empresa.test"),
            role: role.into(),
        };
        let (db, password) = (self.db.clone(), password.to_string());
        rocket::execute(async move {
            let actor = atende::accounts::Actor { user_id: None, ip: "test".into() };
            atende::accounts::manage::create_user_with_password(&db, fields, &password, &password, None, &actor)
                .await
                .expect("user created")
        })
    }

    pub fn sql<T: rusqlite::types::FromSql>(&self, query: &str) -> T {
        self.db.read_now(|c| Ok(c.query_row(query, [], |r| r.get(0))?)).expect("query")
    }

    /// An active web chat channel asking only for a name; returns its key.
    pub fn web_chat(&self) -> String {
        let fields = atende::db::channels::ChannelFields {
            kind: atende::domain::channel_kind::ChannelKind::WebChat,
            name: "Site".into(),
            key: "site".into(),
            active: true,
            default_team_id: None,
            schedule_group_id: None,
            config: atende::channels::webchat::Settings::default().to_json(),
        };
        self.db.write_now(|tx| atende::db::channels::insert_channel(tx, &fields)).expect("channel");
        fields.key
    }

    /// The address of the listening socket, for raw connections.
    pub fn address(&self) -> std::net::SocketAddr {
        self.base.trim_start_matches("http://").parse().expect("socket address")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            shutdown.notify();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One answer, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub headers: HashMap<String, String>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }
}

/// A browser on real connections: keeps cookies, reads the CSRF token from pages.
#[derive(Clone)]
pub struct Browser {
    base: String,
    agent: ureq::Agent,
    cookies: Arc<Mutex<HashMap<String, String>>>,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .new_agent();
        Browser { base: base.to_string(), agent, cookies: Arc::default() }
    }

    fn cookie_header(&self) -> String {
        let jar = self.cookies.lock().unwrap();
        jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn read(&self, response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut response = response.expect("request reaches the server");
        let mut headers = HashMap::new();
        for (name, value) in response.headers() {
            let value = value.to_str().unwrap_or_default().to_string();
            if name.as_str() == "set-cookie" {
                let pair = value.split(';').next().unwrap_or_default();
                if let Some((k, v)) = pair.split_once('=') {
                    let mut jar = self.cookies.lock().unwrap();
                    if v.is_empty() {
                        jar.remove(k.trim());
                    } else {
                        jar.insert(k.trim().to_string(), v.trim().to_string());
                    }
                }
            }
            headers.insert(name.as_str().to_string(), value);
        }
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Reply { status, body, headers }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    /// A GET with extra headers (a bearer token …).
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(format!("{}{path}", self.base)).header("Cookie", self.cookie_header());
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        self.read(request.call())
    }

    /// Posts a body as given, with extra headers.
    pub fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>, headers: &[(&str, &str)]) -> Reply {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .header("Content-Type", content_type);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        self.read(request.send(&body[..]))
    }

    /// Posts JSON, as the widget does.
    pub fn post_json(&self, path: &str, body: &serde_json::Value, headers: &[(&str, &str)]) -> Reply {
        self.post_raw(path, "application/json", body.to_string().into_bytes(), headers)
    }
}
