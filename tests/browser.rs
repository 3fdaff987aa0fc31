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
    // A conversation of hers, with the contact panel opened from its header.
    click(
        &client,
        Locator::XPath("//a[.//*[normalize-space()='Pedro Henrique'] or normalize-space()='Pedro Henrique'][1]"),
    )
    .await;
    wait_for_text(&client, "Vou verificar a compatibilidade").await;
    click(&client, Locator::XPath("//details[contains(@class,'contact-menu')]/summary")).await;
    wait_for_text(&client, "Editar contato").await;
    screenshot(&client, "agent-contact-panel.png").await;
    // Her other pages: contacts, a contact with history, message search, profile.
    click(&client, Locator::XPath("//nav[contains(@class,'mainnav')]//a[normalize-space()='Contatos']")).await;
    wait_for_text(&client, "Pedro Henrique").await;
    screenshot(&client, "contacts.png").await;
    click(&client, Locator::XPath("//a[normalize-space()='Mariana Alves']")).await;
    wait_for_text(&client, "Histórico").await;
    screenshot(&client, "contact.png").await;
    click(&client, Locator::XPath("//table//a[starts-with(normalize-space(),'WC')]")).await;
    wait_for_text(&client, "Meu pedido chegou com a caixa amassada.").await;
    screenshot(&client, "transcript.png").await;
    client.goto(&format!("{base}/agent/history?q=pedido")).await.expect("opening the search");
    wait_for_text(&client, "Mariana Alves").await;
    screenshot(&client, "history-search.png").await;
    client.goto(&format!("{base}/agent/contacts/new")).await.expect("opening the new contact form");
    screenshot(&client, "contact-new.png").await;
    client.goto(&format!("{base}/account")).await.expect("opening the profile");
    wait_for_text(&client, "Meu perfil").await;
    screenshot(&client, "profile.png").await;
    sign_out(&client).await;
}

/// Clicks an element, finding it again if the page replaced it meanwhile (live
/// updates swap lists and panes under the test's feet).
async fn click(client: &Client, locator: Locator<'_>) {
    let described = format!("{locator:?}");
    let start = Instant::now();
    loop {
        match find(client, locator).await.click().await {
            Ok(()) => return,
            Err(e) if start.elapsed() < STEP_TIMEOUT => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("clicking {described}: {e}"),
        }
    }
}

/// Types into an element, finding it again if the page replaced it meanwhile.
async fn send_to(client: &Client, locator: Locator<'_>, text: &str) {
    let described = format!("{locator:?}");
    let start = Instant::now();
    loop {
        match find(client, locator).await.send_keys(text).await {
            Ok(()) => return,
            Err(e) if start.elapsed() < STEP_TIMEOUT => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("typing into {described}: {e}"),
        }
    }
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
        ("/admin/word-filter", "word-filter.png", "obrigado"),
        ("/admin/tags", "tags.png", "Urgente"),
        ("/admin/phrases", "phrases.png", "/protocolo"),
        ("/admin/contact-fields", "contact-fields.png", "CPF/CNPJ"),
        ("/admin/channels/1", "channel.png", "widget.js"),
        ("/admin/audit", "audit.png", "team.create"),
    ] {
        client.goto(&format!("{base}{path}")).await.unwrap_or_else(|e| panic!("opening {path}: {e}"));
        let text = body_text(client).await;
        let shown = text.contains(expected) || client.source().await.map(|s| s.contains(expected)).unwrap_or(false);
        assert!(shown, "{path} does not show {expected:?}:\n{text}");
        screenshot(client, file).await;
    }
}

/// The demo server and chromedriver of one test; both die when this is dropped.
struct Stack {
    base: String,
    webdriver: String,
    // Dropped in this order: the browser driver first, then the server, then its data.
    _driver: ChildGuard,
    _server: ChildGuard,
    _data_dir: tempfile::TempDir,
}

/// Starts `atende demo` on a fresh data directory and chromedriver; `tag` names the logs.
async fn start_stack(tag: &str) -> Stack {
    let artifacts = artifacts_dir();
    let server_log = artifacts.join(format!("atende{tag}.log"));
    let driver_log = artifacts.join(format!("chromedriver{tag}.log"));

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
    Stack {
        base: format!("http://127.0.0.1:{port}"),
        webdriver: format!("http://127.0.0.1:{driver_port}"),
        _driver: driver,
        _server: server,
        _data_dir: data_dir,
    }
}

