//! The test harness: a real Rocket instance on a temporary data directory, driven
//! through Rocket's local client the way a browser would (cookies, CSRF tokens, forms).

use std::net::SocketAddr;

use atende::accounts::manage::{self, AccountFields};
use atende::accounts::Actor;
use atende::config::Config;
use atende::db::Db;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::{Client, LocalResponse};
use tempfile::TempDir;

pub const PASSWORD: &str = "senha-forte-2026";

pub struct App {
    pub client: Client,
    dir: std::sync::Arc<TempDir>,
    config: Config,
    remote: SocketAddr,
}

/// The headers of an answer that tell htmx what else to do.
pub struct HxHeaders {
    pub redirect: Option<String>,
    pub trigger: Option<String>,
}

pub struct Page {
    pub status: Status,
    pub body: String,
    pub location: Option<String>,
}

impl Page {
    pub fn csrf(&self) -> String {
        extract(&self.body, r#"name="csrf-token" content="([^"]+)""#).expect("page has a CSRF meta tag")
    }
}

/// First capture group of `pattern` in `text`.
pub fn extract(text: &str, pattern: &str) -> Option<String> {
    regex_lite::Regex::new(pattern).ok()?.captures(text).map(|c| c[1].to_string())
}

impl App {
    pub async fn new() -> App {
        Self::with_config(|_| {}).await
    }

    /// An app without background jobs: the test runs the outbox (`deliver_due`), the
    /// reaper and auto-close itself, so no worker races what it counts.
    pub async fn without_jobs() -> App {
        Self::with_config(|c| c.background_jobs = false).await
    }

    /// An app whose configuration the test adjusts first.
    pub async fn with_config(adjust: impl FnOnce(&mut Config)) -> App {
        let dir = std::sync::Arc::new(tempfile::tempdir().expect("tempdir"));
        let mut config = Config { data_dir: dir.path().to_path_buf(), reaper_interval_secs: 3600, ..Config::default() };
        adjust(&mut config);
        Self::start(dir, config).await
    }

    /// The app started on a data directory that already holds a company (a restart).
    pub async fn restart_on(dir: std::sync::Arc<TempDir>) -> App {
        Self::restart_on_with(dir, |_| {}).await
    }

    /// A restart whose configuration the test adjusts first.
    pub async fn restart_on_with(dir: std::sync::Arc<TempDir>, adjust: impl FnOnce(&mut Config)) -> App {
        let mut config = Config { data_dir: dir.path().to_path_buf(), reaper_interval_secs: 3600, ..Config::default() };
        adjust(&mut config);
        Self::start(dir, config).await
    }

    /// The demo as `atende demo` builds it (phone and simulators mounted, the demo
    /// company seeded), on an empty data directory.
    pub async fn demo() -> App {
        Self::demo_on(std::sync::Arc::new(tempfile::tempdir().expect("tempdir"))).await
    }

    /// The demo started again on a data directory that holds it.
    pub async fn demo_on(dir: std::sync::Arc<TempDir>) -> App {
        // A port nobody listens on: the local client serves no HTTP of its own.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let config =
            Config { data_dir: dir.path().to_path_buf(), reaper_interval_secs: 3600, port, ..Config::default() };
        let rocket = atende::demo::rocket(config.clone()).expect("the demo builds").0;
        Self::launch(dir, config, rocket).await
    }

    async fn start(dir: std::sync::Arc<TempDir>, config: Config) -> App {
        let rocket = atende::rocket(config.clone()).expect("rocket builds");
        Self::launch(dir, config, rocket).await
    }

    async fn launch(dir: std::sync::Arc<TempDir>, config: Config, rocket: rocket::Rocket<rocket::Build>) -> App {
        let client = Client::tracked(rocket).await.expect("rocket launches");
        App { client, dir, config, remote: "127.0.0.1:40000".parse().unwrap() }
    }

    /// Stops the server as a shutdown does (its background jobs told to stop), and hands
    /// back its data directory for `restart_on`.
    pub async fn stop(self) -> std::sync::Arc<TempDir> {
        let dir = self.dir.clone();
        self.client.terminate().await;
        dir
    }

    /// A second browser on the same company (same data directory, own cookies).
    pub async fn other_browser(&self) -> App {
        Self::start(self.dir.clone(), self.config.clone()).await
    }

    /// Requests from now on come from this address.
    pub fn from_address(mut self, remote: &str) -> App {
        self.remote = remote.parse().expect("socket address");
        self
    }

    pub fn db(&self) -> &Db {
        self.client.rocket().state::<Db>().expect("db managed")
    }

    pub async fn add_user(&self, role: &str, username: &str, password: &str) -> i64 {
        let fields = AccountFields {
            name: format!("{username} Teste"),
            username: username.into(),
            email: format!("{username}@empresa.test"),
            role: role.into(),
        };
        manage::create_user_with_password(
            self.db(),
            fields,
            password,
            password,
            None,
            &Actor { user_id: None, ip: "test".into() },
        )
        .await
        .expect("user created")
    }

    pub async fn page(response: LocalResponse<'_>) -> Page {
        let status = response.status();
        let location = response.headers().get_one("Location").map(str::to_string);
        let body = response.into_string().await.unwrap_or_default();
        Page { status, body, location }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::page(self.client.get(path).remote(self.remote).dispatch().await).await
    }

    /// A download: its status, `Content-Type` and `Content-Disposition`, and its bytes.
    pub async fn download(&self, path: &str) -> (Status, String, String, Vec<u8>) {
        let response = self.client.get(path).remote(self.remote).dispatch().await;
        let header = |name: &str| response.headers().get_one(name).unwrap_or_default().to_string();
        let (status, kind, disposition) = (response.status(), header("Content-Type"), header("Content-Disposition"));
        (status, kind, disposition, response.into_bytes().await.unwrap_or_default())
    }

