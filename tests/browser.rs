//! End-to-end check in a real browser: the `atende demo` binary driven by headless
//! Chromium through chromedriver (Debian packages `chromium chromium-driver`).
//!
//! Screenshots land in `test-artifacts/` (git-ignored) together with the logs of the
//! server and of chromedriver, so a failure can be looked at afterwards.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use rocket::tokio;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ADMIN_EMAIL: &str = "admin@demo.local";
const DEMO_PASSWORD: &str = "atende-demo";
const DEMO_EMAILS: [&str; 4] = ["admin@demo.local", "ana@demo.local", "bruno@demo.local", "carla@demo.local"];

/// How long any single wait (page load, element, URL change) may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(15);
/// How long the whole browser scenario may take.
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(120);

/// A child process that is killed (with its whole process group) when dropped, also
/// when the test panics.
struct ChildGuard {
    name: &'static str,
    child: Child,
}

impl ChildGuard {
    fn spawn(name: &'static str, mut command: Command) -> ChildGuard {
        #[cfg(unix)]
        {
            // Own process group, so the browser chromedriver starts dies with it.
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        let child = command.spawn().unwrap_or_else(|e| panic!("starting {name}: {e}"));
        ChildGuard { name, child }
    }

    /// Fails the test when the process has already ended.
    fn assert_running(&mut self, log: &Path) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("{} exited early ({status}); its output:\n{}", self.name, read_log(log));
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        #[cfg(unix)]
        {
            // Negative pid: the whole process group (chromedriver's Chromium included).
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binding a free port");
    listener.local_addr().expect("local address").port()
}

fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir
}

/// Standard output and standard error of a child, both into one file.
fn log_to(command: &mut Command, path: &Path) {
    let file = File::create(path).unwrap_or_else(|e| panic!("creating {}: {e}", path.display()));
    let copy = file.try_clone().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    command.stdout(copy).stderr(file);
}

fn read_log(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let tail: Vec<&str> = text.lines().rev().take(40).collect();
    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
}

/// The browser tools come from Debian; without them the test fails, never skips.
fn require_browser_tools() {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER].into_iter().filter(|p| !Path::new(p).exists()).collect();
    assert!(
        missing.is_empty(),
        "browser test needs {} (missing: {}). Install the Debian packages with \
         `sudo apt-get install -y chromium chromium-driver`, or run `scripts/test`, which does it for you.",
        [CHROMIUM, CHROMEDRIVER].join(" and "),
        missing.join(", ")
    );
}

/// Status code of `GET path` over plain HTTP/1.0, or None when not reachable yet.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    stream.set_write_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").ok()?;
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).ok()?;
    let line = String::from_utf8_lossy(&head[..n]);
    line.split_whitespace().nth(1)?.parse().ok()
}

fn accepts_connections(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), Duration::from_millis(500)).is_ok()
}

/// Polls `ready` every 100 ms until it holds, the process dies, or `limit` passes.
async fn wait_until(
    what: &str,
    limit: Duration,
    process: &mut ChildGuard,
    log: &Path,
    mut ready: impl FnMut() -> bool,
) {
    let start = Instant::now();
    loop {
        if ready() {
            return;
        }
        process.assert_running(log);
        assert!(
            start.elapsed() < limit,
            "{what} not ready after {limit:?}; output of {}:\n{}",
            process.name,
            read_log(log)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn start_server(data_dir: &Path, port: u16, log: &Path) -> ChildGuard {
    let mut command = Command::new(env!("CARGO_BIN_EXE_atende"));
    // Only the settings below: nothing from the developer's shell or an atende.toml.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ATENDE_") {
            command.env_remove(key);
        }
    }
    command
        .arg("demo")
        .current_dir(data_dir)
        .env("ATENDE_DATA_DIR", data_dir)
        .env("ATENDE_ADDRESS", "127.0.0.1")
        .env("ATENDE_PORT", port.to_string())
        .env("ATENDE_LOG", "warn")
        .stdin(Stdio::null());
    log_to(&mut command, log);
    ChildGuard::spawn("atende demo", command)
}

fn start_chromedriver(port: u16, log: &Path) -> ChildGuard {
    let mut command = Command::new(CHROMEDRIVER);
    command.arg(format!("--port={port}")).stdin(Stdio::null());
    log_to(&mut command, log);
    ChildGuard::spawn("chromedriver", command)
}

async fn connect_browser(webdriver_url: &str) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1366,768",
                "--lang=pt-BR",
            ],
            // On Linux `--lang` does not reach the Accept-Language header; this does.
            "prefs": { "intl.accept_languages": "pt-BR,pt" },
        }),
    );
    // Both of rustls' crypto back-ends are compiled in (ring from the app, aws-lc-rs from
    // fantoccini), so one must be chosen before a TLS-capable connector is built.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = ClientBuilder::rustls().expect("fantoccini rustls connector");
    builder.capabilities(caps);
    match tokio::time::timeout(Duration::from_secs(60), builder.connect(webdriver_url)).await {
        Ok(Ok(client)) => client,
        Ok(Err(e)) => panic!("chromedriver could not start Chromium ({CHROMIUM}): {e}"),
        Err(_) => panic!("chromedriver did not open a browser session within 60 s"),
    }
}