/// The browser tests run one after the other: each starts a server and Chromium, and
/// the machine running them may be small.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `scenario` within `SCENARIO_TIMEOUT`; whatever happens, takes a screenshot of
/// each session when it failed (`failure-<name>.png`) and closes every session.
async fn run_sessions<F>(sessions: &[(&str, &Client)], scenario: F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let run = tokio::spawn(scenario);
    let outcome = tokio::time::timeout(SCENARIO_TIMEOUT, run).await;
    if !matches!(outcome, Ok(Ok(()))) {
        // Best effort: what each browser showed when it went wrong.
        for (name, client) in sessions {
            if let Ok(Ok(png)) = tokio::time::timeout(Duration::from_secs(10), client.screenshot()).await {
                let _ = std::fs::write(artifacts_dir().join(format!("failure-{name}.png")), png);
            }
        }
    }
    // End the sessions so chromedriver closes Chromium; the guards kill whatever is left.
    for (_, client) in sessions {
        let _ = tokio::time::timeout(Duration::from_secs(10), (*client).clone().close()).await;
    }
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Ok(Err(e)) => panic!("browser scenario did not finish: {e}"),
        Err(_) => panic!("browser scenario took longer than {SCENARIO_TIMEOUT:?}"),
    }
}

#[rocket::async_test]
async fn demo_admin_sets_up_a_team_and_an_agent_then_the_agent_signs_in() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let started = Instant::now();
    let stack = start_stack("").await;
    let client = connect_browser(&stack.webdriver).await;
    run_sessions(&[("admin", &client)], scenario(client.clone(), stack.base.clone())).await;
    drop(stack);
    eprintln!("browser test passed in {:.1?}; screenshots in {}", started.elapsed(), artifacts_dir().display());
}

// ---------------------------------------------------------------------------------------
// Live web chat: a visitor on the demo shop and an agent on her workspace, side by side.

const VISITOR_NAME: &str = "Marina Teixeira";
const VISITOR_EMAIL: &str = "marina.teixeira@example.com";
const VISITOR_TEXT: &str = "Olá, quero saber do meu pedido";
const AGENT_REPLY: &str = "Olá! Vou verificar para você.";
/// How long a live update (SSE) may take to show on the other side.
const LIVE_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs `script` in the visitor's page with `root` bound to the widget's shadow root
/// (null while the widget is not there yet) and `arguments` to `args`; returns its result.
async fn in_widget(client: &Client, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
    let js = format!(
        "var host = document.querySelector('#atende-widget');\n\
         var root = host && host.shadowRoot;\n{script}"
    );
    client.execute(&js, args).await.unwrap_or_else(|e| panic!("running in the widget: {e}\n{script}"))
}