    /// The CSRF token this browser holds (read from a page, as a form would).
    pub async fn csrf(&self) -> String {
        self.get("/password/forgot").await.csrf()
    }

    /// Posts a form with this browser's CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", &token)];
        all.extend_from_slice(fields);
        self.post_raw(path, &encode(&all)).await
    }

    /// Posts a body exactly as given (no token added).
    pub async fn post_raw(&self, path: &str, body: &str) -> Page {
        let response = self.client.post(path).remote(self.remote).header(ContentType::Form).body(body).dispatch().await;
        Self::page(response).await
    }

    pub async fn post_with_headers(&self, path: &str, body: Vec<u8>, headers: Vec<Header<'static>>) -> Page {
        let mut request = self.client.post(path).remote(self.remote).body(body);
        for h in headers {
            request = request.header(h);
        }
        Self::page(request.dispatch().await).await
    }

    /// A REST API request with a bearer token (and a JSON body): the status, the JSON
    /// answer and the `Retry-After` header.
    pub async fn api(
        &self,
        method: rocket::http::Method,
        path: &str,
        token: &str,
        body: Option<&str>,
        headers: Vec<Header<'static>>,
    ) -> (Status, serde_json::Value, Option<String>) {
        let mut request = self.client.req(method, path).remote(self.remote);
        request = request.header(Header::new("Authorization", format!("Bearer {token}")));
        if let Some(body) = body {
            request = request.header(ContentType::JSON).body(body.to_string());
        }
        for h in headers {
            request = request.header(h);
        }
        let response = request.dispatch().await;
        let (status, retry) = (response.status(), response.headers().get_one("Retry-After").map(str::to_string));
        let text = response.into_string().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null), retry)
    }

    /// Posts a form as htmx does (`HX-Request`, this browser's CSRF token added); the
    /// answer and the headers htmx acts on.
    pub async fn hx_post(&self, path: &str, fields: &[(&str, &str)]) -> (Page, HxHeaders) {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", &token)];
        all.extend_from_slice(fields);
        let response = self
            .client
            .post(path)
            .remote(self.remote)
            .header(ContentType::Form)
            .header(Header::new("HX-Request", "true"))
            .body(encode(&all))
            .dispatch()
            .await;
        let header = |name: &str| response.headers().get_one(name).map(str::to_string);
        let hx = HxHeaders { redirect: header("HX-Redirect"), trigger: header("HX-Trigger") };
        (Self::page(response).await, hx)
    }

    pub async fn login(&self, login: &str, password: &str) -> Page {
        self.post("/login", &[("login", login), ("password", password)]).await
    }

    /// Signs in and asserts it worked.
    pub async fn sign_in(&self, login: &str, password: &str) {
        let page = self.login(login, password).await;
        assert_eq!(page.status, Status::SeeOther, "sign-in failed for {login}: {}", page.body);
    }

    pub async fn logout(&self) -> Page {
        self.post("/logout", &[]).await
    }

    pub fn sql<T: rusqlite::types::FromSql>(&self, query: &str) -> T {
        self.db().read_now(|c| Ok(c.query_row(query, [], |r| r.get(0))?)).expect("query")
    }

    /// Every row of a query of two columns.
    pub fn rows<A: rusqlite::types::FromSql, B: rusqlite::types::FromSql>(&self, query: &str) -> Vec<(A, B)> {
        self.db()
            .read_now(|c| {
                let mut stmt = c.prepare(query)?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows)
            })
            .expect("query")
    }

    /// The data directory, to start the app again on it once this one is dropped.
    pub fn shared_dir(&self) -> std::sync::Arc<TempDir> {
        self.dir.clone()
    }

    /// The data directory the app runs on.
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn exec(&self, statement: &str) {
        self.db().write_now(|tx| Ok(tx.execute_batch(statement)?)).expect("statement");
    }

    /// Changes the company's settings as saved, past the form (which may refuse the value).
    pub fn change_settings(&self, change: impl FnOnce(&mut atende::db::settings::Settings) + Send) {
        self.db()
            .write_now(|tx| {
                let mut company = atende::db::settings::load(tx)?;
                change(&mut company);
                atende::db::settings::save(tx, &company)
            })
            .expect("settings saved");
    }
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", atende::web::urlencode(k), atende::web::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A visitor's message on a web chat channel: `key` names the visitor, `name` is how
/// they introduce themselves.
pub fn visitor_message(channel_id: i64, key: &str, name: &str, body: &str) -> atende::engine::ingest::Inbound {
    atende::engine::ingest::Inbound {
        channel_id,
        contact_key: format!("visitor:{key}"),
        contact_name: name.into(),
        contact_email: String::new(),
        contact_phone: String::new(),
        external_id: None,
        body: body.into(),
        ..Default::default()
    }
}

/// Team 1, "SAC" (manual distribution), with `agents` as members, and web chat
/// channel 1, "Site" (key `site`), whose conversations go to it.
pub fn sac_with(app: &App, agents: &[i64]) {
    app.exec(
        "INSERT INTO teams (id, name, distribution, created_at) VALUES (1, 'SAC', 'manual', 0);
         INSERT INTO channels (id, kind, name, key, default_team_id, created_at) VALUES (1, 'webchat', 'Site', 'site', 1, 0);",
    );
    for agent in agents {
        app.exec(&format!("INSERT INTO team_members (team_id, user_id) VALUES (1, {agent})"));
    }
}