/// Waits until the current URL's path is `path`.
async fn wait_for_path(client: &Client, path: &str) {
    let start = Instant::now();
    loop {
        let url = client.current_url().await.expect("reading the current URL");
        if url.path() == path {
            return;
        }
        assert!(start.elapsed() < STEP_TIMEOUT, "expected to reach {path}, still at {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn find(client: &Client, locator: Locator<'_>) -> fantoccini::elements::Element {
    let described = format!("{locator:?}");
    client
        .wait()
        .at_most(STEP_TIMEOUT)
        .for_element(locator)
        .await
        .unwrap_or_else(|e| panic!("element {described} not found: {e}"))
}

async fn body_text(client: &Client) -> String {
    // The page may be replaced while it is read (a navigation finishing): read again.
    let start = Instant::now();
    loop {
        match find(client, Locator::Css("body")).await.text().await {
            Ok(text) => return text,
            Err(e) if start.elapsed() < STEP_TIMEOUT => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("reading the page text: {e}"),
        }
    }
}

/// Waits until the page shows `text` (after a form post that stays on the same path).
async fn wait_for_text(client: &Client, text: &str) -> String {
    let start = Instant::now();
    loop {
        let body = body_text(client).await;
        if body.contains(text) {
            return body;
        }
        assert!(start.elapsed() < STEP_TIMEOUT, "the page never showed {text:?}:\n{body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("taking a screenshot");
    let path = artifacts_dir().join(name);
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

/// The path through the demo: the administrator signs in, sets up a team and an agent,
/// looks at the admin pages and signs out; then an agent signs in.
async fn scenario(client: Client, base: String) {
    client.goto(&format!("{base}/login")).await.expect("opening /login");
    let login_page = body_text(&client).await;
    assert!(login_page.contains("Entrar"), "login page is not in pt-BR:\n{login_page}");
    screenshot(&client, "login.png").await;

    sign_in(&client, ADMIN_EMAIL).await;
    wait_for_path(&client, "/admin").await;

    let admin = body_text(&client).await;
    for expected in ["Visão geral", "Administrador Demo"] {
        assert!(admin.contains(expected), "/admin does not show {expected:?}:\n{admin}");
    }
    screenshot(&client, "admin.png").await;

    click(&client, Locator::XPath("//nav[contains(@class,'subnav')]//a[normalize-space()='Usuários e agentes']")).await;
    wait_for_path(&client, "/admin/users").await;
    let users = body_text(&client).await;
    for email in DEMO_EMAILS {
        assert!(users.contains(email), "/admin/users does not list {email}:\n{users}");
    }
    screenshot(&client, "admin-users.png").await;

    create_team_and_agent(&client).await;
    look_at_admin_pages(&client, &base).await;
    sign_out(&client).await;

    // The agent's side: Ana signs in and lands on her workspace.
    sign_in(&client, "ana@demo.local").await;
    wait_for_path(&client, "/agent").await;
    wait_for_text(&client, "Olá, Ana Souza!").await;
    screenshot(&client, "agent.png").await;
    sign_out(&client).await;
}

async fn click(client: &Client, locator: Locator<'_>) {
    let described = format!("{locator:?}");
    find(client, locator).await.click().await.unwrap_or_else(|e| panic!("clicking {described}: {e}"));
}

async fn type_into(client: &Client, css: &str, text: &str) {
    let field = find(client, Locator::Css(css)).await;
    field.clear().await.unwrap_or_else(|e| panic!("clearing {css}: {e}"));
    field.send_keys(text).await.unwrap_or_else(|e| panic!("typing into {css}: {e}"));
}

async fn sign_in(client: &Client, login: &str) {
    type_into(client, "input[name='login']", login).await;
    type_into(client, "input[name='password']", DEMO_PASSWORD).await;
    click(client, Locator::Css("form[action='/login'] button[type='submit']")).await;
}

async fn sign_out(client: &Client) {
    click(client, Locator::XPath("//header[contains(@class,'topbar')]//button[normalize-space()='Sair']")).await;
    wait_for_path(client, "/login").await;
    let after = body_text(client).await;
    assert!(after.contains("Entrar"), "after signing out the login form is not shown:\n{after}");
}

/// An administrator sets up a team and a new agent through the pages (htmx forms).
async fn create_team_and_agent(client: &Client) {
    click(client, Locator::XPath("//nav[contains(@class,'subnav')]//a[normalize-space()='Equipes']")).await;
    wait_for_path(client, "/admin/teams").await;
    click(client, Locator::Css("a[href='/admin/teams/new']")).await;
    wait_for_path(client, "/admin/teams/new").await;
    // First an empty name: the form answers in place, keeping the page.
    click(client, Locator::Css("form.admin-form button[type='submit']")).await;
    find(client, Locator::Css("form.admin-form .field-error")).await;
    type_into(client, "form.admin-form input[name='name']", "Suporte Técnico").await;
    click(
        client,
        Locator::XPath(
            "//fieldset[contains(@class,'team-members')]//label[contains(normalize-space(),'Ana Souza')]/input",
        ),
    )
    .await;
    screenshot(client, "team-form.png").await;
    click(client, Locator::Css("form.admin-form button[type='submit']")).await;
    wait_for_path(client, "/admin/teams").await;
    wait_for_text(client, "Suporte Técnico").await;
    screenshot(client, "teams.png").await;

    click(client, Locator::XPath("//nav[contains(@class,'subnav')]//a[normalize-space()='Usuários e agentes']")).await;
    click(client, Locator::Css("a[href='/admin/users/new']")).await;
    wait_for_path(client, "/admin/users/new").await;
    type_into(client, "input[name='name']", "Diego Rocha").await;
    type_into(client, "input[name='username']", "diego").await;
    type_into(client, "input[name='email']", "diego@demo.local").await;
    click(client, Locator::Css("form[action='/admin/users'] button[type='submit']")).await;
    wait_for_text(client, "Diego Rocha").await;
    let link = find(client, Locator::Css("input.copy-field")).await.prop("value").await.expect("reading the link");
    assert!(link.is_some_and(|l| l.contains("/password/set?token=")), "no set-password link to hand over");
    screenshot(client, "user-created.png").await;

    click(client, Locator::XPath("//a[contains(@href,'/admin/users/') and not(contains(@href,'new'))][1]")).await;
    click(client, Locator::XPath("//label[contains(normalize-space(),'Suporte Técnico')]/input[@name='teams']")).await;
    type_into(client, "input[name='capacity']", "4").await;
    click(
        client,
        Locator::XPath(
            "//form[starts-with(@action,'/admin/users/')]//button[@type='submit' and contains(@class,'primary')]",
        ),
    )
    .await;
    wait_for_text(client, "Alterações salvas.").await;
    screenshot(client, "user-page.png").await;
}

/// Screenshots of the other admin pages of the demo, for people to look at.
async fn look_at_admin_pages(client: &Client, base: &str) {
    for (path, file, expected) in [
        ("/admin/pauses", "pauses.png", "Almoço"),
        ("/admin/tabulations?team=1", "tabulations.png", "Reclamação"),
        ("/admin/schedules/1", "schedule.png", "Horário comercial"),
        ("/admin/groups", "groups.png", "Supervisores"),
        ("/admin/templates", "templates.png", "retomar_atendimento"),
        ("/admin/settings", "settings.png", "Demo Atende"),
        ("/admin/audit", "audit.png", "team.create"),
    ] {
        client.goto(&format!("{base}{path}")).await.unwrap_or_else(|e| panic!("opening {path}: {e}"));
        let text = body_text(client).await;
        let shown = text.contains(expected) || client.source().await.map(|s| s.contains(expected)).unwrap_or(false);
        assert!(shown, "{path} does not show {expected:?}:\n{text}");
        screenshot(client, file).await;
    }
}

#[rocket::async_test]
async fn demo_admin_sets_up_a_team_and_an_agent_then_the_agent_signs_in() {
    require_browser_tools();
    let started = Instant::now();
    let artifacts = artifacts_dir();
    let server_log = artifacts.join("atende.log");
    let driver_log = artifacts.join("chromedriver.log");

    let data_dir = tempfile::tempdir().expect("temporary data directory");
    let port = free_port();
    let mut server = start_server(data_dir.path(), port, &server_log);
    wait_until("atende /healthz", Duration::from_secs(30), &mut server, &server_log, || {
        http_status(port, "/healthz") == Some(200)
    })
    .await;

    let driver_port = free_port();
    let mut driver = start_chromedriver(driver_port, &driver_log);
    wait_until("chromedriver", Duration::from_secs(15), &mut driver, &driver_log, || accepts_connections(driver_port))
        .await;

    let client = connect_browser(&format!("http://127.0.0.1:{driver_port}")).await;
    let run = tokio::spawn(scenario(client.clone(), format!("http://127.0.0.1:{port}")));
    let outcome = tokio::time::timeout(SCENARIO_TIMEOUT, run).await;
    if !matches!(outcome, Ok(Ok(()))) {
        // Best effort: what the browser showed when it went wrong.
        if let Ok(Ok(png)) = tokio::time::timeout(Duration::from_secs(10), client.screenshot()).await {
            let _ = std::fs::write(artifacts.join("failure.png"), png);
        }
    }
    // End the session so chromedriver closes Chromium; the guards kill whatever is left.
    let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Ok(Err(e)) => panic!("browser scenario did not finish: {e}"),
        Err(_) => panic!("browser scenario took longer than {SCENARIO_TIMEOUT:?}"),
    }
    drop(driver);
    drop(server);
    eprintln!("browser test passed in {:.1?}; screenshots in {}", started.elapsed(), artifacts.display());
}