/// Polls `check` every 200 ms until it returns `Some`, failing after `limit` with `what`
/// and the last thing `check` saw.
async fn poll<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let start = Instant::now();
    loop {
        let last = match check().await {
            Ok(found) => return found,
            Err(seen) => seen,
        };
        assert!(start.elapsed() < limit, "{what} did not happen within {limit:?}; last seen:\n{last}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The widget's visible text, message by message ("mine:" / "theirs:" + text).
async fn widget_messages(client: &Client) -> Vec<String> {
    let seen = in_widget(
        client,
        "if (!root) return [];\n\
         return Array.prototype.map.call(root.querySelectorAll('.messages .message:not(.pending)'), function (m) {\n\
           var text = m.querySelector('.text');\n\
           return (m.classList.contains('mine') ? 'mine: ' : 'theirs: ') + (text ? text.textContent : '');\n\
         });",
        vec![],
    )
    .await;
    seen.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// The visitor opens the chat on the demo shop, fills the pre-chat form and writes.
async fn visitor_writes(visitor: &Client, base: &str) {
    visitor.goto(&format!("{base}/demo/site")).await.expect("opening /demo/site");
    // The widget loads its settings first, then puts its launcher on the page.
    poll("the chat launcher to appear", STEP_TIMEOUT, || async move {
        let found = in_widget(visitor, "return !!(root && root.querySelector('.launcher'));", vec![]).await;
        if found == serde_json::Value::Bool(true) {
            Ok(())
        } else {
            Err("no #atende-widget .launcher".to_string())
        }
    })
    .await;
    in_widget(visitor, "root.querySelector('.launcher').click();", vec![]).await;
    poll("the pre-chat form to show", STEP_TIMEOUT, || async move {
        let shown = in_widget(
            visitor,
            "var form = root.querySelector('form.prechat');\n\
             return !!form && !root.querySelector('.panel').hidden && form.offsetParent !== null;",
            vec![],
        )
        .await;
        if shown == serde_json::Value::Bool(true) {
            Ok(())
        } else {
            Err("the panel or its form.prechat is hidden".to_string())
        }
    })
    .await;
    let title = in_widget(visitor, "return root.querySelector('.title').textContent;", vec![]).await;
    assert_eq!(title, "Site Demo Atende", "the widget's header does not name the channel");

    // Fill the fields and press the button; the widget reads the fields' values.
    in_widget(
        visitor,
        "var form = root.querySelector('form.prechat');\n\
         form.elements.name.value = arguments[0];\n\
         form.elements.email.value = arguments[1];\n\
         form.querySelector('button[type=submit]').click();",
        vec![VISITOR_NAME.into(), VISITOR_EMAIL.into()],
    )
    .await;
    poll("the chat composer to replace the pre-chat form", STEP_TIMEOUT, || async move {
        let ready = in_widget(visitor, "return !!root.querySelector('form.composer textarea');", vec![]).await;
        if ready == serde_json::Value::Bool(true) {
            Ok(())
        } else {
            let form =
                in_widget(visitor, "var f = root.querySelector('.body'); return f ? f.innerText : '';", vec![]).await;
            Err(format!("still the pre-chat form: {form}"))
        }
    })
    .await;
    in_widget(
        visitor,
        "var form = root.querySelector('form.composer');\n\
         form.querySelector('textarea').value = arguments[0];\n\
         form.querySelector('button.send').click();",
        vec![VISITOR_TEXT.into()],
    )
    .await;
    poll("the visitor's message to be accepted", STEP_TIMEOUT, || async move {
        let messages = widget_messages(visitor).await;
        if messages.iter().any(|m| m == &format!("mine: {VISITOR_TEXT}")) {
            Ok(())
        } else {
            Err(messages.join("\n"))
        }
    })
    .await;
}

/// The text of the "Em espera" list of the agent's workspace.
async fn waiting_list(agent: &Client) -> String {
    let text = agent
        .execute(
            "var list = document.querySelector('#lists [data-list=waiting]');\n\
             return list ? list.innerText : '';",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("reading the waiting list: {e}"));
    text.as_str().unwrap_or_default().to_string()
}

/// A visitor writes on the demo shop's chat; Ana, already on her workspace, sees the
/// conversation arrive without reloading, takes it and answers; the visitor sees the
/// answer arrive without reloading.
async fn live_chat(visitor: Client, agent: Client, base: String) {
    let (visitor, agent) = (&visitor, &agent);
    agent.goto(&format!("{base}/login")).await.expect("opening /login");
    sign_in(agent, "ana@demo.local").await;
    wait_for_path(agent, "/agent").await;
    find(agent, Locator::XPath("//aside[@id='lists']//*[@role='tab'][contains(normalize-space(),'Em espera')]")).await;
    // SAC distributes automatically: an available Ana would get the conversation straight
    // into "Em atendimento". On a pause, she sees it wait in the queue.
    click(agent, Locator::XPath("//details[contains(@class,'menu')]/summary[normalize-space()='Pausa']")).await;
    click(agent, Locator::XPath("//form[@action='/agent/pause']//button[starts-with(normalize-space(),'Almoço')]"))
        .await;
    find(agent, Locator::XPath("//span[contains(@class,'ws-status')][contains(normalize-space(),'Em pausa')]")).await;
    wait_for_path(agent, "/agent").await;
    let before = waiting_list(agent).await;
    assert!(!before.contains(VISITOR_NAME), "the visitor is waiting before writing:\n{before}");
    // The workspace page must stay the same page: a marker that a reload would wipe.
    agent.execute("window.__notReloaded = true;", vec![]).await.expect("marking the page");

    visitor_writes(visitor, &base).await;

    poll("the new conversation to show in Ana's \"Em espera\" list", LIVE_TIMEOUT, || async move {
        let list = waiting_list(agent).await;
        if list.contains(VISITOR_NAME) && list.contains(VISITOR_TEXT) {
            Ok(())
        } else {
            Err(list)
        }
    })
    .await;
    let same_page = agent.execute("return window.__notReloaded === true;", vec![]).await.expect("reading the marker");
    assert_eq!(same_page, serde_json::Value::Bool(true), "the workspace reloaded instead of updating in place");
    click(agent, Locator::Css("#lists [role=tab][data-tab='waiting']")).await;
    agent
        .execute(
            "var name = arguments[0];\n\
             var rows = document.querySelectorAll('#lists [data-list=waiting] .conv-row');\n\
             var row = Array.prototype.find.call(rows, function (r) { return r.textContent.indexOf(name) >= 0; });\n\
             if (row) row.scrollIntoView({ block: 'center' });",
            vec![VISITOR_NAME.into()],
        )
        .await
        .expect("scrolling to the new conversation");
    screenshot(agent, "agent-waiting.png").await;

    // She takes it: the row is a button that posts "take", then the conversation opens.
    click(
        agent,
        Locator::XPath(&format!(
            "//ul[@data-list='waiting']//button[contains(@class,'conv-row')][.//strong[normalize-space()='{VISITOR_NAME}']]"
        )),
    )
    .await;
    let start = Instant::now();
    loop {
        let url = agent.current_url().await.expect("reading the current URL");
        if url.path().starts_with("/agent/conversations/") {
            break;
        }
        assert!(start.elapsed() < STEP_TIMEOUT, "taking the conversation did not open it; still at {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    find(agent, Locator::XPath(&format!("//section[@id='pane']//h1[normalize-space()='{VISITOR_NAME}']"))).await;
    wait_for_text(agent, VISITOR_TEXT).await;
    let status = find(agent, Locator::Css("#pane .conv-title .badge")).await;
    let status = status.prop("textContent").await.expect("reading the status").unwrap_or_default();
    assert_eq!(status.trim(), "Em atendimento", "the taken conversation is not in service");

    agent.execute("window.__notReloaded = true;", vec![]).await.expect("marking the page");
    type_into(agent, "textarea[data-reply]", AGENT_REPLY).await;
    click(agent, Locator::Css("form.composer button.primary[type='submit']:not([name='go_online'])")).await;
    // Still on her pause: the composer asks first, keeping what she wrote.
    click(agent, Locator::XPath("//div[contains(@class,'paused-prompt')]//button[@name='go_online']")).await;
    poll("Ana's answer to show in her conversation", STEP_TIMEOUT, || async move {
        let mine = agent
            .execute(
                "return Array.prototype.map.call(document.querySelectorAll('#pane .msg-out .msg-body'),\n\
                   function (m) { return m.textContent; });",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("reading the pane: {e}"));
        let sent = mine.as_array().is_some_and(|a| a.iter().any(|m| m.as_str() == Some(AGENT_REPLY)));
        let draft = agent
            .execute("var b = document.querySelector('textarea[data-reply]'); return b ? b.value : '';", vec![])
            .await
            .unwrap_or_default();
        if sent && draft.as_str() == Some("") {
            Ok(())
        } else {
            Err(format!("outgoing messages: {mine}; composer: {draft}"))
        }
    })
    .await;

    // Leaving the pause shows in the bar on top, without reloading the page.
    poll("the workspace bar to show Ana available again", STEP_TIMEOUT, || async move {
        let state = agent
            .execute(
                "var s = document.querySelector('#ws-bar .ws-status');\n\
                 var dot = document.querySelector('.topbar-right .status-dot');\n\
                 return [s ? s.textContent.trim() : '', dot ? dot.className : '', window.__notReloaded === true];",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("reading the status: {e}"));
        if state == serde_json::json!(["Disponível", "status-dot status-online", true]) {
            Ok(())
        } else {
            Err(state.to_string())
        }
    })
    .await;

    // The visitor never reloads: the answer arrives through the widget's event stream.
    poll("Ana's answer to show in the visitor's widget", LIVE_TIMEOUT, || async move {
        let messages = widget_messages(visitor).await;
        if messages.iter().any(|m| m == &format!("theirs: {AGENT_REPLY}")) {
            Ok(())
        } else {
            Err(messages.join("\n"))
        }
    })
    .await;
    let author = in_widget(
        visitor,
        "var last = root.querySelectorAll('.messages .message.theirs');\n\
         last = last[last.length - 1];\n\
         return last.querySelector('.author').textContent;",
        vec![],
    )
    .await;
    assert_eq!(author, "Ana Souza", "the answer in the widget is not signed by the agent");

    // Ana sends a file from the composer (its hidden picker); the visitor gets a link.
    let receipt = artifacts_dir().join("recibo.png");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0u8; 64]);
    std::fs::write(&receipt, &png).expect("writing the file to send");
    send_to(agent, Locator::Css("input[data-file-input]"), receipt.to_str().expect("utf-8 path")).await;
    poll("the file to reach the visitor's widget", LIVE_TIMEOUT, || async move {
        let names = in_widget(
            visitor,
            "return Array.prototype.map.call(root.querySelectorAll('.messages a.file'), function (a) { return a.textContent; });",
            vec![],
        )
        .await;
        let shown = names.as_array().is_some_and(|a| a.iter().any(|n| n.as_str() == Some("recibo.png")));
        if shown {
            Ok(())
        } else {
            Err(format!("file links so far: {names}"))
        }
    })
    .await;
    screenshot(visitor, "visitor-widget.png").await;
    screenshot(agent, "agent-conversation.png").await;
}

#[rocket::async_test]
async fn a_visitor_and_an_agent_chat_live_without_reloading() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let started = Instant::now();
    let stack = start_stack("-chat").await;
    // Two sessions on one chromedriver: two browsers with their own cookies and storage.
    let visitor = connect_browser(&stack.webdriver).await;
    let agent = connect_browser(&stack.webdriver).await;
    run_sessions(
        &[("visitor", &visitor), ("agent", &agent)],
        live_chat(visitor.clone(), agent.clone(), stack.base.clone()),
    )
    .await;
    drop(stack);
    eprintln!("live chat test passed in {:.1?}; screenshots in {}", started.elapsed(), artifacts_dir().display());
}
